import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../cli/main.js';
import { DataFileError } from '../../../connectors/sandbox/data-file.js';
import { startSandboxes, type RunningSandboxes } from '../../../connectors/sandbox/index.js';
import { TERMS_14_DAYS, ccv, ea, eaToken } from './helpers.js';

const V1 = '/api/rest/v1';

async function control(origin: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(`${origin}/__sandbox${path}`, { method, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  return { status: response.status, json: await response.json() };
}

describe('control API (no auth, under /__sandbox)', () => {
  let s: RunningSandboxes;
  beforeAll(async () => {
    s = await startSandboxes({ seed: 'control', sizes: { products: 6, customers: 6, orders: 9 } });
  });
  afterAll(() => s.close());

  it('counts records per entity and requests per method and path, and lists the log without secrets', async () => {
    await control(s.ccvshop.origin, 'POST', '/reset');
    await ccv(s, { uri: `${V1}/orders?size=2` });
    await ccv(s, { uri: `${V1}/orders/781001` });
    await ccv(s, { uri: `${V1}/orders/781002` });
    const state = await control(s.ccvshop.origin, 'GET', '/state');
    expect(state.status).toBe(200);
    expect(state.json.records).toMatchObject({ orders: 9, products: 6 });
    expect(state.json.requests.byPath).toMatchObject({ 'GET /api/rest/v1/orders': 1, 'GET /api/rest/v1/orders/781001': 1 });
    expect(state.json.requests.byRoute).toMatchObject({ 'GET /api/rest/v1/orders/{id}': 2 });
    const log = await control(s.ccvshop.origin, 'GET', '/requests?limit=2');
    expect(log.json.entries.map((e: { url: string; status: number }) => [e.url, e.status])).toEqual([
      [`${V1}/orders/781001`, 200],
      [`${V1}/orders/781002`, 200],
    ]);

    const tokens = await eaToken(s);
    await ea(s, tokens, 'GET', '/v2/units');
    const eaLog = JSON.stringify((await control(s.eaccounting.origin, 'GET', '/requests')).json);
    expect(eaLog).toContain('/connect/token');
    expect(eaLog).not.toContain(tokens);
    expect(eaLog).not.toContain(Buffer.from('demo:demo').toString('base64'));
  });

  it('lists created records, injects records, moves the clock and resets', async () => {
    const access = await eaToken(s);
    const created = await ea(s, access, 'POST', '/v2/customers', { Name: 'Nieuw', InvoiceCity: 'Zwolle', InvoicePostalCode: '8011 AA', TermsOfPaymentId: TERMS_14_DAYS, IsPrivatePerson: true, IsActive: true });
    const list = await control(s.eaccounting.origin, 'GET', '/created');
    expect(list.json).toEqual([{ entity: 'customers', id: created.json.Id, record: created.json }]);

    const injected = await control(s.ccvshop.origin, 'POST', '/records/webhooks', [{ id: 5, event: 'orders.created', address: 'https://x.example', key: 'k', is_active: true }]);
    expect(injected.json.count).toBe(1);
    expect((await ccv(s, { uri: `${V1}/webhooks/5` })).json.event).toBe('orders.created');

    const moved = await control(s.eaccounting.origin, 'POST', '/clock', { advanceMs: 61 * 60_000 });
    expect(moved.json.offsetMs).toBe(61 * 60_000);
    expect((await ea(s, access, 'GET', '/v2/units')).status).toBe(401);

    const reset = await control(s.eaccounting.origin, 'POST', '/reset');
    expect(reset.json.clock.offsetMs).toBe(0);
    expect((await control(s.eaccounting.origin, 'GET', '/created')).json).toEqual([]);
    expect((await control(s.eaccounting.origin, 'GET', '/counts')).json.customers).toBe(s.eaccounting.control.records('customers').length);
    expect(s.eaccounting.control.records('customers').some((c) => c.Id === created.json.Id)).toBe(false);
    // Reset forgets tokens too.
    expect((await ea(s, access, 'GET', '/v2/units')).status).toBe(401);
    await control(s.ccvshop.origin, 'POST', '/reset');
  });

  it('changes faults and limits at run time and refuses bad settings with 400', async () => {
    expect((await control(s.ccvshop.origin, 'PATCH', '/faults', { errorRate: 1 })).json.errorRate).toBe(1);
    expect((await ccv(s, { uri: `${V1}/orders` })).status).toBe(500);
    expect((await control(s.ccvshop.origin, 'PATCH', '/faults', { errorRate: 0 })).status).toBe(200);
    expect((await control(s.ccvshop.origin, 'PATCH', '/faults', { errorRate: 3 })).status).toBe(400);
    expect((await control(s.ccvshop.origin, 'PATCH', '/rate-limits', { windowMs: 600 })).json).toEqual({ enabled: true, windowMs: 600 });
    expect((await control(s.ccvshop.origin, 'GET', '/nothing')).status).toBe(404);
    await control(s.ccvshop.origin, 'POST', '/reset');
  });
});

describe('--data files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mapline-sandbox-'));
  const file = join(dir, 'data.json');
  writeFileSync(
    file,
    JSON.stringify({
      ccvshop: { products: [{ id: 999001, productnumber: 'DATA-1', eannumber: '8710000000001', name: 'Uit het bestand', price: 9.95, stock: 3, is_active: true }] },
      eaccounting: { customers: [{ CustomerNumber: '77001', Name: 'Bestand BV', EmailAddress: 'file@example.nl', IsPrivatePerson: false, IsActive: true }] },
    }),
  );

  it('loads records in addition to the seed, giving ids to records without one', async () => {
    const s = await startSandboxes({ seed: 'data', sizes: { products: 4, customers: 4, orders: 4 }, data: file });
    try {
      const product = await ccv(s, { uri: `${V1}/products?productnumber=DATA-1` });
      expect(product.json.items).toHaveLength(1);
      expect(product.json.items[0]).toMatchObject({ id: 999001, name: 'Uit het bestand' });
      expect(s.ccvshop.control.counts().products).toBe(5);
      const access = await eaToken(s);
      const customer = await ea(s, access, 'GET', `/v2/customers?$filter=${encodeURIComponent("CustomerNumber eq '77001'")}`);
      expect(customer.json.Data[0]).toMatchObject({ Name: 'Bestand BV', Id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    } finally {
      await s.close();
    }
  });

  it('serves only the file with dataOnly, and names the place of a broken file', async () => {
    const s = await startSandboxes({ data: file, dataOnly: true });
    try {
      expect(s.ccvshop.control.counts()).toMatchObject({ products: 1, orders: 0 });
      expect(s.eaccounting.control.counts()).toMatchObject({ customers: 1, articles: 0 });
    } finally {
      await s.close();
    }
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, JSON.stringify({ ccvshop: { products: {} } }));
    await expect(startSandboxes({ data: broken })).rejects.toThrow(DataFileError);
    await expect(startSandboxes({ data: broken })).rejects.toThrow(/ccvshop\.products must be an array/);
  });
});

