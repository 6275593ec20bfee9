import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SandboxClock } from '../../../connectors/sandbox/clock.js';
import { RateLimiter } from '../../../connectors/sandbox/rate-limit.js';
import { startSandboxes, type RunningSandboxes } from '../../../connectors/sandbox/index.js';
import { TERMS_14_DAYS, ccv, ea, eaToken } from './helpers.js';

const V1 = '/api/rest/v1';
const MINUTE = 60_000;

/** A clock that stands still unless a test moves it, so windows never roll over by themselves. */
function frozenClock(at: number): SandboxClock {
  return new SandboxClock(() => at);
}

async function times<T>(n: number, call: () => Promise<T>, parallel = 25): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < n; i += parallel) out.push(...(await Promise.all(Array.from({ length: Math.min(parallel, n - i) }, call))));
  return out;
}

describe('rate limits', () => {
  let s: RunningSandboxes;
  // Five seconds into a minute, so the documented 60-second window has 55 seconds left.
  const start = Date.UTC(2026, 5, 1, 12, 0, 5);
  beforeAll(async () => {
    s = await startSandboxes({ seed: 'limits', sizes: { products: 5, customers: 5, orders: 5 }, clock: frozenClock(start) });
  });
  afterAll(() => s.close());

  it('CCV: 150 GETs per resource per minute, then 429.10; the next window starts fresh', async () => {
    const statuses = await times(150, async () => (await ccv(s, { uri: `${V1}/paymethods` })).status);
    expect(statuses.every((status) => status === 200)).toBe(true);
    const limited = await ccv(s, { uri: `${V1}/paymethods` });
    expect(limited.status).toBe(429);
    expect(limited.json).toMatchObject({ status: 429, code: '429.10', developermessage: expect.stringContaining('paymethods') });
    // Another resource has its own budget.
    expect((await ccv(s, { uri: `${V1}/webhooks` })).status).toBe(200);
    s.clock.advance(MINUTE);
    expect((await ccv(s, { uri: `${V1}/paymethods` })).status).toBe(200);
  });

  it('eAccounting: 600 per client and endpoint, then the exact documented 429 body', async () => {
    s.clock.set(start);
    s.eaccounting.control.setRateLimits({ windowMs: MINUTE });
    const access = await eaToken(s);
    const statuses = await times(600, async () => (await ea(s, access, 'GET', '/v2/units')).status, 50);
    expect(statuses.every((status) => status === 200)).toBe(true);
    const limited = await ea(s, access, 'GET', '/v2/units');
    expect(limited.status).toBe(429);
    expect(limited.json).toEqual({
      ErrorCode: 4010,
      DeveloperErrorMessage: 'API calls quota exceeded! maximum admitted 600 per Minute. Try again in 55 seconds.',
      ErrorId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect((await ea(s, access, 'GET', '/v2/countries')).status).toBe(200);
    s.clock.advance(30_000);
    expect((await ea(s, access, 'GET', '/v2/units')).json.DeveloperErrorMessage).toContain('Try again in 25 seconds.');
  });

  it('scales the window for tests and can be switched off', async () => {
    s.eaccounting.control.setRateLimits({ windowMs: 600 });
    const access = await eaToken(s);
    await times(600, async () => ea(s, access, 'GET', '/v2/vatcodes'), 50);
    const limited = await ea(s, access, 'GET', '/v2/vatcodes');
    expect(limited.json.DeveloperErrorMessage).toMatch(/Try again in 1 seconds\.$/);
    s.clock.advance(600);
    expect((await ea(s, access, 'GET', '/v2/vatcodes')).status).toBe(200);
    s.eaccounting.control.setRateLimits({ enabled: false });
    await times(601, async () => ea(s, access, 'GET', '/v2/deliverymethods'), 50);
    expect((await ea(s, access, 'GET', '/v2/deliverymethods')).status).toBe(200);
  });
});

describe('a 429 storm counted in calls (spendNext)', () => {
  it('refuses exactly the next N calls under the prefix, with the real time left in the window; others and later calls pass', () => {
    const clock = new SandboxClock(() => Date.UTC(2026, 5, 1, 12, 0, 5));
    const limiter = new RateLimiter(clock, { enabled: true, windowMs: MINUTE });
    limiter.spendNext(2, 'ea client-1 ');
    expect(limiter.consume('ccv total', 600)).toEqual({ allowed: true });
    expect(limiter.consume('ea client-1 /v2/orders', 600)).toEqual({ allowed: false, retryAfterMs: 55_000, limit: 600 });
    expect(limiter.consume('ea client-1 /v2/customers', 600)).toEqual({ allowed: false, retryAfterMs: 55_000, limit: 600 });
    expect(limiter.stormLeft).toBe(0);
    // The storm spent those windows: a call back in the same window is refused as the real API would.
    expect(limiter.consume('ea client-1 /v2/orders', 600).allowed).toBe(false);
    expect(limiter.consume('ea client-1 /v2/articles', 600)).toEqual({ allowed: true });
    clock.advance(55_000);
    expect(limiter.consume('ea client-1 /v2/orders', 600)).toEqual({ allowed: true });
  });
});

describe('fault injection', () => {
  let s: RunningSandboxes;
  beforeAll(async () => {
    s = await startSandboxes({ seed: 'faults', sizes: { products: 5, customers: 5, orders: 5 } });
  });
  afterAll(() => s.close());
  afterEach(() => {
    s.ccvshop.control.reset();
    s.eaccounting.control.reset();
  });

  const newCustomer = { Name: 'Fault BV', InvoiceCity: 'Delft', InvoicePostalCode: '2611 AA', TermsOfPaymentId: TERMS_14_DAYS, IsPrivatePerson: false, IsActive: true };

  it('answers injected 5xx in each API\'s error shape, without applying the write', async () => {
    const access = await eaToken(s);
    s.ccvshop.control.setFaults({ errorRate: 1, errorStatus: 503 });
    s.eaccounting.control.setFaults({ errorRate: 1 });
    const shop = await ccv(s, { uri: `${V1}/orders` });
    expect(shop.status).toBe(503);
    expect(shop.json).toMatchObject({ status: 503, code: '503.00' });
    expect(shop.headers.get('x-hash')).toMatch(/^[0-9a-f]{128}$/);
    const before = s.eaccounting.control.counts().customers;
    const accounting = await ea(s, access, 'POST', '/v2/customers', newCustomer);
    expect(accounting.status).toBe(500);
    expect(accounting.json).toMatchObject({ ErrorCode: 5000, ErrorId: expect.any(String) });
    expect(s.eaccounting.control.counts().customers).toBe(before);
  });

  it('drops the connection without an answer and without applying the write', async () => {
    const access = await eaToken(s);
    s.eaccounting.control.setFaults({ dropRate: 1 });
    const before = s.eaccounting.control.counts().customers;
    await expect(ea(s, access, 'POST', '/v2/customers', newCustomer)).rejects.toThrow();
    expect(s.eaccounting.control.counts().customers).toBe(before);
    expect(s.eaccounting.control.requests(1)[0]).toMatchObject({ method: 'POST', status: null, fault: 'drop' });
  });

  it('applies a write and then loses the answer; reads are not affected', async () => {
    const access = await eaToken(s);
    s.eaccounting.control.setFaults({ lostResponseRate: 1 });
    const before = s.eaccounting.control.counts().customers ?? 0;
    await expect(ea(s, access, 'POST', '/v2/customers', newCustomer)).rejects.toThrow();
    expect(s.eaccounting.control.counts().customers).toBe(before + 1);
    expect(s.eaccounting.control.created().map((c) => c.record.Name)).toEqual(['Fault BV']);
    expect((await ea(s, access, 'GET', '/v2/customers')).status).toBe(200);
    s.ccvshop.control.setFaults({ lostResponseRate: 1 });
    await expect(ccv(s, { method: 'PATCH', uri: `${V1}/orders/781001`, body: '{"status":6}' })).rejects.toThrow();
    s.ccvshop.control.setFaults({ lostResponseRate: 0 });
    expect((await ccv(s, { uri: `${V1}/orders/781001` })).json.status).toBe(6);
  });

  it('delays answers by the configured latency', async () => {
    s.ccvshop.control.setFaults({ latencyMs: 120 });
    const started = performance.now();
    expect((await ccv(s, { uri: `${V1}/paymethods` })).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
  });

  it('takes one-shot faults through the control API, then answers normally', async () => {
    const access = await eaToken(s);
    const control = await fetch(`${s.eaccounting.origin}/__sandbox/faults/once`, {
      method: 'POST',
      body: JSON.stringify([{ kind: 'error', status: 502, method: 'POST', pathPrefix: '/v2/customers' }]),
    });
    expect(control.status).toBe(200);
    expect((await ea(s, access, 'GET', '/v2/customers')).status).toBe(200);
    expect((await ea(s, access, 'POST', '/v2/customers', newCustomer)).status).toBe(502);
    expect((await ea(s, access, 'POST', '/v2/customers', newCustomer)).status).toBe(201);
  });

  it('draws the same faults for the same seed and request sequence', async () => {
    const run = async (seed: string) => {
      const other = await startSandboxes({ seed, sizes: { products: 3, customers: 3, orders: 3 }, faults: { errorRate: 0.4 } });
      try {
        const statuses: number[] = [];
        for (let i = 0; i < 30; i++) statuses.push((await ccv(other, { uri: `${V1}/paymethods` })).status);
        return statuses;
      } finally {
        await other.close();
      }
    };
    const first = await run('same');
    expect(first).toContain(500);
    expect(first).toContain(200);
    expect(await run('same')).toEqual(first);
    expect(await run('different')).not.toEqual(first);
  });
});
