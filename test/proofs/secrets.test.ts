import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxConnections } from '../../runtime/config/sandbox-connections.js';
import { SecretBox } from '../../runtime/secrets/secret-box.js';
import { PgStateStore } from '../../runtime/state/pg-store.js';
import { freshDatabase, postgresForTests, type TestDatabase } from '../helpers/postgres.js';
import { isEligibleOrder } from './harness/books.js';
import { repoRoot } from './harness/cli-bundle.js';
import { startProofEnv, type CliResult, type ProofEnv } from './harness/env.js';

/**
 * Secrets: runs with distinctive credentials (successful, failing, dry, with a wrong secret), then everything
 * the runs wrote is searched for the secrets and for every access and refresh token seen. The token pair lives
 * in the state file's `tokens` table by design (it is the credential store, like `mapline auth` writes it); no
 * other table (activity log, quarantine, runs), no output and no other file may hold any of them.
 * Service mode (PostgreSQL) goes further: there the secrets and the tokens are sealed (AES-256-GCM), so no
 * column of any Mapline table may hold any of them in clear, the tokens table included.
 */
const CCV_SECRET = 'ccv-SECRET-5f2a9e71c3d04b';
const EA_CLIENT_SECRET = 'ea-SECRET-8d41b07e66a9f2';
const WRONG_CCV_SECRET = 'ccv-WRONG-SECRET-77aa31cc';

let env: ProofEnv;
const outputs: { label: string; result: CliResult }[] = [];
const tokens = new Set<string>();

beforeAll(async () => {
  env = await startProofEnv({
    sandbox: {
      seed: 'secrets',
      sizes: { orders: 16, customers: 8, products: 12 },
      ccvshop: { secret: CCV_SECRET },
      // A one-second access token: every run refreshes (and rotates the refresh token), so several pairs are seen.
      eaccounting: { clientSecret: EA_CLIENT_SECRET, accessTokenSeconds: 1 },
    },
    omit: ['secret', 'clientSecret'], // from the environment, as a merchant sets them
  });
  // A record that fails for its data, and faults, so failure paths (quarantine, errors) are written too.
  const broken = env.sandboxes.ccvshop.control.records('orders').find(isEligibleOrder)!;
  env.sandboxes.ccvshop.control.putRecords('orders', [{ ...broken, currency: undefined }]);
  // API faults only (not on /connect/token: a lost refresh answer ends the rotating refresh token, see docs/proofs.md).
  const apiFaults = () =>
    env.sandboxes.eaccounting.control.injectFaults([
      { kind: 'error', method: 'GET', pathPrefix: '/v2/', status: 500 },
      { kind: 'error', method: 'POST', pathPrefix: '/v2/customers', status: 500 },
      { kind: 'lost-response', method: 'POST', pathPrefix: '/v2/orders' },
      { kind: 'lost-response', method: 'PUT', pathPrefix: '/v2/customers/' },
      { kind: 'drop', method: 'POST', pathPrefix: '/v2/orders' },
    ]);

  const secrets = { MAPLINE_CCVSHOP_SECRET: CCV_SECRET, MAPLINE_EACCOUNTING_CLIENT_SECRET: EA_CLIENT_SECRET };
  const step = async (label: string, args: string[], extra: NodeJS.ProcessEnv = {}) => {
    outputs.push({ label, result: await env.cli(args, { ...secrets, ...extra }) });
    collectTokens();
    if (args[0] === 'run') await new Promise((resolve) => setTimeout(resolve, 1100)); // let the access token expire
  };
  apiFaults();
  await step('dry run', ['run', '--dry-run']);
  await step('run with failures', ['run']);
  apiFaults();
  await step('second run', ['run', '--json']);
  await step('run with a wrong CCV secret', ['run'], { MAPLINE_CCVSHOP_SECRET: WRONG_CCV_SECRET });
  await step('retry failed', ['run', '--retry-failed']);
  await step('logs', ['logs', '--limit', '1000']);
  await step('logs --json', ['logs', '--json', '--limit', '1000']);
  await step('logs --failed', ['logs', '--failed', '--json']);
  await step('logs --record', ['logs', '--record', String(broken.id)]);
}, 120_000);
afterAll(async () => {
  await env.close();
});

function collectTokens(): void {
  const db = new Database(env.stateFile, { readonly: true });
  try {
    for (const row of db.prepare('SELECT token FROM tokens').all() as { token: string }[]) {
      const pair = JSON.parse(row.token) as Record<string, unknown>;
      for (const [field, value] of Object.entries(pair)) if (/token/i.test(field) && typeof value === 'string' && value.length >= 16) tokens.add(value);
    }
  } finally {
    db.close();
  }
}

