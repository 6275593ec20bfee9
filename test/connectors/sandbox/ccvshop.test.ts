import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ccvSignature } from '../../../connectors/ccvshop/hmac.js';
import { startSandboxes, type RunningSandboxes } from '../../../connectors/sandbox/index.js';
import { ccv } from './helpers.js';

const V1 = '/api/rest/v1';
let s: RunningSandboxes;

beforeAll(async () => {
  s = await startSandboxes({ seed: 'ccv-tests', anchor: '2026-06-01T00:00:00Z', sizes: { orders: 80, products: 30, customers: 20 } });
});
afterAll(() => s.close());
beforeEach(() => s.ccvshop.control.reset());

describe('CCV Shop sandbox: HMAC authentication', () => {
  it('accepts a correctly signed request, with Z, +00:00 and +0000 dates', async () => {
    const now = new Date(s.clock.now());
    const base = now.toISOString().slice(0, 19);
    for (const date of [`${base}Z`, `${base}+00:00`, `${base}+0000`]) {
      const answer = await ccv(s, { uri: `${V1}/paymethods`, date });
      expect(answer.status, date).toBe(200);
    }
  });

  it.each([
    ['body', { method: 'POST', uri: `${V1}/webhooks`, body: '{"event":"orders.created","address":"https://x.example/h"}', signed: { body: '{"event":"orders.created","address":"https://y.example/h"}' } }],
    ['path', { uri: `${V1}/orders/781001`, signed: { uri: `${V1}/orders/781002` } }],
    ['query', { uri: `${V1}/orders?size=5`, signed: { uri: `${V1}/orders?size=6` } }],
    ['trailing slash', { uri: `${V1}/orders/`, signed: { uri: `${V1}/orders` } }],
    ['date', { uri: `${V1}/orders`, signed: { date: '2020-01-01T00:00:00Z' } }],
  ])('rejects a request whose %s differs from what was signed (401, CCV error body)', async (_what, call) => {
    const answer = await ccv(s, call);
    expect(answer.status).toBe(401);
    expect(answer.json).toMatchObject({ status: 401, code: expect.stringMatching(/^401\.\d\d$/), developermessage: expect.any(String) });
  });

  it('rejects the wrong secret, an unknown public key and missing headers', async () => {
    expect((await ccv(s, { uri: `${V1}/orders`, secret: 'wrong' })).json.code).toBe('401.40');
    expect((await ccv(s, { uri: `${V1}/orders`, publicKey: 'someone-else' })).json.code).toBe('401.20');
    const bare = await fetch(`${s.ccvshop.origin}${V1}/orders`);
    expect(bare.status).toBe(401);
    expect(((await bare.json()) as { code: string }).code).toBe('401.10');
  });

  it('rejects a date six minutes off on the sandbox clock, and accepts four minutes', async () => {
    const sent = new Date(s.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    s.clock.advance(6 * 60_000);
    try {
      const stale = await ccv(s, { uri: `${V1}/orders`, date: sent });
      expect(stale.status).toBe(401);
      expect(stale.json.code).toBe('401.30');
      s.clock.advance(-2 * 60_000);
      expect((await ccv(s, { uri: `${V1}/orders`, date: sent })).status).toBe(200);
    } finally {
      s.clock.reset();
    }
  });

  it('signs every response over the request method and uri and the raw response body', async () => {
    const uri = `${V1}/orders/?start=0&size=3&is_paid=true`;
    const answer = await ccv(s, { uri });
    const date = answer.headers.get('x-date') ?? '';
    expect(date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    const expected = ccvSignature('demo', { publicKey: 'demo', method: 'GET', uri, body: answer.text, date });
    expect(answer.headers.get('x-hash')).toBe(expected);
    // Error answers and 204s are signed too.
    const missing = await ccv(s, { uri: `${V1}/nothing-here` });
    expect(missing.headers.get('x-hash')).toBe(ccvSignature('demo', { publicKey: 'demo', method: 'GET', uri: `${V1}/nothing-here`, body: missing.text, date: missing.headers.get('x-date') ?? '' }));
  });
});

describe('CCV Shop sandbox: collections', () => {
  it('pages with start/size and absolute next links that keep the filters', async () => {
    const seen: number[] = [];
    let uri: string | null = `${V1}/orders/?size=7&is_paid=true&orderby=create_date`;
    let pages = 0;
    while (uri) {
      const answer = await ccv(s, { uri });
      expect(answer.status).toBe(200);
      expect(Object.keys(answer.json)).toEqual(['href', 'start', 'size', 'first', 'previous', 'next', 'items']);
      seen.push(...answer.json.items.map((order: { id: number }) => order.id));
      for (const order of answer.json.items) expect(order.paid).toBe(true);
      const next: string | null = answer.json.next;
      if (next) {
        expect(next.startsWith(s.ccvshop.origin)).toBe(true);
        expect(next).toContain('is_paid=true');
        expect(next).toContain('orderby=create_date');
      }
      uri = next ? next.slice(s.ccvshop.origin.length) : null;
      pages++;
    }
    const paidCompleted = s.ccvshop.control.records('orders').filter((o) => o.paid === true && o.is_completed === true);
    expect(seen.length).toBe(paidCompleted.length);
    expect(new Set(seen).size).toBe(seen.length);
    expect(pages).toBe(Math.ceil(paidCompleted.length / 7));
  });

  it('hides unfinished baskets unless is_completed=false, and filters on status and create date', async () => {
    const all = s.ccvshop.control.records('orders');
    const list = async (q: string) => (await ccv(s, { uri: `${V1}/orders?size=250&${q}` })).json.items as { id: number; is_completed: boolean; status: number; create_date: string }[];
    expect((await list('')).length).toBe(all.filter((o) => o.is_completed).length);
    const baskets = await list('is_completed=false');
    expect(baskets.length).toBeGreaterThan(0);
    expect(baskets.every((o) => !o.is_completed)).toBe(true);
    const waiting = await list('status=4');
    expect(waiting.every((o) => o.status === 4)).toBe(true);
    const recent = await list('min_create_date=2026-05-01');
    expect(recent.length).toBeGreaterThan(0);
    expect(recent.every((o) => o.create_date >= '2026-05-01')).toBe(true);
    const until = await list('max_create_date=2026-03-01');
    expect(until.every((o) => o.create_date < '2026-03-02')).toBe(true);
    expect((await ccv(s, { uri: `${V1}/orders?is_paid=maybe` })).status).toBe(400);
  });

  it('clamps size to 250 and serves /paymethods unpaged', async () => {
    const orders = await ccv(s, { uri: `${V1}/orders?size=1000` });
    expect(orders.json.size).toBe(250);
    const methods = await ccv(s, { uri: `${V1}/paymethods` });
    expect(Object.keys(methods.json)).toEqual(['href', 'items']);
    const names = methods.json.items.map((m: { combined_name: string }) => m.combined_name);
    const used = new Set(s.ccvshop.control.records('orders').map((o) => o.paymethod));
    for (const name of used) expect(names).toContain(name);
  });

  it('finds products by productnumber and eannumber, and lists order rows of an order', async () => {
    const product = s.ccvshop.control.records('products')[3] as { id: number; productnumber: string; eannumber: string };
    const byNumber = await ccv(s, { uri: `${V1}/products?productnumber=${product.productnumber}` });
    expect(byNumber.json.items.map((p: { id: number }) => p.id)).toEqual([product.id]);
    const byEan = await ccv(s, { uri: `${V1}/products?eannumber=${product.eannumber}` });
    expect(byEan.json.items).toHaveLength(1);
    expect(byEan.json.items[0]).toHaveProperty('is_active');
    const order = s.ccvshop.control.records('orders')[0] as { id: number };
    const rows = await ccv(s, { uri: `${V1}/orders/${order.id}/orderrows` });
    expect(rows.json.items.length).toBeGreaterThan(0);
    expect(rows.json.items.every((r: { order_id: number; product_number: string }) => r.order_id === order.id && r.product_number)).toBe(true);
  });
});

describe('CCV Shop sandbox: writes and errors', () => {
  it('creates a product (201 with the resource), patches it (204), reads is_active back', async () => {
    const body = JSON.stringify({ name: 'Proefpakket', price: 12.5, discount: 0, package_id: 80831, taxtariff: 'reduced', productnumber: 'NEW-1', active: false });
    const created = await ccv(s, { method: 'POST', uri: `${V1}/products`, body });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ name: 'Proefpakket', productnumber: 'NEW-1', is_active: false });
    expect(created.json.href).toBe(`${s.ccvshop.origin}${V1}/products/${created.json.id}/`);
    const patched = await ccv(s, { method: 'PATCH', uri: `${V1}/products/${created.json.id}`, body: '{"stock":7,"active":true}' });
    expect(patched.status).toBe(204);
    expect(patched.text).toBe('');
    const read = await ccv(s, { uri: `${V1}/products/${created.json.id}` });
    expect(read.json).toMatchObject({ stock: 7, is_active: true });
  });

  it('answers a write that breaks the schema with a CCV-shaped 400 naming the field', async () => {
    const missing = await ccv(s, { method: 'POST', uri: `${V1}/products`, body: '{"price":1,"discount":0,"package_id":80831,"taxtariff":"normal"}' });
    expect(missing.status).toBe(400);
    expect(missing.json).toMatchObject({ status: 400, code: '400.10' });
    expect(missing.json.developermessage).toContain('name');
    const readOnly = await ccv(s, { method: 'PATCH', uri: `${V1}/products/320001`, body: '{"is_active":true}' });
    expect(readOnly.status).toBe(400);
    expect(readOnly.json.developermessage).toContain('is_active');
    const notJson = await ccv(s, { method: 'PATCH', uri: `${V1}/orders/781001`, body: '{status:5' });
    expect(notJson.status).toBe(400);
  });

  it('patches an order status (204) and registers webhooks with a key', async () => {
    expect((await ccv(s, { method: 'PATCH', uri: `${V1}/orders/781001`, body: '{"status":5}' })).status).toBe(204);
    expect((await ccv(s, { uri: `${V1}/orders/781001` })).json.status).toBe(5);
    const hook = await ccv(s, { method: 'POST', uri: `${V1}/webhooks`, body: '{"event":"orders.updated.ispaid","address":"https://connector.example/hooks/ccv","is_active":true}' });
    expect(hook.status).toBe(201);
    expect(hook.json.key).toMatch(/^[0-9a-f]{32}$/);
    expect((await ccv(s, { method: 'DELETE', uri: `${V1}/webhooks/${hook.json.id}` })).status).toBe(204);
    expect((await ccv(s, { uri: `${V1}/webhooks/${hook.json.id}` })).status).toBe(404);
  });

  it('lists the resources at the API root', async () => {
    const root = await ccv(s, { uri: `${V1}/` });
    expect(root.status).toBe(200);
    expect(root.json.items.map((item: { uri: string }) => item.uri)).toContain(`${V1}/orders/`);
  });

  it('answers 404.20 for an unknown resource and 405.10 for a wrong method', async () => {
    const unknown = await ccv(s, { uri: `${V1}/customers` });
    expect(unknown.status).toBe(404);
    expect(unknown.json.code).toBe('404.20');
    const wrong = await ccv(s, { method: 'DELETE', uri: `${V1}/orders/781001` });
    expect(wrong.status).toBe(405);
    expect(wrong.json.code).toBe('405.10');
  });

  it('links products to categories and lists a product\'s links', async () => {
    const category = await ccv(s, { method: 'POST', uri: `${V1}/categories`, body: '{"name":"Nieuw"}' });
    expect(category.status).toBe(201);
    const link = await ccv(s, { method: 'POST', uri: `${V1}/producttocategories`, body: JSON.stringify({ product_id: 320002, category_id: category.json.id }) });
    expect(link.status).toBe(201);
    const links = await ccv(s, { uri: `${V1}/products/320002/producttocategories` });
    expect(links.json.items.map((l: { category_id: number }) => l.category_id)).toContain(category.json.id);
    const bad = await ccv(s, { method: 'POST', uri: `${V1}/producttocategories`, body: JSON.stringify({ product_id: 1, category_id: category.json.id }) });
    expect(bad.status).toBe(400);
  });
});

