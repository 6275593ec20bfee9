import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxClock } from '../../../connectors/sandbox/clock.js';
import { startTenantSandboxes, type RunningTenant, type RunningTenantSandboxes } from '../../../connectors/sandbox/tenants.js';
import { ccv, ea, eaToken, TERMS_14_DAYS } from './helpers.js';

/**
 * `mapline sandbox --tenants N`: every tenant a shop and a company of its own. A frozen clock keeps every call in
 * one rate-limit window, so the limit tests count calls, not time.
 */
let fleet: RunningTenantSandboxes;
let t1: RunningTenant;
let t2: RunningTenant;
const frozen = Date.parse('2026-03-02T10:00:30Z');

beforeAll(async () => {
  fleet = await startTenantSandboxes({ tenants: 3, seed: 'fleet', sizes: { orders: 10, customers: 6, products: 8 }, clock: new SandboxClock(() => frozen) });
  [t1, t2] = fleet.tenants as [RunningTenant, RunningTenant];
});
afterAll(async () => {
  await fleet?.close();
});

const productNumbers = (tenant: RunningTenant) => tenant.ccvshop.control.records('products').map((p) => p.productnumber);

describe('tenant sandboxes', () => {
  it('give each tenant its own credentials demoN/demoN and its own servers', () => {
    expect(fleet.tenants.map((t) => [t.name, t.ccvshop.publicKey, t.ccvshop.secret, t.eaccounting.clientId, t.eaccounting.clientSecret])).toEqual([
      ['tenant-1', 'demo1', 'demo1', 'demo1', 'demo1'],
      ['tenant-2', 'demo2', 'demo2', 'demo2', 'demo2'],
      ['tenant-3', 'demo3', 'demo3', 'demo3', 'demo3'],
    ]);
    expect(new Set(fleet.tenants.flatMap((t) => [t.ccvshop.origin, t.eaccounting.origin])).size).toBe(6);
  });

  it('seed each tenant differently, and the same fleet seed gives the same data again', async () => {
    const catalogue = (t: RunningTenant) => t.ccvshop.control.records('products').map((p) => [p.name, p.price, p.stock]);
    const orderTotals = (t: RunningTenant) => t.ccvshop.control.records('orders').map((o) => o.total_price);
    expect(catalogue(t1)).not.toEqual(catalogue(t2));
    expect(orderTotals(t1)).not.toEqual(orderTotals(t2));
    const again = await startTenantSandboxes({ tenants: 2, seed: 'fleet', sizes: { orders: 10, customers: 6, products: 8 }, clock: new SandboxClock(() => frozen) });
    try {
      expect(again.tenants.map((t) => t.ccvshop.control.records('orders'))).toEqual([t1, t2].map((t) => t.ccvshop.control.records('orders')));
      expect(again.tenants.map((t) => t.eaccounting.control.records('customers'))).toEqual([t1, t2].map((t) => t.eaccounting.control.records('customers')));
    } finally {
      await again.close();
    }
  });

  it("refuse another tenant's or an unknown tenant's credentials, on CCV and on eAccounting", async () => {
    for (const key of ['demo2', 'demo9', 'demo']) {
      const answer = await ccv(t1, { uri: '/api/rest/v1/orders', publicKey: key, secret: key });
      expect(answer.status, key).toBe(401);
      expect(answer.json.code).toBe('401.20');
    }
    expect((await ccv(t1, { uri: '/api/rest/v1/orders' })).status).toBe(200);

    // tenant 2's client at tenant 1's identity server, and tenant 2's token at tenant 1's API
    const foreign = { eaccounting: { ...t1.eaccounting, clientId: 'demo2', clientSecret: 'demo2' } };
    await expect(eaToken(foreign as RunningTenant)).rejects.toThrow();
    const token2 = await eaToken(t2);
    expect((await ea(t1, token2, 'GET', '/v2/customers')).status).toBe(401);
    expect((await ea(t2, token2, 'GET', '/v2/customers')).status).toBe(200);
  });

  it("never show one tenant's records or writes to another", async () => {
    const created = await ccv(t1, {
      method: 'POST',
      uri: '/api/rest/v1/products',
      body: JSON.stringify({ productnumber: 'ONLY-T1', name: 'Alleen bij tenant 1', price: 5, discount: 0, package_id: 80831, taxtariff: 'normal', active: true }),
    });
    expect(created.status).toBe(201);
    const inT1 = await ccv(t1, { uri: '/api/rest/v1/products?productnumber=ONLY-T1' });
    const inT2 = await ccv(t2, { uri: '/api/rest/v1/products?productnumber=ONLY-T1' });
    expect(inT1.json.items.map((p: { productnumber: string }) => p.productnumber)).toEqual(['ONLY-T1']);
    expect(inT2.json.items).toEqual([]);
    // every product tenant 2 lists is one of its own seeded ones
    const listed = (await ccv(t2, { uri: '/api/rest/v1/products?size=250' })).json.items.map((p: { productnumber: string }) => p.productnumber);
    expect(listed.sort()).toEqual([...productNumbers(t2)].sort());

    const token1 = await eaToken(t1);
    const customer = await ea(t1, token1, 'POST', '/v2/customers', { Name: 'Tenant Een BV', CustomerNumber: '99001', IsPrivatePerson: false, IsActive: true, InvoiceCity: 'Utrecht', InvoicePostalCode: '3511 AA', TermsOfPaymentId: TERMS_14_DAYS });
    expect(customer.status, customer.text).toBe(201);
    const token2 = await eaToken(t2);
    const found = await ea(t2, token2, 'GET', `/v2/customers?$filter=${encodeURIComponent("CustomerNumber eq '99001'")}`);
    expect(found.json.Data).toEqual([]);
    expect((await ea(t2, token2, 'GET', `/v2/customers/${customer.json.Id as string}`)).status).toBe(404);
  });

  it('keep rate limits per tenant: a spent window at one tenant leaves the others untouched', async () => {
    // 150 GETs per minute per resource (frozen clock: all in one window); tenant 3 is untouched so far
    const t3 = fleet.tenants[2]!;
    const statuses: number[] = [];
    for (let i = 0; i < 151; i++) statuses.push((await ccv(t3, { uri: '/api/rest/v1/categories' })).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(150);
    expect(statuses[150]).toBe(429);
    expect((await ccv(t1, { uri: '/api/rest/v1/categories' })).status).toBe(200);
    expect((await ccv(t2, { uri: '/api/rest/v1/categories' })).status).toBe(200);
  });
});
