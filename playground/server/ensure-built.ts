import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { playgroundInputs } from '../build/default-mappings.js';
import { playgroundDist, repoRoot } from './paths.js';

/**
 * Builds `playground/dist` when it is missing or older than any file that goes into it, so `mapline serve` and
 * the browser tests always show the current code without making `npm install` build the bundle. Builds into a
 * temporary folder and swaps it in, so a server reading `dist` never sees a half-written bundle.
 */
export async function ensurePlaygroundBuilt(root = repoRoot()): Promise<{ built: boolean; dist: string }> {
  const dist = playgroundDist(root);
  const marker = join(dist, 'index.html');
  if (existsSync(marker) && newestInput(root) <= statSync(marker).mtimeMs) return { built: false, dist };
  await buildPlayground(root);
  return { built: true, dist };
}

export async function buildPlayground(root = repoRoot()): Promise<void> {
  const dist = playgroundDist(root);
  const staging = `${dist}.building-${process.pid}`;
  // vite is a development dependency: loaded only when a build is really needed.
  const { build } = await import('vite');
  await build({ configFile: join(root, 'playground', 'vite.config.ts'), build: { outDir: staging, emptyOutDir: true }, logLevel: 'warn' });
  const old = `${dist}.old-${process.pid}`;
  if (existsSync(dist)) renameSync(dist, old);
  renameSync(staging, dist);
  rmSync(old, { recursive: true, force: true });
}

/** The newest modification time (ms) of any playground input, test fixtures excluded. */
function newestInput(root: string): number {
  let newest = 0;
  const visit = (path: string): void => {
    if (!existsSync(path)) return;
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path)) if (entry !== 'node_modules' && entry !== 'dist') visit(join(path, entry));
    } else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const input of playgroundInputs(root)) visit(input);
  return newest;
}