describe('CCV Shop sandbox: seed', () => {
  it('holds the hard cases the flows must handle', () => {
    const orders = s.ccvshop.control.records('orders') as any[];
    const emails = orders.map((o) => o.customer.email);
    expect(emails).toContain("o'brien@example.ie");
    const countries = new Set(orders.map((o) => o.customer.billingaddress.country_code));
    for (const code of ['NL', 'IE']) expect(countries.has(code)).toBe(true);
    expect(countries.size).toBeGreaterThanOrEqual(4);
    expect(orders.some((o) => o.customer.btw && o.customer.billingaddress.company)).toBe(true);
    expect(orders.some((o) => o.paid) && orders.some((o) => !o.paid)).toBe(true);
    expect(orders.some((o) => o.discountcoupon)).toBe(true);
    expect(orders.some((o) => o.deliver_method === 'pickup' && o.total_shipping === 0)).toBe(true);
    expect(orders.some((o) => o.total_shipping > 0)).toBe(true);
    expect(orders.some((o) => !o.is_completed && o.ordernumber === null)).toBe(true);
    expect(new Set(orders.map((o) => o.status)).size).toBeGreaterThan(3);
    const perEmail = new Map<string, number>();
    for (const email of emails) perEmail.set(email, (perEmail.get(email) ?? 0) + 1);
    expect([...perEmail.values()].some((n) => n > 1)).toBe(true);
    const rows = s.ccvshop.control.records('orderrows') as any[];
    expect(rows.some((r) => r.discount > 0)).toBe(true);
  });

  it('totals each order as a shop does: rows plus shipping less the coupon, VAT only on domestic sales', () => {
    const orders = s.ccvshop.control.records('orders') as any[];
    const rows = s.ccvshop.control.records('orderrows') as any[];
    const cents = (n: number) => Math.round(n * 100);
    for (const order of orders) {
      const own = rows.filter((r) => r.order_id === order.id);
      expect(cents(order.total_orderrow_price), order.id).toBe(cents(own.reduce((sum, r) => sum + r.total_price, 0)));
      expect(cents(order.total_price), order.id).toBe(cents(order.total_orderrow_price) + cents(order.total_shipping) - cents(order.total_discounts));
      const country = order.customer.billingaddress.country_code;
      // Intra-community deliveries to EU businesses with a VAT number and exports outside the EU carry no VAT.
      const vatFree = order.is_intra_community_order || country === 'GB';
      expect(order.order_row_taxes_included, order.id).toBe(!vatFree);
      if (vatFree) expect({ tax: order.total_tax, rates: [...new Set(own.map((r) => r.tax)), order.shipping_tax_percentage] }).toEqual({ tax: 0, rates: [0, 0] });
      else expect(order.total_tax, order.id).toBeGreaterThan(0);
    }
    expect(orders.some((o) => o.customer.billingaddress.country_code === 'GB')).toBe(true);
    expect(orders.some((o) => o.is_intra_community_order)).toBe(true);
  });
});
