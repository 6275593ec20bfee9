import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { PgNotificationLedger } from '../../../runtime/notify/pg-ledger.js';
import { SecretBox } from '../../../runtime/secrets/secret-box.js';
import type { MaplineDatabase } from '../../../runtime/service/database.js';
import { IntegrationRegistry, type Integration } from '../../../runtime/service/registry.js';
import { PgStateStore } from '../../../runtime/state/pg-store.js';
import { addTestIntegration, postgresForTests, useServiceDatabase } from '../../helpers/postgres.js';

/**
 * Tenant isolation: two integrations in one database with the same flow names, source ids, lock names and
 * connection names. Whatever one integration's store (or notification ledger) is asked, with the other's ids even,
 * it reads and changes only its own rows.
 */
const postgres = await postgresForTests(import.meta.filename);

const box = new SecretBox(randomBytes(32));
let db: MaplineDatabase;
let registry: IntegrationRegistry;
let a: Integration;
let b: Integration;

const old = new Date('2026-01-01T00:00:00Z');
const storeOf = (integration: Integration, now: () => Date = () => new Date('2026-03-01T00:00:00Z')) => PgStateStore.open(db.pool, integration, { secrets: box, now });

interface Filled {
  pendingId: number;
  runId: string;
  oldRunId: string;
  quarantineId: number;
}

/** The same data in both integrations, differing only in the values (each names its integration). */
async function fill(integration: Integration): Promise<Filled> {
  const tag = integration.name;
  const early = storeOf(integration, () => old);
  const oldRunId = await early.startRun({ flows: ['orders'], dryRun: false });
  const activity = {
    flow: 'orders', sourceId: '1', action: 'create' as const, dryRun: false, targetId: `${tag}-T1`,
    sourceRecord: { id: 1, owner: tag }, payload: { owner: tag }, response: null, durationMs: 1, lineage: { owner: `${tag}.map:1` },
  };
  await early.logActivity({ ...activity, runId: oldRunId, reason: `${tag} old` });
  await early.finishRun(oldRunId, { orders: { created: 1 } });
  await early.quarantine({ runId: oldRunId, flow: 'orders', sourceId: 'gone', reason: `${tag} resolved long ago`, sourceRecord: {}, payload: null, response: null });
  await early.resolveQuarantine('orders', 'gone');

  const store = storeOf(integration);
  await store.saveLink({ flow: 'orders', sourceId: '1', targetId: `${tag}-T1`, key: `${tag}-K1`, contentHash: tag });
  await store.saveLink({ flow: 'orders', sourceId: '2', targetId: `${tag}-T2`, key: null, contentHash: null });
  const pendingId = await store.addPendingWrite({ flow: 'orders', sourceId: '3', targetEntity: 'eaccounting.orders', keyField: 'YourReference', keyValue: `${tag}-3`, contentHash: null });
  await store.saveCursor('orders', `${tag}-cursor`);
  await store.saveToken('eaccounting', { accessToken: `${tag}-access`, refreshToken: `${tag}-refresh` });
  const runId = await store.startRun({ flows: ['orders'], dryRun: false });
  await store.logActivity({ ...activity, runId, reason: `${tag} new` });
  await store.finishRun(runId, { orders: { created: 1, owner: tag } });
  const quarantineId = await store.quarantine({ runId, flow: 'orders', sourceId: '9', reason: `${tag} failed`, sourceRecord: { owner: tag }, payload: null, response: null });
  expect(await store.acquireLock('flow:orders', { id: `${tag}-run`, host: 'elsewhere', pid: 1 }, 3_600_000)).toEqual({ acquired: true });
  const ledger = new PgNotificationLedger(db.pool, integration);
  await ledger.markNotified([{ id: quarantineId, flow: 'orders', sourceId: '9' }], old);
  await ledger.setFlag('cycle-failing-since', `${tag}-flag`);
  return { pendingId, runId, oldRunId, quarantineId };
}

/** Everything integration `who` can see through its store and ledger, as one comparable value. */
async function everything(who: Integration): Promise<unknown> {
  const store = storeOf(who);
  const ledger = new PgNotificationLedger(db.pool, who);
  const strip = <T extends object>(rows: T[], ...keys: string[]) => rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !keys.includes(k))));
  return {
    links: strip(await store.listLinks('orders'), 'updatedAt'),
    link1: (await store.getLink('orders', '1'))?.targetId,
    pending: strip(await store.listPendingWrites(), 'createdAt'),
    cursor: await store.getCursor('orders'),
    token: await store.loadToken('eaccounting'),
    quarantine: strip(await store.listQuarantine({ includeResolved: true }), 'createdAt', 'updatedAt', 'resolvedAt'),
    runs: (await store.listRuns(100)).map((r) => r.summary),
    lastRun: (await store.lastRunOf('orders'))?.summary,
    activity: (await store.listActivity({ limit: 1000 })).map((e) => `${e.reason}/${e.targetId}/${JSON.stringify(e.lineage)}`),
    locks: (await store.listLocks()).map((l) => l.id),
    notified: [...(await ledger.notifiedIds())],
    flag: await ledger.flag('cycle-failing-since'),
  };
}

