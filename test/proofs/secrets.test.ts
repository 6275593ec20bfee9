import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isEligibleOrder } from './harness/books.js';
import { startProofEnv, type CliResult, type ProofEnv } from './harness/env.js';

/**
 * Secrets: runs with distinctive credentials (successful, failing, dry, with a wrong secret), then everything
 * the runs wrote is searched for the secrets and for every access and refresh token seen. The token pair lives
 * in the state file's `tokens` table by design (it is the credential store, like `mapline auth` writes it); no
 * other table (activity log, quarantine, runs), no output and no other file may hold any of them.
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
