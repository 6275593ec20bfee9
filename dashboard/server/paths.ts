import { join } from 'node:path';
import type { Bundle } from '../../playground/server/ensure-built.js';
import { repoRoot } from '../../playground/server/paths.js';

/** The dashboard page's bundle: built by vite like the playground, from `dashboard/` and the playground's share code. */
export function dashboardBundle(root = repoRoot()): Bundle {
  return {
    configFile: join(root, 'dashboard', 'vite.config.ts'),
    dist: join(root, 'dashboard', 'dist'),
    inputs: ['dashboard/src', 'dashboard/index.html', 'dashboard/vite.config.ts', 'playground/src/share.ts'].map((p) => join(root, p)),
  };
}
