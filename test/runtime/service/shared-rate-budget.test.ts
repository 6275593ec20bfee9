import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { RateLimitRule } from '../../../connectors/definition.js';
import { credentialKey, SharedRateBudget } from '../../../runtime/service/shared-rate-budget.js';
import { postgresForTests, useServiceDatabase } from '../../helpers/postgres.js';

/**
 * The shared token bucket against a real PostgreSQL: what it hands out is computed from its refill rate, so these
 * tests check the waits it computes (and the order it admits in), never how long anything took.
 */
const postgres = await postgresForTests(import.meta.filename);

const MINUTE: RateLimitRule = { scope: 'endpoint', methods: ['GET'], limit: 100, windowMs: 60_000 };
/** limit 100, burst 5 % = 5, refill 95 per 61.2 s (2 % margin): one slot every ~644 ms. */
const SLOT_MS = (60_000 * 1.02) / 95;

describe.skipIf(!postgres)('SharedRateBudget (PostgreSQL token bucket)', () => {
  const service = useServiceDatabase();
  const pools: pg.Pool[] = [];
  const pool = () => {
    const p = new pg.Pool({ connectionString: service.database.url, max: 2 });
    pools.push(p);
    return p;
  };
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end()));
  });

  it('lets the burst out at once, then promises each taker the next slot of the refill rate', async () => {
    const budget = new SharedRateBudget(service.db.pool, 'conformance-a', [MINUTE], 1);
    const waits: number[] = [];
    for (let i = 0; i < 8; i++) waits.push(await budget.take('0|/orders', MINUTE));
    expect(waits.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    waits.slice(5).forEach((wait, i) => {
      expect(wait).toBeLessThanOrEqual((i + 1) * SLOT_MS + 1);
      expect(wait).toBeGreaterThan((i + 0.5) * SLOT_MS);
    });
  });

  it('never gives two takers the same slot, however many processes take at once (one atomic statement)', async () => {
    const budgets = [0, 1, 2, 3].map(() => new SharedRateBudget(pool(), 'conformance-b', [MINUTE], 1));
    const waits = (await Promise.all(Array.from({ length: 40 }, (_, i) => budgets[i % 4]!.take('0|/orders', MINUTE)))).sort((a, b) => a - b);
    expect(waits.filter((w) => w === 0)).toHaveLength(5);
    const promised = waits.filter((w) => w > 0);
    expect(promised).toHaveLength(35);
    for (let i = 1; i < promised.length; i++) expect(promised[i]! - promised[i - 1]!).toBeGreaterThan(SLOT_MS / 2);
    expect(promised.at(-1)!).toBeGreaterThan(34 * SLOT_MS);
  });

  it('keeps each credential key and each rule its own bucket', async () => {
    const budget = new SharedRateBudget(service.db.pool, 'conformance-c', [MINUTE], 1);
    for (let i = 0; i < 5; i++) await budget.take('0|/orders', MINUTE);
    expect(await budget.take('0|/orders', MINUTE)).toBeGreaterThan(0);
    expect(await budget.take('0|/products', MINUTE)).toBe(0);
    expect(await new SharedRateBudget(service.db.pool, 'conformance-d', [MINUTE], 1).take('0|/orders', MINUTE)).toBe(0);
  });

  it('after a 429 (pause) moves every later slot back by the wait the API asked for', async () => {
    const budget = new SharedRateBudget(service.db.pool, 'conformance-e', [MINUTE], 1);
    expect(await budget.take('0|/orders', MINUTE)).toBe(0);
    budget.pause('/orders', 'GET', 30_000);
    // pause is fire-and-forget; the next statement on the pool runs after it
    await service.db.pool.query('SELECT 1');
    expect(await budget.take('0|/orders', MINUTE)).toBeGreaterThanOrEqual(30_000);
  });

  it('stores only a hash of the credential identity: no key, no secret, the same row for any secret', async () => {
    const context = { connector: 'ccvshop', baseUrl: 'https://shop.example/api/rest/v1', credentials: { publicKey: 'pk-identity-7731', secret: 'secret-99ab' } };
    const key = credentialKey(context);
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    expect(credentialKey({ ...context, credentials: { publicKey: 'pk-identity-7731', secret: 'other' } })).toBe(key);
    expect(credentialKey({ ...context, credentials: { publicKey: 'pk-identity-7732', secret: 'secret-99ab' } })).not.toBe(key);
    expect(credentialKey({ ...context, baseUrl: 'https://other-shop.example/api/rest/v1' })).not.toBe(key);
    await new SharedRateBudget(service.db.pool, key, [MINUTE], 1).take('0|/orders', MINUTE);
    const { rows } = await service.db.pool.query<{ dump: string }>('SELECT string_agg(key || tokens::text, \',\') AS dump FROM mapline.rate_budgets');
    expect(rows[0]!.dump).toContain(key);
    expect(rows[0]!.dump).not.toContain('pk-identity-7731');
    expect(rows[0]!.dump).not.toContain('secret-99ab');
  });

  it('shares a key fairly: a backlog of 40 requests does not hold back an integration with 10', async () => {
    // limit 60 per 1.8 s window: a slot every ~33 ms, so the 50 requests take under two seconds
    const rule: RateLimitRule = { scope: 'connector', methods: [], limit: 60, windowMs: 60_000 };
    const backlog = new SharedRateBudget(pool(), 'conformance-f', [rule], 0.03);
    const small = new SharedRateBudget(pool(), 'conformance-f', [rule], 0.03);
    const order: string[] = [];
    const all = [
      ...Array.from({ length: 40 }, () => backlog.acquire('/orders', 'GET').then(() => order.push('backlog'))),
      ...Array.from({ length: 10 }, () => small.acquire('/orders', 'GET').then(() => order.push('small'))),
    ];
    await Promise.all(all);
    const lastSmall = order.lastIndexOf('small');
    // alternating tickets finish the small one around the 20th admission; first come, first served at the 50th
    expect(lastSmall).toBeLessThan(26);
    expect(order.filter((o) => o === 'small')).toHaveLength(10);
  });
});
