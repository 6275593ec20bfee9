import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { openDatabase, redactUrl, type MaplineDatabase } from '../../runtime/service/database.js';
import type { Integration, IntegrationRegistry } from '../../runtime/service/registry.js';
import { processRuns } from '../../runtime/state/lock-holder.js';

/**
 * The PostgreSQL server the service tests use: `MAPLINE_TEST_DATABASE_URL`, else the `mapline` role on the local
 * server that `.ci/run` creates (docs/service.md). The role may create databases; each test file gets its own.
 */
export const TEST_SERVER_URL = process.env.MAPLINE_TEST_DATABASE_URL ?? 'postgres://mapline:mapline@127.0.0.1:5432/postgres';

let probe: Promise<string | undefined> | undefined;

/**
 * Whether the service tests can run here. When PostgreSQL does not answer: with `CI` set this throws (the test
 * file fails, saying why), elsewhere it prints why the file's PostgreSQL tests are skipped and returns false.
 * Use: `const postgres = await postgresForTests(import.meta.filename); describe.skipIf(!postgres)(...)`.
 */
export async function postgresForTests(testFile: string): Promise<boolean> {
  probe ??= (async () => {
    const client = new pg.Client({ connectionString: TEST_SERVER_URL, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return undefined;
    } catch (error) {
      return error instanceof Error ? error.message || (error as { code?: string }).code || error.name : String(error);
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  const problem = await probe;
  if (problem === undefined) return true;
  const why =
    `no PostgreSQL at ${redactUrl(TEST_SERVER_URL)} (${problem}). Start it with ` +
    '`pg_ctlcluster --skip-systemctl-redirect 15 main start` and create the test role as .ci/run does (docs/service.md), ' +
    'or point MAPLINE_TEST_DATABASE_URL at a server whose user may create databases';
  if (process.env.CI && !['0', 'false'].includes(process.env.CI)) throw new Error(`${testFile}: the service tests need PostgreSQL and CI is set: ${why}`);
  console.warn(`${testFile}: SKIPPED its PostgreSQL tests: ${why}`);
  return false;
}

export interface TestDatabase {
  /** The URL of the fresh, empty database (same server and user as `TEST_SERVER_URL`). */
  readonly url: string;
  readonly name: string;
  /** Drops the database (ending any connection still open to it). */
  drop(): Promise<void>;
}

/**
 * A fresh, empty database for one test file: `mapline_test_<pid>_<random>`, dropped again by `drop()`. Databases
 * left by an earlier test process that was killed (its pid no longer runs) are dropped on the way.
 */
export async function freshDatabase(): Promise<TestDatabase> {
  const name = `mapline_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin(async (client) => {
    await dropLeftovers(client);
    await client.query(`CREATE DATABASE ${name}`);
  });
  const url = new URL(TEST_SERVER_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () => admin(async (client) => void (await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))),
  };
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_SERVER_URL, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function dropLeftovers(client: pg.Client): Promise<void> {
  const { rows } = await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'mapline\\_test\\_%'");
  for (const { datname } of rows) {
    const pid = Number(/^mapline_test_(\d+)_/.exec(datname)?.[1]);
    if (!Number.isInteger(pid) || processRuns(pid)) continue;
    await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`).catch(() => undefined);
  }
}

/** An integration with no connections or maps: a tenant whose state tests fill through its store. */
export async function addTestIntegration(registry: IntegrationRegistry, name: string): Promise<Integration> {
  return (await registry.add({ name, config: { connections: {}, flows: [] }, flows: ['orders'], maps: [], secrets: new Map() }, undefined)).integration;
}

/**
 * For a describe block: a fresh database, opened (migrated) before its tests and dropped after them. Read `db`
 * inside the tests (it is set by then).
 */
export function useServiceDatabase(): { readonly db: MaplineDatabase; readonly database: TestDatabase } {
  const handle = {} as { db: MaplineDatabase; database: TestDatabase };
  beforeAll(async () => {
    handle.database = await freshDatabase();
    handle.db = await openDatabase(handle.database.url);
  });
  afterAll(async () => {
    await handle.db?.close();
    await handle.database?.drop();
  });
  return handle;
}
