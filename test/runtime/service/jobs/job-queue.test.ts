import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobQueue } from '../../../../runtime/service/jobs/index.js';
import { IntegrationRegistry, type Integration } from '../../../../runtime/service/registry.js';
import { integrationStatus } from '../../../../runtime/service/status.js';
import { openDatabase } from '../../../../runtime/service/database.js';
import { freshDatabase, postgresForTests, useServiceDatabase } from '../../../helpers/postgres.js';

/** The job queue over pg-boss in a real PostgreSQL: what the dashboard's job view and `integrations list` read. */
const postgres = await postgresForTests(import.meta.filename);

describe.skipIf(!postgres)('JobQueue', () => {
  const handle = useServiceDatabase();
  let queue: JobQueue;
  let shop: Integration;
  let other: Integration;
  beforeAll(async () => {
    const registry = new IntegrationRegistry(handle.db);
    const add = async (name: string, schedule: object): Promise<Integration> =>
      (await registry.add({ name, config: { connections: {}, flows: [], schedule }, flows: ['customers', 'orders'], maps: [], secrets: new Map() }, undefined)).integration;
    shop = await add('shop-1', { everyMinutes: 15, flows: { orders: 5 } });
    other = await add('shop-2', {});
    queue = await JobQueue.open(handle.db);
  });
  afterAll(async () => queue?.close());

  it('queues at most one waiting run per integration and flow, and lists it with its integration and reason', async () => {
    expect(await queue.enqueueRun(shop.id, 'orders', 'webhook')).toBe(true);
    // A second ask while one waits adds nothing: that one reads whatever is new when it starts.
    expect(await queue.enqueueRun(shop.id, 'orders', 'schedule')).toBe(false);
    expect(await queue.enqueueRun(shop.id, 'customers', 'webhook')).toBe(true);
    expect(await queue.enqueueRun(other.id, 'orders', 'manual')).toBe(true);
    const jobs = await queue.listJobs();
    expect(jobs.map((j) => [j.integration, j.flow, j.state, j.reason])).toEqual([
      ['shop-1', 'orders', 'queued', 'webhook'],
      ['shop-1', 'customers', 'queued', 'webhook'],
      ['shop-2', 'orders', 'queued', 'manual'],
    ]);
    expect(jobs[0]).toMatchObject({ integrationId: shop.id, createdAt: expect.any(Date) });
    expect(jobs[0]!.workerId).toBeUndefined();
    // The payload is the integration id, the flow and why: nothing else (never a secret).
    const { rows } = await handle.db.pool.query('SELECT data FROM mapline_jobs.job');
    for (const { data } of rows) expect(Object.keys(data as object).sort()).toEqual(['flow', 'integrationId', 'reason']);
  });

  it('arms each flow on its own schedule; status shows the next run; pause (disarm) drops timers and waiting runs', async () => {
    const before = Date.now();
    await queue.armSchedules(shop);
    await queue.armSchedules(shop); // armed already: the first timers stay
    const customers = await queue.nextRunOf(shop.id, 'customers');
    // customers has a waiting run (now); orders too. The other integration's flows are not armed by shop-1's call.
    expect(customers!.getTime()).toBeLessThanOrEqual(Date.now());
    expect(await queue.nextRunOf(other.id, 'customers')).toBeNull();
    await queue.armSchedules(other);
    const otherCustomers = (await queue.nextRunOf(other.id, 'customers'))!.getTime();
    expect(otherCustomers - before).toBeGreaterThanOrEqual(15 * 60_000 - 1000);
    expect(otherCustomers - before).toBeLessThanOrEqual(15 * 60_000 + 60_000);
    const status = await integrationStatus(handle.db, other);
    expect(status.flows.map((f) => f.nextRun)).toEqual([new Date(otherCustomers).toISOString(), expect.any(String)]);

    expect(await queue.disarm(shop.id)).toBe(4); // two waiting runs, two timers
    expect(await queue.nextRunOf(shop.id, 'orders')).toBeNull();
    expect((await queue.listJobs()).map((j) => j.integration)).toEqual(['shop-2']);
    // shop-1's orders timer, armed again, is due after its own 5 minutes.
    await queue.armSchedules(shop);
    const orders = (await queue.nextRunOf(shop.id, 'orders'))!.getTime() - Date.now();
    expect(orders).toBeGreaterThan(4 * 60_000);
    expect(orders).toBeLessThanOrEqual(5 * 60_000);
  });
});

describe.skipIf(!postgres)('JobQueue on a new database', () => {
  it('opens in several workers started at the same moment (the queues are created once, without a deadlock)', async () => {
    const database = await freshDatabase();
    const dbs = await Promise.all(Array.from({ length: 4 }, () => openDatabase(database.url)));
    try {
      const queues = await Promise.all(dbs.map((db) => JobQueue.open(db, { supervise: true })));
      // Every worker can ask for runs on the one queue they share.
      expect(await queues[0]!.enqueueRun('integration-1', 'orders', 'manual')).toBe(true);
      expect(await queues[3]!.enqueueRun('integration-1', 'orders', 'manual')).toBe(false);
      await Promise.all(queues.map((queue) => queue.close()));
    } finally {
      await Promise.all(dbs.map((db) => db.close()));
      await database.drop();
    }
  });
});
