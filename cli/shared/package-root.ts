import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The folder holding the default `mappings/` (the repository or the installed package; from source or dist/). */
export function packageRoot(): string {
  for (let dir = import.meta.dirname; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'mappings', 'orders.map'))) return dir;
  }
  throw new Error('cannot find the default mappings/ folder');
}
