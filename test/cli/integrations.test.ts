import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxes, type RunningSandboxes } from '../../connectors/sandbox/index.js';
import { runProcess, type CliResult } from '../helpers/cli.js';
import { freshDatabase, postgresForTests, type TestDatabase } from '../helpers/postgres.js';
import { writeShopConfig } from '../helpers/service-tenants.js';
import { isEligibleOrder } from '../proofs/harness/books.js';
import { maplineCli, repoRoot } from '../proofs/harness/cli-bundle.js';

/**
 * `mapline integrations ...` as a user runs it: the real CLI in a child process, a real PostgreSQL database,
 * two integrations against two pairs of sandboxes seeded alike (the same shop order ids in both), so state that
 * leaked from one integration to the other would show as orders not booked.
 */
const postgres = await postgresForTests(import.meta.filename);

let database: TestDatabase;
let dir: string;
let cli: string;
const shops: RunningSandboxes[] = [];
const key = randomBytes(32).toString('base64');

function mapline(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return runProcess([process.execPath, cli, ...args], { cwd: dir, env: { MAPLINE_DATABASE_URL: database.url, MAPLINE_SECRET_KEY: key, ...env } });
}

async function json<T>(args: readonly string[]): Promise<T> {
  const result = await mapline([...args, '--json']);
  expect(result.stderr, args.join(' ')).toBe('');
  return JSON.parse(result.stdout) as T;
}

/** A config folder for one shop (the default customers and orders maps, `maps` replacing some). */
const configFor = (name: string, sandboxes: RunningSandboxes, maps: Record<string, string> = {}): string => writeShopConfig(join(dir, name), sandboxes, { maps });

const eligible = (shop: RunningSandboxes): number => shop.ccvshop.control.records('orders').filter(isEligibleOrder).length;
/** Orders the runs booked: the eAccounting sandbox seeds orders of its own (their YourReference is not a shop's WEB-). */
const booked = (shop: RunningSandboxes): number => shop.eaccounting.control.records('orders').filter((o) => String(o.YourReference ?? '').startsWith('WEB-')).length;

interface FlowStatus {
  flow: string;
  state: string;
  lastRun: { created: number; updated: number; failed: number; finishedAt: string } | null;
  nextRun: string | null;
}
interface Status {
  name: string;
  state: string;
  flows: FlowStatus[];
}

