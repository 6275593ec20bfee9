import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository root, found by walking up from this file to Mapline's package.json: the same code runs from
 * source (`playground/server/`) and compiled (`dist/playground/server/`).
 */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'mapline') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the Mapline package root above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

export function playgroundDist(root = repoRoot()): string {
  return join(root, 'playground', 'dist');
}
