import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RunningTenant } from '../../connectors/sandbox/tenants.js';
import { sandboxConnections } from './sandbox-connections.js';

export interface TenantConfigOptions {
  /** The folder the `.map` files are copied from (the package root). */
  readonly mappingsRoot: string;
  /** The `.map` files, relative to `mappingsRoot` (`mappings/orders.map`); each tenant's config lists them in order. */
  readonly mappings: readonly string[];
  /** The sandboxes' time scale, written into each connection so the clients' rate windows match the servers'. */
  readonly timeScale?: number;
}

/**
 * Writes `dir/<tenant>/mapline.config.json` for every tenant, with its own connections (its servers, its
 * credentials) and a copy of the `.map` files next to it, so each folder is a complete integration:
 * `mapline integrations add tenant-1 --config dir/tenant-1/mapline.config.json` (or `mapline run` in it).
 * Returns the config files written.
 */
export function writeTenantConfigs(dir: string, tenants: readonly RunningTenant[], options: TenantConfigOptions): string[] {
  const written: string[] = [];
  for (const tenant of tenants) {
    const folder = join(dir, tenant.name);
    for (const file of options.mappings) {
      mkdirSync(dirname(join(folder, file)), { recursive: true });
      copyFileSync(join(options.mappingsRoot, file), join(folder, file));
    }
    const config = {
      state: 'mapline.state.sqlite',
      retentionDays: 30,
      connections: sandboxConnections(tenant, options.timeScale !== undefined ? { timeScale: options.timeScale } : {}),
      flows: options.mappings.map((file) => ({ file })),
    };
    const path = join(folder, 'mapline.config.json');
    writeFileSync(path, `${JSON.stringify(config, null, 2)}\n`);
    written.push(path);
  }
  return written;
}