describe.skipIf(!postgres)('mapline integrations', () => {
  beforeAll(async () => {
    database = await freshDatabase();
    dir = mkdtempSync(join(tmpdir(), 'mapline-integrations-'));
    cli = await maplineCli();
    for (let i = 0; i < 2; i++) {
      shops.push(
        await startSandboxes({
          seed: 'integrations',
          sizes: { orders: 12, customers: 6, products: 8 },
          rateLimits: { enabled: false },
          ccvshop: { secret: `ccv-secret-shop-${i}-7f3a9c` },
          eaccounting: { clientSecret: `ea-secret-shop-${i}-c41d02` },
          ccvPort: 0,
          eaccountingPort: 0,
        }),
      );
    }
  });
  afterAll(async () => {
    for (const shop of shops) await shop.close();
    await database?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('add refuses a .map file with errors, printing file:line:col diagnostics, and stores nothing', async () => {
    const broken = readFileSync(join(repoRoot, 'mappings/orders.map'), 'utf8').replace('  YourReference = ordernumber_full', '  YourReference = ordernumber_fulll');
    const result = await mapline(['integrations', 'add', 'broken', '--config', configFor('broken', shops[0]!, { 'orders.map': broken })]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/mappings\/orders\.map:\d+:\d+/);
    expect(result.stderr).toContain('ordernumber_fulll');
    expect(result.stderr).toContain('broken not added');
    expect(await json<Status[]>(['integrations', 'list'])).toEqual([]);
  });

  it('add stores an integration; list shows each flow idle, never run, with no next run yet', async () => {
    const added = await mapline(['integrations', 'add', 'shop-a', '--config', configFor('shop-a', shops[0]!)]);
    expect(added.stderr).toBe('');
    expect(added.stdout).toContain('Added integration shop-a: flows customers, orders');
    expect(added.stdout).toContain('Stored encrypted: connections.ccvshop.publicKey, connections.ccvshop.secret, connections.eaccounting.clientSecret');
    expect(await json<Status[]>(['integrations', 'list'])).toEqual([
      {
        name: 'shop-a',
        state: 'active',
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
        flows: [
          { flow: 'customers', state: 'idle', lastRun: null, nextRun: null },
          { flow: 'orders', state: 'idle', lastRun: null, nextRun: null },
        ],
      },
    ]);
    const again = await mapline(['integrations', 'add', 'shop-a', '--config', join(dir, 'shop-a', 'mapline.config.json')]);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('an integration named shop-a exists already (use --replace');
  });

  it("run books every eligible order once, a second run creates nothing, and list shows the last run's counts", async () => {
    const shop = shops[0]!;
    expect(eligible(shop)).toBeGreaterThan(3);
    const first = await mapline(['integrations', 'run', 'shop-a', '--json']);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    const summary = JSON.parse(first.stdout) as { integration: string; flows: Record<string, { created: number }> };
    expect(summary.integration).toBe('shop-a');
    expect(summary.flows.orders!.created).toBe(eligible(shop));
    expect(booked(shop)).toBe(eligible(shop));

    const second = JSON.parse((await mapline(['integrations', 'run', 'shop-a', '--json'])).stdout) as typeof summary;
    expect(Object.values(second.flows).map((f) => f.created)).toEqual([0, 0]);
    expect(booked(shop)).toBe(eligible(shop));

    const [status] = await json<Status[]>(['integrations', 'list']);
    const orders = status!.flows.find((f) => f.flow === 'orders')!;
    // The last run is the second one: nothing created.
    expect(orders).toMatchObject({ state: 'idle', lastRun: { created: 0, updated: 0, failed: 0 }, nextRun: null });

    const text = await mapline(['integrations', 'run', 'shop-a', '--flow', 'orders']);
    expect(text.stdout).toMatch(/^Integration shop-a: Run [0-9a-f-]{36}\nflow\s+read\s+created/);
  });

  it('a second integration with the same flows and the same shop order ids has its own state', async () => {
    expect((await mapline(['integrations', 'add', 'shop-b', '--config', configFor('shop-b', shops[1]!)])).status).toBe(0);
    const run = JSON.parse((await mapline(['integrations', 'run', 'shop-b', '--json'])).stdout) as { flows: Record<string, { created: number; skipped: number }> };
    expect(run.flows.orders!.created).toBe(eligible(shops[1]!));
    expect(booked(shops[1]!)).toBe(eligible(shops[1]!));
    expect(booked(shops[0]!)).toBe(eligible(shops[0]!)); // shop A untouched
    const names = (await json<Status[]>(['integrations', 'list'])).map((s) => s.name);
    expect(names).toEqual(['shop-a', 'shop-b']);
  });

  it('show names what the integration is made of, without any secret', async () => {
    const details = await json<{ files: { file: string }[]; secrets: { sealed: string[] }; config: { connections: Record<string, Record<string, unknown>> } }>([
      'integrations',
      'show',
      'shop-a',
    ]);
    expect(details.files.map((f) => f.file)).toEqual(['mappings/customers.map', 'mappings/orders.map']);
    expect(details.secrets.sealed).toContain('connections.ccvshop.secret');
    expect(details.config.connections.ccvshop!.secret).toBe('(encrypted)');
    const text = (await mapline(['integrations', 'show', 'shop-a'])).stdout;
    for (const shown of [JSON.stringify(details), text]) {
      for (const secret of [shops[0]!.ccvshop.secret, shops[0]!.eaccounting.clientSecret]) expect(shown).not.toContain(secret);
    }
  });

  it('pause stops runs until resume; the list says paused', async () => {
    expect(await json(['integrations', 'pause', 'shop-b'])).toEqual({ name: 'shop-b', state: 'paused' });
    const refused = await mapline(['integrations', 'run', 'shop-b']);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toBe('mapline integrations run: integration shop-b is paused (mapline integrations resume shop-b runs it again)\n');
    const paused = (await json<Status[]>(['integrations', 'list'])).find((s) => s.name === 'shop-b')!;
    expect(paused.state).toBe('paused');
    expect(paused.flows.every((f) => f.state === 'paused')).toBe(true);
    expect(await json(['integrations', 'resume', 'shop-b'])).toEqual({ name: 'shop-b', state: 'active' });
    expect((await mapline(['integrations', 'run', 'shop-b'])).status).toBe(0);
  });

  it('a missing, malformed or wrong key is one clear line naming the integration, never a stack', async () => {
    const cases: [NodeJS.ProcessEnv, RegExp][] = [
      [{ MAPLINE_SECRET_KEY: '' }, /^mapline integrations run: MAPLINE_SECRET_KEY is not set: integration shop-a has encrypted secrets/],
      [{ MAPLINE_SECRET_KEY: 'not-a-key' }, /^mapline integrations run: MAPLINE_SECRET_KEY must be base64 of exactly 32 bytes/],
      [{ MAPLINE_SECRET_KEY: randomBytes(32).toString('base64') }, /^mapline integrations run: integration shop-a: connections\.\w+\.\w+ was encrypted with another key \(key id [0-9a-f]{16}\)/],
    ];
    for (const [env, message] of cases) {
      const result = await mapline(['integrations', 'run', 'shop-a'], env);
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('secrets referenced as env:NAME stay references: add needs no key for them, a run reads them from its environment', async () => {
    const file = configFor('shop-env', shops[1]!);
    const config = JSON.parse(readFileSync(file, 'utf8')) as { connections: Record<string, Record<string, unknown>> };
    config.connections.ccvshop!.secret = 'env:SHOP_ENV_CCV_SECRET';
    writeFileSync(file, JSON.stringify(config));
    expect((await mapline(['integrations', 'add', 'shop-env', '--config', file])).status).toBe(0);
    const details = await json<{ secrets: { sealed: string[]; fromEnvironment: Record<string, string> } }>(['integrations', 'show', 'shop-env']);
    expect(details.secrets.fromEnvironment).toEqual({ 'connections.ccvshop.secret': 'SHOP_ENV_CCV_SECRET' });
    expect(details.secrets.sealed).not.toContain('connections.ccvshop.secret');
    const missing = await mapline(['integrations', 'run', 'shop-env']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('connections.ccvshop.secret refers to the environment variable SHOP_ENV_CCV_SECRET, which is not set');
    const ran = await mapline(['integrations', 'run', 'shop-env', '--flow', 'customers'], { SHOP_ENV_CCV_SECRET: shops[1]!.ccvshop.secret });
    expect(ran.stderr).toBe('');
    expect(ran.status).toBe(0);
  });

  it('remove deletes the integration and all its rows; the others stay', async () => {
    const count = async (name: string): Promise<number> => {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        const { rows } = await client.query<{ n: string }>(
          'SELECT (SELECT count(*) FROM mapline.links l JOIN mapline.integrations i ON i.id = l.integration_id WHERE i.name = $1) AS n',
          [name],
        );
        return Number(rows[0]!.n);
      } finally {
        await client.end();
      }
    };
    expect(await count('shop-b')).toBeGreaterThan(0);
    expect(await json(['integrations', 'remove', 'shop-b'])).toEqual({ name: 'shop-b', removed: true });
    expect((await json<Status[]>(['integrations', 'list'])).map((s) => s.name)).toEqual(['shop-a', 'shop-env']);
    expect(await count('shop-a')).toBeGreaterThan(0);
    const gone = await mapline(['integrations', 'show', 'shop-b']);
    expect(gone.status).toBe(2);
    expect(gone.stderr).toContain('no integration named shop-b');
  });

  it('without a database, or with one that does not answer, says so and which', async () => {
    const none = await mapline(['integrations', 'list'], { MAPLINE_DATABASE_URL: '' });
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('no database: pass --database URL or set MAPLINE_DATABASE_URL');
    const refused = await mapline(['integrations', 'list', '--database', 'postgres://mapline:pw-not-shown@127.0.0.1:1/nowhere']);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/^mapline integrations list: PostgreSQL at postgres:\/\/mapline@127\.0\.0\.1:1\/nowhere: .*ECONNREFUSED/);
    expect(refused.stderr).not.toContain('pw-not-shown');
  });
});
