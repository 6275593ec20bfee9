import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalBackend } from '../../dashboard/server/local-backend.js';
import type { RunningDashboard } from '../../dashboard/server/server.js';
import { SqliteStateStore } from '../../runtime/state/sqlite-store.js';
import { ApiClient, TOKEN, localSetup, seedActivity, startDashboard } from './helpers.js';

const END = new Date('2026-03-10T12:00:00.000Z');
const ENTRIES = 10_000;

describe('dashboard API over a one-shop SQLite state (10,000 log entries)', () => {
  const setup = localSetup();
  let server: RunningDashboard;
  let api: ApiClient;
  const name = () => new LocalBackend(setup.config).name;

  beforeAll(async () => {
    await seedActivity((now) => SqliteStateStore.open(setup.state, { now }), ENTRIES, END);
    const store = SqliteStateStore.open(setup.state);
    await store.quarantine({ runId: null, flow: 'orders', sourceId: '77', reason: 'ccvshop.orders 77: mappings/orders.map:94:19: no eaccounting.articles with Number = "X"', sourceRecord: { id: 77 }, payload: { YourReference: 'WEB-77' }, response: null });
    await store.quarantine({ runId: null, flow: 'orders', sourceId: '78', reason: 'ccvshop.orders 78: the API said no', sourceRecord: { id: 78 }, payload: null, response: { status: 400 } });
    await store.close();
    server = await startDashboard(new LocalBackend(setup.config));
    api = new ApiClient(server.url);
    expect((await api.login({ token: TOKEN })).status).toBe(200);
  });
  afterAll(async () => {
    await server?.close();
    setup.remove();
  });

  it('asks for a login: no session, a wrong token, a forged or foreign change are refused', async () => {
    const stranger = new ApiClient(server.url);
    expect((await stranger.call('GET', 'overview')).status).toBe(401);
    expect((await stranger.login({ token: 'wrong' })).status).toBe(401);
    expect((await stranger.call('GET', `integrations/${name()}/activity`)).status).toBe(401);
    // A logged-in browser tricked by another site: no CSRF token, or another Origin.
    const noToken = await fetch(`${server.url}api/integrations/${name()}/failures/77/dismiss`, {
      method: 'POST',
      headers: { cookie: (api as unknown as { cookie: string }).cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ note: 'x' }),
    });
    expect(noToken.status).toBe(403);
    expect((await api.call('POST', `integrations/${name()}/failures/77/dismiss`, { note: 'x' }, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await api.get<{ failures: unknown[] }>(`integrations/${name()}/failures`)).failures).toHaveLength(2);
  });

  it('the overview counts the 24 hours and 7 days of each flow and lights orange for quarantined records, with no config in it', async () => {
    const overview = await api.get<{ integrations: { name: string; flows: { flow: string; health: string; week: Record<string, number>; series: number[] }[] }[] }>('overview');
    expect(overview.integrations.map((i) => i.name)).toEqual([name()]);
    const orders = overview.integrations[0]!.flows.find((f) => f.flow === 'orders');
    // The seeded entries end at END, long before now: they are outside both windows.
    expect(orders).toMatchObject({ health: 'orange', week: { created: 0, updated: 0, skipped: 0, failed: 0 } });
    expect(JSON.stringify(overview)).not.toMatch(/publicKey|clientSecret|"secret"/);
  });

  it('pages through all 10,000 entries, 200 at most per answer, each once, newest first, without their documents', async () => {
    const seen = new Set<number>();
    let before: number | null | undefined;
    let pages = 0;
    do {
      const page = await api.get<{ entries: { id: number; sourceRecord?: unknown }[]; next: number | null }>(`integrations/${name()}/activity?limit=500${before ? `&before=${before}` : ''}`);
      expect(page.entries.length).toBeLessThanOrEqual(200);
      for (const entry of page.entries) {
        expect(seen.has(entry.id)).toBe(false);
        expect(entry.sourceRecord).toBeUndefined();
        seen.add(entry.id);
      }
      expect(page.entries.map((e) => e.id)).toEqual([...page.entries.map((e) => e.id)].sort((a, b) => b - a));
      before = page.next;
      pages++;
    } while (before !== null);
    expect(seen.size).toBe(ENTRIES);
    expect(pages).toBe(ENTRIES / 200);
  });

  it('searches by order number, e-mail and SKU, filters by status and date range, and shows one entry in full', async () => {
    const search = (query: string) => api.get<{ entries: { id: number; sourceId: string; action: string; at: string }[]; next: number | null }>(`integrations/${name()}/activity?${query}`);
    expect((await search('search=customer4321@example.nl')).entries.map((e) => e.sourceId)).toEqual(['5321']);
    expect((await search('search=CUSTOMER4321@EXAMPLE.NL')).entries.map((e) => e.sourceId)).toEqual(['5321']);
    const bySku = await search('search=SKU-96"&limit=200');
    expect(bySku.entries.length).toBeGreaterThan(0);
    expect(bySku.entries.every((e) => (Number(e.sourceId) - 1000) % 97 === 96)).toBe(true);
    const failed = await search('action=fail&limit=200');
    expect(failed.entries.every((e) => e.action === 'fail')).toBe(true);
    expect(failed.next).not.toBeNull();
    // The last hour before END: 60 entries.
    const hour = await search(`since=${new Date(END.getTime() - 3_599_000).toISOString()}&until=${new Date(END.getTime() + 1).toISOString()}&limit=200`);
    expect(hour.entries).toHaveLength(60);
    expect(hour.next).toBeNull();
    expect((await search('search=100%25')).entries).toEqual([]); // a % is a character, not a wildcard
    const one = await api.get<{ id: number; sourceRecord: unknown; payload: unknown; response: unknown; lineage: unknown }>(`integrations/${name()}/activity/${hour.entries[0]!.id}`);
    expect(one).toMatchObject({ sourceRecord: { ordernumber: 1000 + ENTRIES - 1 }, payload: { YourReference: `WEB-${1000 + ENTRIES - 1}` }, lineage: { YourReference: 'mappings/orders.map:40' } });
    expect((await api.call('GET', `integrations/${name()}/activity/999999`)).status).toBe(404);
  });

  it('lists failures with the .map place that failed, and dismisses one with a note that is kept', async () => {
    const { failures } = await api.get<{ failures: { id: number; sourceId: string; location: unknown }[] }>(`integrations/${name()}/failures`);
    expect(failures.map((f) => [f.sourceId, f.location])).toEqual([
      ['77', { file: 'mappings/orders.map', line: 94, column: 19 }],
      ['78', null],
    ]);
    expect((await api.call('POST', `integrations/${name()}/failures/${failures[1]!.id}/dismiss`, { note: ' ' })).status).toBe(400);
    await api.post(`integrations/${name()}/failures/${failures[1]!.id}/dismiss`, { note: 'fixed by hand in eAccounting' });
    expect((await api.get<{ failures: { sourceId: string }[] }>(`integrations/${name()}/failures`)).failures.map((f) => f.sourceId)).toEqual(['77']);
    const store = SqliteStateStore.open(setup.state);
    const [dismissed] = (await store.listQuarantine({ includeResolved: true })).filter((e) => e.sourceId === '78');
    await store.close();
    expect(dismissed).toMatchObject({ resolved: true, note: 'fixed by hand in eAccounting (operator (token))' });
    const map = await api.get<{ text: string }>(`integrations/${name()}/maps/mappings/orders.map`);
    expect(map.text).toContain('find eaccounting.articles by Number');
    expect((await api.call('GET', `integrations/other/failures`)).status).toBe(404);
  });

  it('pausing is refused in one-shop mode, saying why', async () => {
    const response = await api.call('POST', `integrations/${name()}/pause`, {});
    expect(response.status).toBe(409);
    expect(((await response.json()) as { error: string }).error).toMatch(/cron job or `mapline run --watch`/);
  });

  it('sends large answers compressed', async () => {
    const response = await fetch(`${server.url}api/integrations/${name()}/activity?limit=200`, { headers: { cookie: (api as unknown as { cookie: string }).cookie, 'accept-encoding': 'br' } });
    expect(response.headers.get('content-encoding')).toBe('br');
  });
});