describe('seeding', () => {
  const snapshot = (s: RunningSandboxes) => ({
    orders: s.ccvshop.control.records('orders'),
    rows: s.ccvshop.control.records('orderrows'),
    products: s.ccvshop.control.records('products'),
    articles: s.eaccounting.control.records('articles'),
    customers: s.eaccounting.control.records('customers'),
    documents: ['orders', 'quotes', 'customerinvoicedrafts', 'customerinvoices'].map((entity) => s.eaccounting.control.records(entity)),
  });

  it('gives the same data for the same seed and anchor, other data for another seed, and the asked sizes', async () => {
    const options = { anchor: '2026-01-01T00:00:00Z', sizes: { products: 12, customers: 9, orders: 25 } };
    const a = await startSandboxes({ ...options, seed: 7 });
    const b = await startSandboxes({ ...options, seed: 7 });
    const c = await startSandboxes({ ...options, seed: 8 });
    try {
      expect(snapshot(b)).toEqual(snapshot(a));
      expect(snapshot(c).orders).not.toEqual(snapshot(a).orders);
      expect(snapshot(c).documents).not.toEqual(snapshot(a).documents);
      expect(a.ccvshop.control.counts()).toMatchObject({ orders: 25, products: 12 });
      // One article per product, plus a shipping (VERZEND) and a discount (KORTING) article per VAT rate: 21, 9, 0 %.
      expect(a.eaccounting.control.counts().articles).toBe(18);
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });
});

describe('mapline sandbox (CLI)', () => {
  it('refuses bad flags with exit code 2 before starting anything', async () => {
    expect(await main(['node', 'mapline', 'sandbox', '--error-rate', '2'])).toBe(2);
    expect(await main(['node', 'mapline', 'sandbox', '--ccv-port', 'eighty'])).toBe(2);
    expect(await main(['node', 'mapline', 'sandbox', '--ccv-port', '0', '--eaccounting-port', '0', '--data', '/nonexistent/data.json'])).toBe(2);
  });
});
