import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Json } from '../../compiler/artifact.js';
import { startSandboxes, type RunningSandboxes, type SandboxesOptions } from '../../connectors/sandbox/index.js';
import type { MaplineConfig } from '../../runtime/config/config.js';
import { parseConfig } from '../../runtime/config/load.js';
import { sandboxConnections } from '../../runtime/config/sandbox-connections.js';
import { authorizeSandboxConnections } from '../../runtime/config/sandbox-auth.js';
import type { RunResult } from '../../runtime/engine/index.js';
import { SqliteStateStore } from '../../runtime/state/sqlite-store.js';
import type { SyncRequest } from '../../runtime/sync.js';
import { syncResult } from '../helpers/sync.js';

export const repoRoot = join(import.meta.dirname, '../..');

/** One `.map` file of the repository with the setting overrides it runs with. */
export interface FlowFile {
  readonly file: string;
  readonly settings?: Record<string, Json>;
}

/** Both sandboxes on free ports, a temp state file and a config pointing at them, as a merchant's would. */
export interface CatalogueEnv {
  readonly sandboxes: RunningSandboxes;
  readonly config: MaplineConfig;
  readonly dir: string;
  /** The config with other flow files or settings (same sandboxes, same state). */
  configWith(files: readonly FlowFile[], extra?: Record<string, unknown>): MaplineConfig;
  sync(files?: readonly FlowFile[], request?: Omit<SyncRequest, 'config'>): Promise<RunResult>;
  state(): SqliteStateStore;
  close(): Promise<void>;
}

export async function startCatalogueEnv(files: readonly FlowFile[], sandbox: SandboxesOptions = {}): Promise<CatalogueEnv> {
  const sandboxes = await startSandboxes({ rateLimits: { enabled: false }, ...sandbox });
  const dir = mkdtempSync(join(tmpdir(), 'mapline-catalogue-'));
  const configWith = (list: readonly FlowFile[], extra: Record<string, unknown> = {}): MaplineConfig =>
    parseConfig(
      {
        state: join(dir, 'state.sqlite'),
        // Retry backoff a hundred times shorter, so a cycle against a failing sandbox ends in well under a second.
        connections: sandboxConnections(sandboxes, { rateLimits: false, timeScale: 0.01 }),
        flows: list.map((f) => ({ file: join(repoRoot, f.file), settings: f.settings ?? {} })),
        ...extra,
      },
      join(dir, 'mapline.config.json'),
    );
  const config = configWith(files);
  return {
    sandboxes,
    config,
    dir,
    configWith,
    sync: (list, request = {}) => syncResult({ config: list ? configWith(list) : config, prepareConnections: authorizeSandboxConnections, ...request }),
    state: () => SqliteStateStore.open(config.state),
    async close() {
      await sandboxes.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

type Rec = Record<string, unknown>;
let serial = 0;

/** Puts an eAccounting article (a copy of a seeded one with these fields), changed "now" on the sandbox clock. */
export function putArticle(env: CatalogueEnv, fields: Rec): Rec {
  const control = env.sandboxes.eaccounting.control;
  const existing = control.records('articles').find((a) => a.Number === fields.Number);
  const now = env.sandboxes.clock.date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const base = existing ?? { ...control.records('articles')[0], Id: `00000000-0000-4000-8000-${String(++serial).padStart(12, '0')}`, CreatedUtc: now, Barcodes: [] };
  const article = { ...base, ...fields, ChangedUtc: now };
  control.putRecords('articles', [article]);
  return article;
}

/** Puts a CCV Shop product (a copy of a seeded one with these fields). */
export function putProduct(env: CatalogueEnv, fields: Rec): Rec {
  const control = env.sandboxes.ccvshop.control;
  const existing = control.records('products').find((p) => p.productnumber === fields.productnumber);
  const now = env.sandboxes.clock.date().toISOString();
  const base = existing ?? { ...control.records('products')[0], id: 990_000 + ++serial, createdate: now };
  const product = { ...base, ...fields, modifydate: now };
  control.putRecords('products', [product]);
  return product;
}

export function shopProduct(env: CatalogueEnv, productnumber: string): Rec | undefined {
  return env.sandboxes.ccvshop.control.records('products').find((p) => p.productnumber === productnumber);
}

export function article(env: CatalogueEnv, number: string): Rec | undefined {
  return env.sandboxes.eaccounting.control.records('articles').find((a) => a.Number === number);
}

/** Writes (POST, PUT, PATCH) a sandbox received since `seq`. */
export function writesSince(control: { requests(): { seq: number; method: string; url: string }[] }, seq: number): string[] {
  return control.requests().filter((r) => r.seq > seq && r.method !== 'GET').map((r) => `${r.method} ${r.url}`);
}

export function lastSeq(control: { requests(): { seq: number }[] }): number {
  return control.requests().at(-1)?.seq ?? 0;
}
