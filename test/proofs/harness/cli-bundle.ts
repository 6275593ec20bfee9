import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';

export const repoRoot = join(import.meta.dirname, '../../..');

let bundled: Promise<string> | undefined;

/**
 * The `mapline` CLI bundled from the current sources into one file, once per test process.
 *
 * Why: the crash proofs start `mapline run` dozens of times; through tsx each start costs 2-3 s on this machine
 * (it transpiles ~150 files), the bundle starts in well under a second. It is the same code: esbuild (the
 * transpiler tsx itself uses) only strips types and joins the modules; npm packages stay external and are loaded
 * from the repository's node_modules through a symlink next to the bundle.
 */
export function maplineCli(): Promise<string> {
  bundled ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mapline-cli-'));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const outfile = join(dir, 'mapline.mjs');
    await build({
      entryPoints: [join(repoRoot, 'cli/entry.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      outfile,
      logLevel: 'error',
    });
    return outfile;
  })();
  return bundled;
}
