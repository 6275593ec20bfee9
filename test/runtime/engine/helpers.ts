import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { authorizeEaccounting } from '../../../cli/commands/auth.js';
import { startSandboxes, type RunningSandboxes, type SandboxesOptions } from '../../../connectors/sandbox/index.js';
import type { MaplineConfig } from '../../../runtime/config/config.js';
import { parseConfig } from '../../../runtime/config/load.js';
import { sandboxConnections } from '../../../runtime/config/sandbox-connections.js';
import { SqliteStateStore } from '../../../runtime/state/sqlite-store.js';
import type { SyncRequest } from '../../../runtime/sync.js';
import { syncResult } from '../../helpers/sync.js';
import type { RunResult } from '../../../runtime/engine/index.js';

export const repoRoot = join(import.meta.dirname, '../../..');

/** Both sandboxes on free ports, a temp state file, a config pointing at them, and an authorised eAccounting. */
export interface Env {
  readonly sandboxes: RunningSandboxes;
  readonly config: MaplineConfig;
  readonly dir: string;
  sync(request?: Omit<SyncRequest, 'config'>): Promise<RunResult>;
  /** Opens the state file (close it before the next sync). */
  state(): SqliteStateStore;
  close(): Promise<void>;
}

export async function startEnv(
  mapFiles: readonly string[],
  options: { settings?: Record<string, unknown>; sandbox?: SandboxesOptions } = {},
): Promise<Env> {
  const sandboxes = await startSandboxes({ rateLimits: { enabled: false }, ...options.sandbox });
  const dir = mkdtempSync(join(tmpdir(), 'mapline-e2e-'));
  const config = parseConfig(
    {
      state: join(dir, 'state.sqlite'),
      connections: sandboxConnections(sandboxes, { rateLimits: false }),
      flows: mapFiles.map((file) => ({ file: join(repoRoot, file), ...(options.settings ? { settings: options.settings } : {}) })),
    },
    join(dir, 'mapline.config.json'),
  );
  const code = await authorizeEaccounting(
    { clientId: 'demo', clientSecret: 'demo', identityUrl: sandboxes.eaccounting.origin, state: config.state, follow: true, timeout: '30', verify: false },
    () => {},
  );
  if (code !== 0) throw new Error('could not authorise with the eAccounting sandbox');
  return {
    sandboxes,
    config,
    dir,
    sync: (request = {}) => syncResult({ config, ...request }),
    state: () => SqliteStateStore.open(config.state),
    async close() {
      await sandboxes.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Values of a field over sandbox records. */
export function valuesOf(records: readonly Record<string, unknown>[], field: string): unknown[] {
  return records.map((r) => r[field]);
}

export function duplicates(values: readonly unknown[]): unknown[] {
  const seen = new Set<unknown>();
  const twice = new Set<unknown>();
  for (const v of values) (seen.has(v) ? twice : seen).add(v);
  return [...twice];
}

/**
 * Makes the article most ordered in the shop "missing" in eAccounting (its number changed), so orders with it
 * fail whatever the seed; returns its SKU and a function that puts it back.
 */
export function retireMostOrderedArticle(env: Env): { sku: string; restore: () => void } {
  const counts = new Map<string, number>();
  for (const row of env.sandboxes.ccvshop.control.records('orderrows')) {
    const sku = String(row.product_number);
    counts.set(sku, (counts.get(sku) ?? 0) + 1);
  }
  const articles = env.sandboxes.eaccounting.control.records('articles');
  const [sku] = [...counts.entries()].filter(([number]) => articles.some((a) => a.Number === number)).sort((a, b) => b[1] - a[1])[0]!;
  const article = articles.find((a) => a.Number === sku)!;
  env.sandboxes.eaccounting.control.putRecords('articles', [{ ...article, Number: `${sku}-RETIRED` }]);
  return { sku, restore: () => env.sandboxes.eaccounting.control.putRecords('articles', [article]) };
}
