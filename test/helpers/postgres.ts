import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { openDatabase, redactUrl, type MaplineDatabase } from '../../runtime/service/database.js';
import type { Integration, IntegrationRegistry } from '../../runtime/service/registry.js';
import { freshDatabase, TEST_SERVER_URL, type TestDatabase } from './fresh-database.js';

export { freshDatabase, TEST_SERVER_URL, type TestDatabase };

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
