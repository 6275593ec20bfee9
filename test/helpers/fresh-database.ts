import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { processRuns } from '../../runtime/state/lock-holder.js';

/**
 * The PostgreSQL server the service tests use: `MAPLINE_TEST_DATABASE_URL`, else the `mapline` role on the local
 * server that `.ci/run` creates (docs/service.md). The role may create databases; each test file gets its own.
 */
export const TEST_SERVER_URL = process.env.MAPLINE_TEST_DATABASE_URL ?? 'postgres://mapline:mapline@127.0.0.1:5432/postgres';

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

export async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
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