describe.skipIf(!postgres)('tenant isolation: two integrations in one database', () => {
  let filledA: Filled;
  let filledB: Filled;
  let bBefore: unknown;

  const service = useServiceDatabase();
  beforeAll(async () => {
    db = service.db;
    registry = new IntegrationRegistry(db);
    a = await addTestIntegration(registry, 'shop-a');
    b = await addTestIntegration(registry, 'shop-b');
    filledA = await fill(a);
    filledB = await fill(b);
    bBefore = await everything(b);
  });

  it('each integration reads only its own rows, through every reading method', async () => {
    const seenByA = JSON.stringify(await everything(a));
    const seenByB = JSON.stringify(bBefore);
    expect(seenByA).toContain('shop-a');
    expect(seenByA).not.toContain('shop-b');
    expect(seenByB).toContain('shop-b');
    expect(seenByB).not.toContain('shop-a');
    const store = storeOf(a);
    expect(await store.getRun(filledB.runId)).toBeUndefined();
    expect(await store.listActivity({ runId: filledB.runId })).toEqual([]);
  });

  it("nothing integration A does, even with B's ids, changes B's rows", async () => {
    const store = storeOf(a);
    await store.clearPendingWrite(filledB.pendingId);
    await store.completePendingWrite(filledB.pendingId, { flow: 'orders', sourceId: '3', targetId: 'shop-a-T3', key: null, contentHash: null });
    await store.finishRun(filledB.runId, { hijacked: true });
    await store.deleteLink('orders', '2');
    await store.resolveQuarantine('orders', '9');
    await store.quarantine({ runId: null, flow: 'orders', sourceId: '9', reason: 'shop-a again', sourceRecord: {}, payload: null, response: null });
    await store.saveCursor('orders', 'shop-a-cursor-2');
    await store.saveToken('eaccounting', { accessToken: 'shop-a-access-2' });
    await store.releaseLock('flow:orders', 'shop-b-run');
    // B holds flow:orders (live lease on another host); A's lock of the same name is A's own.
    await store.releaseLock('flow:orders', 'shop-a-run');
    expect(await store.acquireLock('flow:orders', { id: 'shop-a-run-2', host: 'here', pid: process.pid }, 60_000)).toEqual({ acquired: true });
    expect(await store.purge(new Date('2026-02-01T00:00:00Z'))).toEqual({ activity: 1, runs: 1, quarantine: 1 });
    const ledger = new PgNotificationLedger(db.pool, a);
    expect(await ledger.forgetAllBut(new Set())).toBe(1);
    await ledger.setFlag('cycle-failing-since', undefined);

    expect(await everything(b)).toEqual(bBefore);
    expect(JSON.stringify(await everything(a))).not.toContain('shop-b');
  });

  it("a sealed token copied into the other integration's row does not open there", async () => {
    await db.pool.query(
      `UPDATE mapline.tokens SET sealed = (SELECT sealed FROM mapline.tokens WHERE integration_id = $1 AND connection = 'eaccounting')
       WHERE integration_id = $2 AND connection = 'eaccounting'`,
      [a.id, b.id],
    );
    await expect(storeOf(b).loadToken('eaccounting')).rejects.toThrow(/integration shop-b: the OAuth tokens of connection eaccounting: the stored value does not authenticate/);
  });

  it('removing an integration removes every row it owns in every table, and none of the other', async () => {
    const counts = async (integration: Integration): Promise<Record<string, number>> => {
      const { rows: tables } = await db.pool.query<{ table_name: string }>(
        "SELECT table_name FROM information_schema.columns WHERE table_schema = 'mapline' AND column_name = 'integration_id' ORDER BY table_name",
      );
      const out: Record<string, number> = {};
      for (const { table_name } of tables) {
        out[table_name] = Number((await db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM mapline.${table_name} WHERE integration_id = $1`, [integration.id])).rows[0]!.n);
      }
      return out;
    };
    const bRows = await counts(b);
    expect(Object.keys(bRows)).toEqual(expect.arrayContaining(['links', 'pending_writes', 'cursors', 'tokens', 'quarantine', 'runs', 'activity', 'locks', 'notify_flags']));
    await registry.remove('shop-a');
    expect(Object.values(await counts(a)).every((n) => n === 0)).toBe(true);
    expect(await counts(b)).toEqual(bRows);
    expect((await registry.list()).map((i) => i.name)).toEqual(['shop-b']);
  });
});
