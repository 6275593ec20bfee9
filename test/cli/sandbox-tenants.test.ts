import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliArgv, runProcess, type CliResult } from '../helpers/cli.js';
import { freshDatabase, postgresForTests, type TestDatabase } from '../helpers/postgres.js';
import { isEligibleOrder } from '../proofs/harness/books.js';
import { maplineCli } from '../proofs/harness/cli-bundle.js';

/**
 * `mapline sandbox --tenants 2 --config-dir DIR` as a user runs it (a child process until Ctrl-C), then the loop
 * docs/service.md gives: every folder added as an integration and run, each booking into its own company only.
 */
const postgres = await postgresForTests(import.meta.filename);

let database: TestDatabase;
let dir: string;
let cli: string;
let sandbox: ChildProcess;
let printed = '';
const key = randomBytes(32).toString('base64');

function mapline(args: readonly string[]): Promise<CliResult> {
  return runProcess([process.execPath, cli, ...args], { cwd: dir, env: { MAPLINE_DATABASE_URL: database.url, MAPLINE_SECRET_KEY: key } });
}

interface Connections {
  ccvshop: { baseUrl: string; publicKey: string };
  eaccounting: { baseUrl: string; clientId: string };
}
const connectionsOf = (tenant: string): Connections => (JSON.parse(readFileSync(join(dir, 'fleet', tenant, 'mapline.config.json'), 'utf8')) as { connections: Connections }).connections;

/** Records as the sandbox holds them, through its control API (the sandboxes live in the child process). */
async function records(baseUrl: string, entity: string): Promise<Record<string, unknown>[]> {
  const response = await fetch(`${new URL(baseUrl).origin}/__sandbox/records/${entity}`);
  return (await response.json()) as Record<string, unknown>[];
}

describe.skipIf(!postgres)('mapline sandbox --tenants --config-dir', () => {
  beforeAll(async () => {
    database = await freshDatabase();
    dir = mkdtempSync(join(tmpdir(), 'mapline-fleet-'));
    cli = await maplineCli();
    const [node, ...argv] = cliArgv(['sandbox', '--tenants', '2', '--ccv-port', '0', '--eaccounting-port', '0', '--orders', '8', '--customers', '5', '--products', '6', '--time-scale', '0.01', '--seed', 'cli-fleet', '--config-dir', join(dir, 'fleet')]);
    sandbox = spawn(node!, argv, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      sandbox.stdout!.on('data', (chunk: Buffer) => {
        printed += chunk.toString();
        if (printed.includes('press Ctrl-C to stop')) resolve();
      });
      sandbox.stderr!.on('data', (chunk: Buffer) => (printed += chunk.toString()));
      sandbox.on('exit', (code) => reject(new Error(`mapline sandbox exited (${code}): ${printed}`)));
    });
  }, 120_000);
  afterAll(async () => {
    if (sandbox && sandbox.exitCode === null) {
      const exited = new Promise((resolve) => sandbox.once('exit', resolve));
      sandbox.kill('SIGINT');
      await exited;
    }
    await database?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('writes one complete config per tenant, with its own servers and credentials and the .map files beside it', () => {
    expect(printed).toContain('wrote 2 configs under');
    expect(readdirSync(join(dir, 'fleet')).sort()).toEqual(['tenant-1', 'tenant-2']);
    const [one, two] = [connectionsOf('tenant-1'), connectionsOf('tenant-2')];
    expect([one.ccvshop.publicKey, one.eaccounting.clientId, two.ccvshop.publicKey, two.eaccounting.clientId]).toEqual(['demo1', 'demo1', 'demo2', 'demo2']);
    expect(one.ccvshop.baseUrl).not.toBe(two.ccvshop.baseUrl);
    expect(readdirSync(join(dir, 'fleet', 'tenant-2', 'mappings'))).toContain('orders.map');
  });

  it('every config adds as an integration and runs, booking each tenant’s orders into its own company only', async () => {
    for (const tenant of ['tenant-1', 'tenant-2']) {
      const added = await mapline(['integrations', 'add', tenant, '--config', join(dir, 'fleet', tenant, 'mapline.config.json')]);
      expect(added.stderr, tenant).toBe('');
      expect(added.stdout).toContain(`Added integration ${tenant}`);
    }
    for (const tenant of ['tenant-1', 'tenant-2']) {
      const run = await mapline(['integrations', 'run', tenant, '--json']);
      expect(run.status, run.stderr).toBe(0);
      const summary = JSON.parse(run.stdout) as { flows: Record<string, { created: number; failed: number }> };
      const connections = connectionsOf(tenant);
      const eligible = (await records(connections.ccvshop.baseUrl, 'orders')).filter(isEligibleOrder);
      expect(eligible.length).toBeGreaterThan(0);
      expect(summary.flows.orders!.created, tenant).toBe(eligible.length);
      // The company holds exactly this shop's orders (by their numbers), none of the other tenant's.
      const booked = (await records(connections.eaccounting.baseUrl, 'orders')).map((o) => String(o.YourReference ?? '')).filter((r) => r.startsWith('WEB-'));
      expect(booked.sort()).toEqual(eligible.map((o) => String(o.ordernumber_full)).sort());
    }
    const second = JSON.parse((await mapline(['integrations', 'run', 'tenant-1', '--json'])).stdout) as { flows: Record<string, { created: number }> };
    expect(second.flows.orders!.created).toBe(0);

    // The runs drew on the shared rate budgets: one per tenant and connector (2 x 2 credential keys), keyed by a
    // hash, never by the credentials.
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ key: string }>('SELECT key FROM mapline.rate_budgets');
      expect(new Set(rows.map((r) => r.key.split('|')[0])).size).toBe(4);
      expect(rows.some((r) => /demo/.test(r.key))).toBe(false);
    } finally {
      await client.end();
    }
  });
});
