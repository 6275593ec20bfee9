import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceBackend } from '../../dashboard/server/service-backend.js';
import type { RunningDashboard } from '../../dashboard/server/server.js';
import { PgUserDirectory } from '../../dashboard/server/users.js';
import { openDatabase } from '../../runtime/service/database.js';
import { IntegrationRegistry } from '../../runtime/service/registry.js';
import { PgStateStore } from '../../runtime/state/pg-store.js';
import { addTestIntegration, postgresForTests, useServiceDatabase } from '../helpers/postgres.js';
import { ApiClient, TOKEN, seedActivity, startDashboard } from './helpers.js';

const postgres = await postgresForTests(import.meta.filename);

describe.skipIf(!postgres)('dashboard API over the service database: each user sees only their integrations', () => {
  const service = useServiceDatabase();
  let server: RunningDashboard;

  beforeAll(async () => {
    const registry = new IntegrationRegistry(service.db);
    const shopA = await addTestIntegration(registry, 'shop-a');
    await addTestIntegration(registry, 'shop-b');
    await seedActivity((now) => PgStateStore.open(service.db.pool, shopA, { now }), 300, new Date());
    const store = PgStateStore.open(service.db.pool, shopA);
    await store.quarantine({ runId: null, flow: 'orders', sourceId: '5', reason: 'ccvshop.orders 5: mappings/orders.map:9:3: nope', sourceRecord: { id: 5 }, payload: null, response: null });
    await store.close();
    const users = new PgUserDirectory(service.db.pool);
    await users.put('alice', 'alice-password-long', ['shop-a']);
    await users.put('bob', 'bob-password-long!', ['shop-b']);
    // The dashboard has its own pool, as `mapline dashboard` does.
    const db = await openDatabase(service.database.url);
    server = await startDashboard(new ServiceBackend(db), { users: new PgUserDirectory(db.pool) });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('stores passwords only as scrypt hashes, and refuses a wrong one', async () => {
    const { rows } = await service.db.pool.query<{ password_hash: string }>("SELECT password_hash FROM mapline.dashboard_users WHERE name = 'alice'");
    expect(rows[0]!.password_hash).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(rows[0]!.password_hash).not.toContain('alice-password-long');
    expect((await new ApiClient(server.url).login({ user: 'alice', password: 'alice-password-lonG' })).status).toBe(401);
    expect((await new ApiClient(server.url).login({ user: 'nobody', password: 'alice-password-long' })).status).toBe(401);
  });

  it("a user sees their integration's overview, failures and log, and nothing of another's", async () => {
    const alice = new ApiClient(server.url);
    expect((await alice.login({ user: 'alice', password: 'alice-password-long' })).status).toBe(200);
    const overview = await alice.get<{ integrations: { name: string; flows: { flow: string; health: string; day: Record<string, number> }[] }[] }>('overview');
    expect(overview.integrations.map((i) => i.name)).toEqual(['shop-a']);
    // 300 entries a minute apart ending now: all within 24 hours, a quarter of each action.
    expect(overview.integrations[0]!.flows[0]).toMatchObject({ flow: 'orders', health: 'orange', day: { created: 75, updated: 75, skipped: 75, failed: 75 } });
    expect((await alice.get<{ entries: unknown[] }>('integrations/shop-a/activity?search=customer7@example.nl')).entries).toHaveLength(1);
    for (const path of ['integrations/shop-b/activity', 'integrations/shop-b/failures', 'integrations/shop-b/maps/x.map']) expect((await alice.call('GET', path)).status).toBe(404);
    expect((await alice.call('POST', 'integrations/shop-b/pause', {})).status).toBe(404);

    const bob = new ApiClient(server.url);
    expect((await bob.login({ user: 'bob', password: 'bob-password-long!' })).status).toBe(200);
    expect((await bob.get<{ integrations: { name: string }[] }>('overview')).integrations.map((i) => i.name)).toEqual(['shop-b']);
    expect((await bob.call('GET', 'integrations/shop-a/failures')).status).toBe(404);
    expect((await bob.call('GET', 'integrations/shop-a/activity')).status).toBe(404);
  });

  it('pauses and resumes an integration; a run of a paused one is refused saying so', async () => {
    const operator = new ApiClient(server.url);
    await operator.login({ token: TOKEN });
    expect((await operator.get<{ integrations: { name: string }[] }>('overview')).integrations.map((i) => i.name)).toEqual(['shop-a', 'shop-b']);
    await operator.post('integrations/shop-b/pause');
    expect((await new IntegrationRegistry(service.db).require('shop-b')).state).toBe('paused');
    const refused = await operator.call('POST', 'integrations/shop-b/run', {});
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: string }).error).toMatch(/is paused/);
    await operator.post('integrations/shop-b/resume');
    expect((await new IntegrationRegistry(service.db).require('shop-b')).state).toBe('active');
    const jobs = await operator.get<{ scheduler: string | null; jobs: unknown[] }>('jobs');
    expect(jobs).toEqual({ scheduler: null, jobs: [] });
  });
});
