import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandboxes, type RunningSandboxes, type SandboxesOptions } from '../../connectors/sandbox/index.js';
import type { MaplineConfig } from '../../runtime/config/config.js';
import { openConnections, type Connections } from '../../runtime/config/connect.js';
import { parseConfig } from '../../runtime/config/load.js';
import { sandboxConnections } from '../../runtime/config/sandbox-connections.js';
import { authorizeSandboxConnections } from '../../runtime/config/sandbox-auth.js';
import { SqliteStateStore } from '../../runtime/state/sqlite-store.js';

export const repoRoot = join(import.meta.dirname, '../..');

/** Sandboxes, a temp state file and a config over them; the clients' limits follow `clientLimits`. */
export interface BenchEnv {
  readonly sandboxes: RunningSandboxes;
  readonly config: MaplineConfig;
  readonly dir: string;
  /** Authorises the eAccounting sandbox client and stores the tokens in the state file. */
  authorize(): Promise<void>;
  /** The engine's clients over the same connections `mapline run` opens (for hand-written scripts). */
  connect(): Promise<Connections & { store: SqliteStateStore }>;
  close(): Promise<void>;
}

export async function startBenchEnv(
  sandbox: SandboxesOptions,
  options: { maps?: readonly string[]; clientLimits?: boolean; timeScale?: number } = {},
): Promise<BenchEnv> {
  const sandboxes = await startSandboxes({ rateLimits: { enabled: false }, ...sandbox });
  const dir = mkdtempSync(join(tmpdir(), 'mapline-bench-'));
  const limits = options.clientLimits ?? false;
  const scale = options.timeScale !== undefined ? { timeScale: options.timeScale } : {};
  const config = parseConfig(
    {
      state: join(dir, 'state.sqlite'),
      connections: sandboxConnections(sandboxes, { rateLimits: limits, ...scale }),
      flows: (options.maps ?? ['mappings/orders.map']).map((file) => ({ file: join(repoRoot, file) })),
    },
    join(dir, 'mapline.config.json'),
  );
  return {
    sandboxes,
    config,
    dir,
    async authorize() {
      const store = SqliteStateStore.open(config.state);
      try {
        await authorizeSandboxConnections(config, store);
      } finally {
        await store.close();
      }
    },
    async connect() {
      const store = SqliteStateStore.open(config.state);
      await authorizeSandboxConnections(config, store);
      const connections = openConnections(config, store);
      return {
        clients: connections.clients,
        store,
        async close() {
          await connections.close();
          await store.close();
        },
      };
    },
    async close() {
      await sandboxes.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
