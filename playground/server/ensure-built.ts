import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { playgroundInputs } from '../build/default-mappings.js';
import { playgroundDist, repoRoot } from './paths.js';

/** A vite bundle of the repository: its config file, where it is built, and every file or folder it is built from. */
export interface Bundle {
  readonly configFile: string;
  readonly dist: string;
  readonly inputs: readonly string[];
}

export function playgroundBundle(root = repoRoot()): Bundle {
  return { configFile: join(root, 'playground', 'vite.config.ts'), dist: playgroundDist(root), inputs: playgroundInputs(root) };
}

/**
 * Builds `playground/dist` when it is missing or older than any file that goes into it, so `mapline serve` and
 * the browser tests always show the current code without making `npm install` build the bundle.
 */
export async function ensurePlaygroundBuilt(root = repoRoot()): Promise<{ built: boolean; dist: string }> {
  return ensureBuilt(playgroundBundle(root));
}

export async function buildPlayground(root = repoRoot()): Promise<void> {
  await buildBundle(playgroundBundle(root));
}

/** Builds the bundle when its `dist` is missing or older than any of its inputs (test fixtures excluded). */
export async function ensureBuilt(bundle: Bundle): Promise<{ built: boolean; dist: string }> {
  const marker = join(bundle.dist, 'index.html');
  if (existsSync(marker) && newestInput(bundle.inputs) <= statSync(marker).mtimeMs) return { built: false, dist: bundle.dist };
  await buildBundle(bundle);
  return { built: true, dist: bundle.dist };
}

/** Builds into a temporary folder and swaps it in, so a server reading `dist` never sees a half-written bundle. */
export async function buildBundle(bundle: Bundle): Promise<void> {
  const { dist } = bundle;
  const staging = `${dist}.building-${process.pid}`;
  // vite is a development dependency: loaded only when a build is really needed.
  const { build } = await import('vite');
  await build({ configFile: bundle.configFile, build: { outDir: staging, emptyOutDir: true }, logLevel: 'warn' });
  const old = `${dist}.old-${process.pid}`;
  if (existsSync(dist)) renameSync(dist, old);
  renameSync(staging, dist);
  rmSync(old, { recursive: true, force: true });
}

/** The newest modification time (ms) of any input. */
function newestInput(inputs: readonly string[]): number {
  let newest = 0;
  const visit = (path: string): void => {
    if (!existsSync(path)) return;
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path)) if (entry !== 'node_modules' && entry !== 'dist') visit(join(path, entry));
    } else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const input of inputs) visit(input);
  return newest;
}
