import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SecretBox } from '../../../runtime/secrets/secret-box.js';
import type { MaplineDatabase } from '../../../runtime/service/database.js';
import { IntegrationRegistry, type Integration } from '../../../runtime/service/registry.js';
import { migratePostgres, PG_MIGRATIONS } from '../../../runtime/state/pg-migrations.js';
import { PgStateStore } from '../../../runtime/state/pg-store.js';
import { addTestIntegration, freshDatabase, postgresForTests, useServiceDatabase } from '../../helpers/postgres.js';
import { describeStoreConformance } from './store-conformance.js';

const postgres = await postgresForTests(import.meta.filename);

const key = randomBytes(32);
const box = new SecretBox(key);
let db: MaplineDatabase;
let current: Integration;
const opened: PgStateStore[] = [];
let tenants = 0;

describe.skipIf(!postgres)('PostgreSQL state store', () => {
  const service = useServiceDatabase();
  beforeEach(async () => {
    db = service.db;
    current = await addTestIntegration(new IntegrationRegistry(db), `tenant-${++tenants}`);
  });
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
  });

  describeStoreConformance('PgStateStore', async (now) => {
    const store = PgStateStore.open(db.pool, current, { ...(now ? { now } : {}), secrets: box });
    opened.push(store);
    return store;
  });

  describe('PgStateStore: the database', () => {
    it('migrates a fresh database to the latest version, and two workers starting at once apply each migration once', async () => {
      const other = await freshDatabase();
      const pools = [0, 1].map(() => new pg.Pool({ connectionString: other.url, max: 1 }));
      try {
        expect(await Promise.all(pools.map((pool) => migratePostgres(pool)))).toEqual([PG_MIGRATIONS.length, PG_MIGRATIONS.length]);
        const { rows } = await pools[0]!.query<{ version: number }>('SELECT version FROM mapline.schema_migrations ORDER BY version');
        expect(rows.map((r) => r.version)).toEqual(PG_MIGRATIONS.map((_, i) => i + 1));
        // A later start finds nothing to do; a schema from a newer Mapline is refused, not used.
        expect(await migratePostgres(pools[1]!)).toBe(PG_MIGRATIONS.length);
        await pools[0]!.query('INSERT INTO mapline.schema_migrations (version) VALUES ($1)', [PG_MIGRATIONS.length + 1]);
        await expect(migratePostgres(pools[1]!)).rejects.toThrow(/newer than this Mapline/);
      } finally {
        await Promise.all(pools.map((pool) => pool.end()));
        await other.drop();
      }
    });

    it('applies a new migration over existing data, keeping it', async () => {
      const store = PgStateStore.open(db.pool, current, { secrets: box });
      await store.saveLink({ flow: 'orders', sourceId: '1', targetId: 'T1', key: 'WEB-1', contentHash: 'h' });
      const next = [...PG_MIGRATIONS, 'ALTER TABLE mapline.links ADD COLUMN IF NOT EXISTS note text'];
      expect(await migratePostgres(db.pool, next)).toBe(next.length);
      expect(await store.getLink('orders', '1')).toMatchObject({ targetId: 'T1', key: 'WEB-1' });
      await db.pool.query('ALTER TABLE mapline.links DROP COLUMN note');
      await db.pool.query('DELETE FROM mapline.schema_migrations WHERE version = $1', [next.length]);
    });

    it('keeps OAuth tokens sealed: no token text in the row, and without the key or with another one a clear error naming the integration', async () => {
      const store = PgStateStore.open(db.pool, current, { secrets: box });
      await store.saveToken('eaccounting', { accessToken: 'access-PLAIN-1234567890', refreshToken: 'refresh-PLAIN-0987654321' });
      const { rows } = await db.pool.query<{ sealed: Buffer }>('SELECT sealed FROM mapline.tokens WHERE integration_id = $1', [current.id]);
      expect(rows).toHaveLength(1);
      expect(rows[0]!.sealed.includes(Buffer.from('PLAIN'))).toBe(false);
      expect(await store.loadToken('eaccounting')).toEqual({ accessToken: 'access-PLAIN-1234567890', refreshToken: 'refresh-PLAIN-0987654321' });

      const keyless = PgStateStore.open(db.pool, current, {});
      await expect(keyless.loadToken('eaccounting')).rejects.toThrow(`integration ${current.name}: MAPLINE_SECRET_KEY is not set`);
      const wrongKey = PgStateStore.open(db.pool, current, { secrets: new SecretBox(randomBytes(32)) });
      await expect(wrongKey.loadToken('eaccounting')).rejects.toThrow(
        new RegExp(`integration ${current.name}: the OAuth tokens of connection eaccounting was encrypted with another key`),
      );
      // During a rotation the old key opens what it sealed.
      const rotated = PgStateStore.open(db.pool, current, { secrets: new SecretBox(randomBytes(32), [key]) });
      expect(await rotated.loadToken('eaccounting')).toMatchObject({ accessToken: 'access-PLAIN-1234567890' });
    });

    it('refuses a statement that is not bound to its integration', async () => {
      const store = PgStateStore.open(db.pool, current, { secrets: box });
      const scope = (store as unknown as { scope: { query: (sql: string) => Promise<unknown> } }).scope;
      await expect(scope.query('SELECT * FROM mapline.links')).rejects.toThrow(/not bound to the integration/);
    });
  });
});