const SECRETS = [CCV_SECRET, EA_CLIENT_SECRET, WRONG_CCV_SECRET];

describe('secrets never appear in what a run writes', () => {
  it('the runs really ran, failed where they should and refreshed tokens', () => {
    expect(outputs.find((o) => o.label === 'run with failures')!.result.stdout).toMatch(/failed/);
    expect(outputs.find((o) => o.label === 'run with a wrong CCV secret')!.result.status).not.toBe(0);
    expect(tokens.size).toBeGreaterThanOrEqual(4);
  });

  it('stdout and stderr of every command hold no secret and no token', () => {
    for (const { label, result } of outputs) {
      for (const text of [result.stdout, result.stderr]) {
        for (const secret of [...SECRETS, ...tokens]) expect(text.includes(secret), `${label} printed ${secret.slice(0, 8)}...`).toBe(false);
      }
    }
  });

  it('no file in the state directory (database, WAL, shared memory) holds a secret', () => {
    for (const file of readdirSync(env.dir)) {
      if (file === 'mapline.config.json' || file === 'node_modules') continue;
      const bytes = readFileSync(join(env.dir, file));
      for (const secret of SECRETS) {
        expect(bytes.includes(Buffer.from(secret, 'utf8')), `${file} holds ${secret.slice(0, 8)}...`).toBe(false);
        expect(bytes.includes(Buffer.from(secret, 'utf16le')), `${file} holds ${secret.slice(0, 8)}... (UTF-16)`).toBe(false);
      }
    }
  });

  it('no table but `tokens` (activity, quarantine, runs, links, ...) holds a secret or a token', () => {
    const db = new Database(env.stateFile, { readonly: true });
    try {
      const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name);
      expect(tables).toEqual(expect.arrayContaining(['activity', 'quarantine', 'runs']));
      for (const table of tables.filter((t) => t !== 'tokens' && !t.startsWith('sqlite_'))) {
        const text = JSON.stringify(db.prepare(`SELECT * FROM "${table}"`).all());
        for (const secret of [...SECRETS, ...tokens]) expect(text.includes(secret), `table ${table} holds ${secret.slice(0, 8)}...`).toBe(false);
      }
    } finally {
      db.close();
    }
  });

  it('the state file, which holds the token pair, is readable and writable by its owner only', () => {
    for (const file of readdirSync(env.dir).filter((f) => f.startsWith('state.sqlite'))) {
      expect((statSync(join(env.dir, file)).mode & 0o077).toString(8), file).toBe('0');
    }
  });
});

/**
 * Service mode: integrations whose config holds the secrets in clear (sealed when added) are added, run (with
 * faults and a failing record, as above, and a one-second access token, so tokens rotate), dry-run, listed and
 * shown; one integration has a wrong CCV secret. Then every text, json, array and bytea column of every table in
 * the `mapline` schema is searched for the secrets and for every access and refresh token the runs used.
 */
const postgres = await postgresForTests(import.meta.filename);

