import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobQueue } from '../../../runtime/service/jobs/index.js';
import { IntegrationRegistry } from '../../../runtime/service/registry.js';
import { registerCcvWebhooks } from '../../../runtime/service/webhooks/register.js';
import { startWebhookReceiver, type WebhookCall, type WebhookReceiver } from '../../../runtime/service/webhooks/receiver.js';
import { startWorker, type RunningWorker, type WorkerEvent } from '../../../runtime/service/worker/worker.js';
import { addTestIntegration, postgresForTests, useServiceDatabase } from '../../helpers/postgres.js';
import { auditTenant, bookedOrders, placePaidOrders, startTenant, waitFor, type Tenant } from '../../helpers/service-tenants.js';

/**
 * The worker in this process against a real PostgreSQL and two tenants' sandboxes: bounded slices with fair
 * shares, schedules, and a shop's webhook starting a run early.
 */
const postgres = await postgresForTests(import.meta.filename);
type JobEvent = Extract<WorkerEvent, { event: 'job' }>;

describe.skipIf(!postgres)('mapline worker (in process)', () => {
  const handle = useServiceDatabase();
  const env = { MAPLINE_SECRET_KEY: randomBytes(32).toString('base64') };
  let dir: string;
  const tenants: Tenant[] = [];
  const events: JobEvent[] = [];
  let worker: RunningWorker | undefined;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mapline-worker-'));
    tenants.push(await startTenant(handle.db, dir, 0, { orders: 24, schedule: { everyMinutes: 60 }, env }));
    tenants.push(await startTenant(handle.db, dir, 1, { orders: 8, schedule: { everyMinutes: 60 }, env }));
  });
  afterAll(async () => {
    await worker?.stop();
    for (const tenant of tenants) await tenant.sandboxes.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const start = async (): Promise<RunningWorker> =>
    startWorker(handle.db, {
      concurrency: 1,
      maxRecords: 3,
      pollingIntervalSeconds: 0.5,
      maintenanceIntervalSeconds: 1,
      busyBackoffSeconds: 1,
      env,
      onEvent: (event) => void (event.event === 'job' && events.push(event)),
    });

  it("runs a backlog as bounded slices, each queuing the next behind the other tenants' jobs", async () => {
    const [big, small] = tenants as [Tenant, Tenant];
    worker = await start();
    const queue = worker.queue;
    for (const tenant of [big, small]) await queue.enqueueRun(tenant.integration.id, 'customers', 'manual');
    for (const tenant of [big, small]) await queue.enqueueRun(tenant.integration.id, 'orders', 'manual');
    await waitFor(async () => tenants.every((t) => bookedOrders(t) === t.expected().mustBook.size) && (await queue.listJobs()).length === 0, 50_000, 'every order booked');
    for (const tenant of tenants) expect(await auditTenant(handle.db, tenant)).toEqual([]);
    const bigOrders = events.filter((e) => e.integrationId === big.integration.id && e.flow === 'orders');
    // 3 records per slice: the big shop's orders took several slices, each but the last saying there is more.
    expect(bigOrders.length).toBeGreaterThan(2);
    expect(bigOrders.slice(0, -1).every((e) => e.outcome.more === true && e.outcome.created! >= 3)).toBe(true);
    expect(bigOrders.slice(1).every((e) => e.reason === 'more')).toBe(true);
    // Fair shares: the small shop's orders ran before the big shop's backlog was done.
    const smallFirst = events.findIndex((e) => e.integrationId === small.integration.id && e.flow === 'orders');
    expect(smallFirst).toBeLessThan(events.indexOf(bigOrders.at(-1)!));
  });

  it('arms each flow on its schedule; the status shows when it runs next', async () => {
    const queue = worker!.queue;
    for (const tenant of tenants) {
      const next = await queue.nextRunOf(tenant.integration.id, 'orders');
      expect(next).not.toBeNull();
      // everyMinutes 60: not before ~an hour from the start of this file.
      expect(next!.getTime()).toBeGreaterThan(Date.now() + 55 * 60_000);
    }
  });

  it("starts an early run when the shop's webhook for a paid order arrives, and refuses a call it cannot verify", async () => {
    const tenant = tenants[1]!;
    const calls: WebhookCall[] = [];
    const receiver: WebhookReceiver = await startWebhookReceiver({ db: handle.db, queue: worker!.queue, port: 0, env, onCall: (call) => calls.push(call) });
    try {
      const hooks = await registerCcvWebhooks(handle.db, tenant.name, receiver.url, env);
      expect(hooks.find((h) => h.event === 'orders.updated.ispaid')?.flows).toEqual(['customers', 'orders']);
      // The shop's key is kept sealed: not in the stored config, not in clear anywhere in the secrets table.
      const { rows } = await handle.db.pool.query<{ sealed: Buffer }>('SELECT sealed FROM mapline.integration_secrets');
      for (const row of rows) expect(row.sealed.toString('latin1')).not.toContain(hooks[0]!.key);

      const before = events.length;
      const order = tenant.sandboxes.ccvshop.merchant.placeOrder({ rows: [{ product_id: Number(tenant.sandboxes.ccvshop.control.records('products')[0]!.id), count: 2 }], paid: true });
      await tenant.sandboxes.ccvshop.webhooks.settle();
      expect(calls.filter((c) => c.event === 'orders.created')).toMatchObject([{ status: 200, integrationId: tenant.integration.id }]);
      const booked = (): boolean => tenant.sandboxes.eaccounting.control.records('orders').some((o) => o.YourReference === order.ordernumber_full);
      const byWebhook = (): boolean => events.slice(before).some((e) => e.reason === 'webhook' && e.flow === 'orders' && e.integrationId === tenant.integration.id && e.outcome.created === 1);
      // The schedule is hourly: only the webhook's run can book it this soon.
      await waitFor(() => booked() && byWebhook(), 30_000, 'the webhook-started run to book the new order');
      expect(calls.find((c) => c.event === 'orders.created')!.enqueued).toEqual(['customers', 'orders']);

      // A forged call (wrong hash) and an unknown address start nothing.
      const address = hooks.find((h) => h.event === 'orders.created')!.address;
      const forged = await request(address, { method: 'POST', body: JSON.stringify({ id: order.id }), headers: { 'x-hash': 'ab'.repeat(64) } });
      expect(forged.statusCode).toBe(401);
      const unknown = await request(`${receiver.url}/webhooks/ccvshop/${tenants[0]!.integration.id}/orders.created`, { method: 'POST', body: '{}' });
      expect(unknown.statusCode).toBe(404);
    } finally {
      await receiver.close();
    }
  });

  it('stopping with a job in hand ends it after the current record and hands the rest back as a new job', async () => {
    const tenant = tenants[1]!;
    await worker!.stop();
    events.length = 0;
    // 30 new orders make a job long enough to be stopped in the middle.
    placePaidOrders(tenant, 30);
    const slow = await startWorker(handle.db, {
      concurrency: 1,
      maxRecords: 1000,
      pollingIntervalSeconds: 0.5,
      env,
      onEvent: (event) => void (event.event === 'job' && events.push(event)),
    });
    const queue = slow.queue;
    const booked = bookedOrders(tenant);
    await queue.enqueueRun(tenant.integration.id, 'orders', 'manual');
    await waitFor(() => bookedOrders(tenant) > booked, 30_000, 'the job to be under way', 2);
    await slow.stop();
    const [job] = events.filter((e) => e.flow === 'orders');
    expect(job!.outcome.handedBack).toBe(true);
    expect(bookedOrders(tenant)).toBeLessThan(tenant.expected().mustBook.size);
    // The rest waits as its own job, for whichever worker comes next.
    expect((await queue.listJobs()).filter((j) => j.integrationId === tenant.integration.id && j.flow === 'orders').map((j) => [j.state, j.reason])).toEqual([['queued', 'handed-back']]);
    worker = await start();
    await waitFor(() => bookedOrders(tenant) === tenant.expected().mustBook.size, 30_000, 'the handed-back rest to be booked');
    await waitFor(async () => (await worker!.queue.listJobs()).length === 0, 30_000, 'the queue to empty');
    expect(await auditTenant(handle.db, tenant)).toEqual([]);
  });

  it('pausing an integration ends its schedule; resuming and the next arming bring it back', async () => {
    const tenant = tenants[0]!;
    const registry = new IntegrationRegistry(handle.db);
    await registry.setState(tenant.name, 'paused');
    const queue: JobQueue = worker!.queue;
    await queue.disarm(tenant.integration.id);
    expect(await queue.nextRunOf(tenant.integration.id, 'orders')).toBeNull();
    // A run asked for while paused is taken and skipped.
    const before = events.length;
    await queue.enqueueRun(tenant.integration.id, 'orders', 'manual');
    await waitFor(() => events.length > before, 30_000, 'the paused run to be taken');
    expect(events.at(-1)!.outcome.skipped).toBe('the integration is paused');
    const resumed = await registry.setState(tenant.name, 'active');
    await queue.armSchedules(resumed);
    expect(await queue.nextRunOf(tenant.integration.id, 'orders')).not.toBeNull();
  });
});

