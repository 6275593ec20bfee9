import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

export interface MappingFile {
  readonly name: string;
  readonly text: string;
}

/**
 * The `.map` files the playground's file list offers: the default mappings in `mappings/`, or the compiler's
 * sketch fixture while none exist yet.
 */
export function defaultMappings(repoRoot: string): MappingFile[] {
  const dir = join(repoRoot, 'mappings');
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.map')).sort() : [];
  if (files.length > 0) return files.map((name) => ({ name, text: readFileSync(join(dir, name), 'utf8') }));
  const sketch = join(repoRoot, 'test/compiler/fixtures/sketch.map');
  return [{ name: basename(sketch), text: readFileSync(sketch, 'utf8') }];
}

/** The folders whose contents end up in the bundle: a change there makes a built playground stale. */
export function playgroundInputs(repoRoot: string): string[] {
  return ['playground/src', 'playground/build', 'playground/index.html', 'playground/vite.config.ts', 'language', 'compiler', 'connectors', 'runtime/evaluate', 'mappings'].map((p) => join(repoRoot, p));
}