describe.skipIf(!postgres)('secrets never appear in the service database', () => {
  const key = randomBytes(32);
  const serviceOutputs: { label: string; result: CliResult }[] = [];
  const serviceTokens = new Set<string>();
  let database: TestDatabase;
  let configDir: string;

  beforeAll(async () => {
    database = await freshDatabase();
    configDir = mkdtempSync(join(tmpdir(), 'mapline-secrets-service-'));
    const config = (secret: string) => ({
      connections: sandboxConnections(env.sandboxes, { rateLimits: false }),
      flows: ['mappings/customers.map', 'mappings/orders.map'].map((file) => ({ file: join(repoRoot, file) })),
      notify: { webhook: 'http://127.0.0.1:9/hook?token=webhook-SECRET-3e9f1a', attempts: 1 },
      _secret: secret,
    });
    for (const [name, secret] of [['shop', CCV_SECRET], ['wrong', WRONG_CCV_SECRET]] as const) {
      const { _secret, ...body } = config(secret);
      body.connections.ccvshop!.secret = _secret;
      writeFileSync(join(configDir, `${name}.json`), JSON.stringify(body));
    }
    const serviceEnv = { MAPLINE_DATABASE_URL: database.url, MAPLINE_SECRET_KEY: key.toString('base64') };
    const step = async (label: string, args: string[]) => {
      serviceOutputs.push({ label, result: await env.cli(args, serviceEnv) });
      await collectServiceTokens();
      if (args[1] === 'run') await new Promise((resolve) => setTimeout(resolve, 1100)); // let the access token expire
    };
    await step('add', ['integrations', 'add', 'shop', '--config', join(configDir, 'shop.json')]);
    await step('add wrong', ['integrations', 'add', 'wrong', '--config', join(configDir, 'wrong.json')]);
    await step('service dry run', ['integrations', 'run', 'shop', '--dry-run']);
    await step('service run', ['integrations', 'run', 'shop']);
    env.sandboxes.eaccounting.control.injectFaults([
      { kind: 'error', method: 'POST', pathPrefix: '/v2/customers', status: 500 },
      { kind: 'lost-response', method: 'POST', pathPrefix: '/v2/orders' },
    ]);
    await step('service run with faults', ['integrations', 'run', 'shop', '--json']);
    await step('service run with a wrong CCV secret', ['integrations', 'run', 'wrong']);
    await step('service retry', ['integrations', 'run', 'shop', '--retry-failed']);
    await step('list', ['integrations', 'list', '--json']);
    await step('show', ['integrations', 'show', 'shop']);
    await step('show --json', ['integrations', 'show', 'shop', '--json']);
  }, 120_000);
  afterAll(async () => {
    await database?.drop();
    if (configDir) rmSync(configDir, { recursive: true, force: true });
  });

  /** The token pairs as the runs use them: opened with the key, through each integration's own store. */
  async function collectServiceTokens(): Promise<void> {
    const pool = new pg.Pool({ connectionString: database.url, max: 1 });
    try {
      const exists = (await pool.query("SELECT to_regclass('mapline.integrations') AS t")).rows[0].t;
      if (!exists) return;
      const { rows } = await pool.query<{ id: string; name: string }>('SELECT id, name FROM mapline.integrations');
      for (const integration of rows) {
        const pair = (await PgStateStore.open(pool, integration, { secrets: new SecretBox(key) }).loadToken('eaccounting')) as Record<string, unknown> | undefined;
        for (const [field, value] of Object.entries(pair ?? {})) if (/token/i.test(field) && typeof value === 'string' && value.length >= 16) serviceTokens.add(value);
      }
    } finally {
      await pool.end();
    }
  }

  const SERVICE_SECRETS = [...SECRETS, 'webhook-SECRET-3e9f1a'];

  it('the service runs really ran, failed where they should and refreshed tokens', () => {
    const out = (label: string) => serviceOutputs.find((o) => o.label === label)!.result;
    expect(out('add').status, out('add').stderr).toBe(0);
    expect(out('service run').stdout).toMatch(/^Integration shop: Run /);
    expect(out('service run').stdout).toMatch(/failed/); // the broken order is quarantined, with everything written
    expect(out('service run').stderr).toContain('webhook http://127.0.0.1:9 unreachable'); // notified (by origin only)
    expect(out('service run with a wrong CCV secret').status).not.toBe(0);
    expect(serviceTokens.size).toBeGreaterThanOrEqual(3);
  });

  it('no command of service mode prints a secret or a token', () => {
    for (const { label, result } of serviceOutputs) {
      for (const text of [result.stdout, result.stderr]) {
        for (const secret of [...SERVICE_SECRETS, ...serviceTokens]) expect(text.includes(secret), `${label} printed ${secret.slice(0, 8)}...`).toBe(false);
      }
    }
  });

  it('no text, json, array or bytea column of any Mapline table holds a secret or a token in clear', async () => {
    const pool = new pg.Pool({ connectionString: database.url, max: 1 });
    try {
      const { rows: columns } = await pool.query<{ table_name: string; column_name: string; data_type: string }>(
        `SELECT table_name, column_name, data_type FROM information_schema.columns
         WHERE table_schema = 'mapline' AND data_type IN ('text', 'json', 'jsonb', 'bytea', 'ARRAY', 'character varying')
         ORDER BY table_name, column_name`,
      );
      const tables = new Set(columns.map((c) => c.table_name));
      expect([...tables]).toEqual(expect.arrayContaining(['activity', 'quarantine', 'runs', 'tokens', 'integrations', 'integration_secrets', 'integration_maps']));
      let searched = 0;
      for (const { table_name, column_name, data_type } of columns) {
        const { rows } = await pool.query<{ v: unknown }>(`SELECT "${column_name}" AS v FROM mapline."${table_name}" WHERE "${column_name}" IS NOT NULL`);
        for (const { v } of rows) {
          searched++;
          const bytes = Buffer.isBuffer(v) ? v : Buffer.from(typeof v === 'string' ? v : JSON.stringify(v), 'utf8');
          for (const secret of [...SERVICE_SECRETS, ...serviceTokens]) {
            expect(bytes.includes(Buffer.from(secret, 'utf8')), `${table_name}.${column_name} (${data_type}) holds ${secret.slice(0, 8)}...`).toBe(false);
          }
        }
      }
      expect(searched).toBeGreaterThan(100); // the runs wrote activity, runs, links, tokens
    } finally {
      await pool.end();
    }
  });
});
