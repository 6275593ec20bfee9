import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobQueueView } from '../../dashboard/server/job-view.js';
import type { RunningDashboard } from '../../dashboard/server/server.js';
import { ServiceBackend } from '../../dashboard/server/service-backend.js';
import { PgUserDirectory } from '../../dashboard/server/users.js';
import { openDatabase, type MaplineDatabase } from '../../runtime/service/database.js';
import { DEFAULT_EVERY_MINUTES, JobQueue } from '../../runtime/service/jobs/index.js';
import { RUN_QUEUE } from '../../runtime/service/jobs/names.js';
import { IntegrationRegistry, type Integration } from '../../runtime/service/registry.js';
import { PgStateStore } from '../../runtime/state/pg-store.js';
import { addTestIntegration, postgresForTests, useServiceDatabase } from '../helpers/postgres.js';
import { ApiClient, TOKEN, startDashboard } from './helpers.js';

const postgres = await postgresForTests(import.meta.filename);

interface Jobs { scheduler: string | null; jobs: { id: string; integration: string | null; flow: string; reason: string; state: string; worker: string | null; startedAt: string | null; runAfter: string }[] }
interface Overview { scheduler: string | null; integrations: { name: string; flows: { flow: string; nextRun: string | null }[] }[] }

describe.skipIf(!postgres)('the dashboard over the service job queue (pg-boss)', () => {
  const service = useServiceDatabase();
  let server: RunningDashboard;
  let db: MaplineDatabase;
  let queue: JobQueue;
  let shopA: Integration;
  let operator: ApiClient;

  beforeAll(async () => {
    const registry = new IntegrationRegistry(service.db);
    shopA = await addTestIntegration(registry, 'shop-a');
    await addTestIntegration(registry, 'shop-b');
    await new PgUserDirectory(service.db.pool).put('alice', 'alice-password-long', ['shop-a']);
    // The dashboard's own pool and queue, as `mapline dashboard` opens them.
    db = await openDatabase(service.database.url);
    queue = await JobQueue.open(db);
    server = await startDashboard(new ServiceBackend(db), { users: new PgUserDirectory(db.pool), jobs: jobQueueView(queue) });
    operator = new ApiClient(server.url);
    await operator.login({ token: TOKEN });
  });
  afterAll(async () => {
    await server?.close();
    await queue?.close();
    await db?.close();
  });

  it('shows the next run of each flow from its armed schedule, and none for a flow not armed', async () => {
    const before = Date.now();
    await queue.armSchedules(shopA);
    const overview = await operator.get<Overview>('overview');
    expect(overview.scheduler).toBe('pg-boss (mapline worker)');
    const next = (name: string) => overview.integrations.find((i) => i.name === name)!.flows[0]!.nextRun;
    const due = new Date(next('shop-a')!).getTime() - before;
    expect(due).toBeGreaterThanOrEqual(DEFAULT_EVERY_MINUTES * 60_000 - 1000);
    expect(due).toBeLessThanOrEqual(DEFAULT_EVERY_MINUTES * 60_000 + 60_000);
    expect(next('shop-b')).toBeNull();
  });

  it('"Run now" enqueues a manual job for a worker instead of running in the dashboard, once per flow', async () => {
    const asked = await operator.call('POST', 'integrations/shop-a/run', { flows: ['orders'] });
    expect(asked.status).toBe(202);
    expect(await asked.json()).toEqual({ queued: [{ flow: 'orders', queued: true }] });
    expect(await operator.post('integrations/shop-a/run', { flows: ['orders'] })).toEqual({ queued: [{ flow: 'orders', queued: false }] });
    // Nothing ran here: the integration has no run in its state.
    const store = PgStateStore.open(service.db.pool, shopA);
    expect(await store.listRuns(10)).toEqual([]);
    await store.close();

    const jobs = await operator.get<Jobs>('jobs');
    expect(jobs.jobs.map((j) => [j.integration, j.flow, j.reason, j.state, j.worker])).toEqual([['shop-a', 'orders', 'manual', 'queued', null]]);
    // The waiting run is now the flow's next run (sooner than its schedule).
    const overview = await operator.get<Overview>('overview');
    expect(new Date(overview.integrations[0]!.flows[0]!.nextRun!).getTime()).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it('shows which worker holds a job while it runs, and each user only the jobs of their integrations', async () => {
    await operator.post('integrations/shop-b/run', {});
    // A worker takes shop-a's job the way `mapline worker` does: fetch, then note who holds it.
    const [taken] = await queue.boss.fetch<{ integrationId: string }>(RUN_QUEUE);
    expect(taken!.data.integrationId).toBe(shopA.id);
    await queue.markTaken(taken!.id, 'worker-host:4242:abc123');

    const jobs = await operator.get<Jobs>('jobs');
    expect(jobs.jobs.map((j) => [j.integration, j.state, j.worker])).toEqual([
      ['shop-a', 'active', 'worker-host:4242:abc123'],
      ['shop-b', 'queued', null],
    ]);
    expect(jobs.jobs[0]!.startedAt).not.toBeNull();
    expect(jobs.jobs[1]!.startedAt).toBeNull();

    const alice = new ApiClient(server.url);
    await alice.login({ user: 'alice', password: 'alice-password-long' });
    expect((await alice.get<Jobs>('jobs')).jobs.map((j) => j.integration)).toEqual(['shop-a']);
    expect((await alice.call('POST', 'integrations/shop-b/run', {})).status).toBe(404);
    await queue.boss.complete(RUN_QUEUE, taken!.id);
  });

  it('refuses "Run now" for a paused integration, saying so', async () => {
    await operator.post('integrations/shop-b/pause');
    const refused = await operator.call('POST', 'integrations/shop-b/run', {});
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: string }).error).toBe('integration shop-b is paused: resume it to run it');
    expect((await operator.get<Overview>('overview')).integrations.find((i) => i.name === 'shop-b')!.flows[0]!.nextRun).toBeNull();
    await operator.post('integrations/shop-b/resume');
  });
});