describe.skipIf(!postgres)('mapline worker: a backlog of short jobs', () => {
  const handle = useServiceDatabase();

  it('takes the next job as soon as a slot is free, not one job a slot per polling interval', async () => {
    const registry = new IntegrationRegistry(handle.db);
    const queue = await JobQueue.open(handle.db);
    const paused = [];
    for (let i = 0; i < 4; i++) {
      const integration = await addTestIntegration(registry, `paused-${i}`);
      await registry.setState(integration.name, 'paused');
      paused.push(integration);
    }
    // Four jobs that end at once (paused integrations), waiting before the worker starts.
    for (const integration of paused) await queue.enqueueRun(integration.id, 'orders', 'manual');
    await queue.close();
    const done: JobEvent[] = [];
    const started = Date.now();
    // One slot polling every 30 s: one job a slot per interval would take 90 s for the last.
    const worker = await startWorker(handle.db, { concurrency: 1, pollingIntervalSeconds: 30, env: {}, onEvent: (e) => void (e.event === 'job' && done.push(e)) });
    try {
      await waitFor(() => done.length === 4, 25_000, 'the four jobs to be taken one after the other');
      expect(done.map((e) => e.outcome.skipped)).toEqual(Array(4).fill('the integration is paused'));
      expect(Date.now() - started).toBeLessThan(25_000);
    } finally {
      await worker.stop();
    }
  });
});
