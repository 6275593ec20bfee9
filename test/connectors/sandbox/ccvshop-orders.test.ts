import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ccvDate, ccvSignature } from '../../../connectors/ccvshop/hmac.js';
import { startSandboxes, type RunningSandboxes } from '../../../connectors/sandbox/index.js';
import { ccv } from './helpers.js';

/** Order rows, statuses, notes, notifications and invoices as §4 documents them. */
const V1 = '/api/rest/v1';
let s: RunningSandboxes;
type Rec = Record<string, any>;

beforeAll(async () => {
  s = await startSandboxes({ seed: 'ccv-orders', anchor: '2026-06-01T00:00:00Z', sizes: { orders: 60, products: 20, customers: 15 }, rateLimits: { enabled: false } });
});
afterAll(() => s.close());
beforeEach(() => s.ccvshop.control.reset());

const orders = (): Rec[] => s.ccvshop.control.records('orders');
const rowsOf = (orderId: unknown): Rec[] => s.ccvshop.control.records('orderrows').filter((r) => r.order_id === orderId);
const round2 = (n: number) => Math.round(n * 100) / 100;
const taxIn = (amount: number, rate: number) => (amount * rate) / (100 + rate);

/** An unfinished basket without a coupon, with at least two rows. */
function basket(): Rec {
  const found = orders().find((o) => !o.is_completed && !o.discountcoupon && rowsOf(o.id).length >= 2);
  expect(found, 'the seed has a basket with two rows and no coupon').toBeDefined();
  return found!;
}

/** What the order's totals must be, added up here from the rows the API lists. */
async function expectTotalsMatchRows(orderId: unknown): Promise<void> {
  const order = (await ccv(s, { uri: `${V1}/orders/${String(orderId)}` })).json;
  const rows = (await ccv(s, { uri: `${V1}/orders/${String(orderId)}/orderrows?size=250` })).json.items as Rec[];
  const rowsTotal = round2(rows.reduce((sum, r) => sum + r.total_price, 0));
  expect(order.total_orderrow_price).toBeCloseTo(rowsTotal, 2);
  expect(order.total_price).toBeCloseTo(round2(rowsTotal + order.total_shipping - order.total_discounts), 2);
  const tax = rows.reduce((sum, r) => sum + taxIn(r.total_price, r.tax), 0) + taxIn(order.total_shipping, order.shipping_tax_percentage);
  expect(order.total_tax).toBeCloseTo(round2(tax), 2);
  expect(order.total_weight).toBeCloseTo(round2(rows.reduce((sum, r) => sum + r.weight * r.count, 0)), 2);
}

describe('CCV Shop sandbox: order rows', () => {
  it('DELETE /orderrows/{id} on an unfinished order answers 204 (signed), removes the row and recomputes the totals', async () => {
    const order = basket();
    const [row] = rowsOf(order.id);
    const uri = `${V1}/orderrows/${String(row!.id)}`;
    const deleted = await ccv(s, { method: 'DELETE', uri });
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    expect(deleted.headers.get('x-hash')).toBe(ccvSignature('demo', { publicKey: 'demo', method: 'DELETE', uri, body: '', date: deleted.headers.get('x-date') ?? '' }));
    expect((await ccv(s, { uri })).status).toBe(404);
    const listed = (await ccv(s, { uri: `${V1}/orders/${String(order.id)}/orderrows` })).json.items.map((r: Rec) => r.id);
    expect(listed).not.toContain(row!.id);
    expect(listed).toHaveLength(rowsOf(order.id).length);
    const after = (await ccv(s, { uri: `${V1}/orders/${String(order.id)}` })).json;
    expect(after.total_orderrow_price).toBeCloseTo(order.total_orderrow_price - row!.total_price, 2);
    expect(after.total_price).toBeCloseTo(order.total_price - row!.total_price, 2);
    await expectTotalsMatchRows(order.id);
  });

  it('PATCH /orderrows/{id} {count, price, discount} reprices the row and the order', async () => {
    const order = basket();
    const row = rowsOf(order.id)[0]!;
    const uri = `${V1}/orderrows/${String(row.id)}`;
    expect((await ccv(s, { method: 'PATCH', uri, body: '{"count":3,"discount":1.5}' })).status).toBe(204);
    const patched = (await ccv(s, { uri })).json;
    expect(patched).toMatchObject({ count: 3, discount: 1.5, price: row.price, custom_price: false });
    expect(patched.selling_price).toBeCloseTo(row.price - 1.5, 2);
    expect(patched.total_price).toBeCloseTo(round2((row.price - 1.5) * 3), 2);
    await expectTotalsMatchRows(order.id);

    expect((await ccv(s, { method: 'PATCH', uri, body: '{"price":10}' })).status).toBe(204);
    expect((await ccv(s, { uri })).json).toMatchObject({ price: 10, custom_price: true, count: 3, total_price: round2((10 - 1.5) * 3) });
    await expectTotalsMatchRows(order.id);

    const wrongField = await ccv(s, { method: 'PATCH', uri, body: '{"tax":0}' });
    expect(wrongField.status).toBe(400);
    expect(wrongField.json.developermessage).toContain('tax');
    expect((await ccv(s, { method: 'PATCH', uri, body: '{"count":"drie"}' })).json.developermessage).toContain('count');
  });

  it('refuses to change or delete a row of a completed order (500.70) and changes nothing', async () => {
    const order = orders().find((o) => o.is_completed && rowsOf(o.id).length > 0)!;
    const row = rowsOf(order.id)[0]!;
    for (const call of [{ method: 'PATCH', body: '{"count":9}' }, { method: 'DELETE' }]) {
      const refused = await ccv(s, { ...call, uri: `${V1}/orderrows/${String(row.id)}` });
      expect(refused.status, call.method).toBe(500);
      expect(refused.json).toMatchObject({ status: 500, code: '500.70' });
      expect(refused.json.developermessage).toContain(`order ${String(order.id)} is completed`);
    }
    expect((await ccv(s, { uri: `${V1}/orderrows/${String(row.id)}` })).json.count).toBe(row.count);
    expect((await ccv(s, { uri: `${V1}/orders/${String(order.id)}` })).json.total_price).toBe(order.total_price);
    expect((await ccv(s, { method: 'DELETE', uri: `${V1}/orderrows/1` })).status).toBe(404);
  });
});

describe('CCV Shop sandbox: order status', () => {
  it('takes only the statuses 1..14 on PATCH and names each of them in /webshops/{id}/settings', async () => {
    const order = orders().find((o) => o.is_completed)!;
    for (const status of ['15', '0', '"5"']) {
      const refused = await ccv(s, { method: 'PATCH', uri: `${V1}/orders/${String(order.id)}`, body: `{"status":${status}}` });
      expect(refused.status, status).toBe(400);
      expect(refused.json.developermessage).toContain('status');
    }
    expect((await ccv(s, { uri: `${V1}/orders/${String(order.id)}` })).json.status).toBe(order.status);

    const webshops = (await ccv(s, { uri: `${V1}/webshops` })).json.items as Rec[];
    expect(webshops).toHaveLength(1);
    const settings = await ccv(s, { uri: new URL(`${webshops[0]!.href}settings`).pathname });
    expect(settings.status).toBe(200);
    const statuses = settings.json.order_status as Rec[];
    expect(statuses.map((st) => st.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    for (const st of statuses) {
      expect(st).toMatchObject({ status: expect.any(String), status_name: expect.stringMatching(/\S/), text_color: expect.stringMatching(/^#[0-9a-f]{6}$/), background_color: expect.stringMatching(/^#[0-9a-f]{6}$/) });
    }
    expect(statuses.find((st) => st.id === 4)?.status).toBe('Wait for payment');
    for (const o of orders()) expect(statuses.map((st) => st.id)).toContain(o.status);
  });
});

describe('CCV Shop sandbox: order notes, notifications and invoices', () => {
  it('stores a note (201 with the note) and lists it after the notes the order had', async () => {
    const withNotes = s.ccvshop.control.records('ordernotes').map((n) => n.order_id);
    const order = orders().find((o) => withNotes.includes(o.id))!;
    const base = `${V1}/orders/${String(order.id)}/ordernotes`;
    const before = (await ccv(s, { uri: base })).json.items as Rec[];
    expect(before.length).toBeGreaterThan(0);
    expect(before[0]).toMatchObject({ note: expect.any(String), type: expect.stringMatching(/^(internal|external)$/), parent: { href: `${s.ccvshop.baseUrl}/orders/${String(order.id)}/` } });

    const created = await ccv(s, { method: 'POST', uri: base, body: '{"note":"Klant haalt het pakket zelf op."}' });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ note: 'Klant haalt het pakket zelf op.', type: 'internal', create_date: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) });
    // Stamped on the sandbox clock: moved a day ahead, the next note says so.
    s.clock.advance(86_400_000);
    try {
      const later = await ccv(s, { method: 'POST', uri: base, body: '{"note":"Een dag later."}' });
      expect(later.json.create_date.slice(0, 10)).toBe(ccvDate(new Date(Date.parse(created.json.create_date) + 86_400_000)).slice(0, 10));
      s.ccvshop.control.deleteRecords('ordernotes', [later.json.id]);
    } finally {
      s.clock.reset();
    }
    expect(created.json.href).toBe(`${s.ccvshop.baseUrl}/ordernotes/${String(created.json.id)}/`);
    const after = (await ccv(s, { uri: base })).json.items as Rec[];
    expect(after.map((n) => n.id)).toEqual([...before.map((n) => n.id), created.json.id]);
    expect((await ccv(s, { uri: `${V1}/ordernotes/${String(created.json.id)}` })).json).toEqual(created.json);

    expect((await ccv(s, { method: 'POST', uri: base, body: '{"note":"x","type":"external"}' })).json.developermessage).toContain('type');
    expect((await ccv(s, { method: 'POST', uri: base, body: '{}' })).json.developermessage).toContain('note');
    expect((await ccv(s, { method: 'POST', uri: `${V1}/orders/1/ordernotes`, body: '{"note":"x"}' })).status).toBe(404);
  });

  it('records an order notification and lists it under its order', async () => {
    const order = orders().find((o) => o.is_completed)!;
    const base = `${V1}/orders/${String(order.id)}/ordernotifications`;
    expect((await ccv(s, { uri: base })).json.items).toEqual([]);
    const sent = await ccv(s, { method: 'POST', uri: base, body: '{"type":"customer_invoice"}' });
    expect(sent.status).toBe(201);
    expect(sent.json).toMatchObject({ type: 'customer_invoice', parent: { href: `${s.ccvshop.baseUrl}/orders/${String(order.id)}/` } });
    expect((await ccv(s, { uri: base })).json.items).toEqual([sent.json]);
    expect((await ccv(s, { method: 'POST', uri: base, body: '{}' })).status).toBe(400);
  });

  it('has an invoice for each paid order, makes one for an unpaid order on POST, and filters them', async () => {
    const paid = orders().find((o) => o.is_completed && o.paid)!;
    const own = (await ccv(s, { uri: `${V1}/orders/${String(paid.id)}/invoices` })).json.items as Rec[];
    expect(own).toHaveLength(1);
    expect(own[0]).toMatchObject({ invoicenumber: paid.invoicenumber, ordernumber: paid.ordernumber, status: 1, status_name: 'paid', total_price: paid.total_price, order: `${s.ccvshop.baseUrl}/orders/${String(paid.id)}/` });

    const unpaid = orders().find((o) => o.is_completed && !o.paid)!;
    expect(unpaid.invoicenumber).toBeNull();
    const created = await ccv(s, { method: 'POST', uri: `${V1}/orders/${String(unpaid.id)}/invoices`, body: '{}' });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ status: 2, status_name: 'unpaid', ordernumber: unpaid.ordernumber, total_price: unpaid.total_price });
    expect((await ccv(s, { uri: `${V1}/orders/${String(unpaid.id)}` })).json.invoicenumber).toBe(created.json.invoicenumber);
    const again = await ccv(s, { method: 'POST', uri: `${V1}/orders/${String(unpaid.id)}/invoices`, body: '{}' });
    expect(again.json).toMatchObject({ status: 500, code: '500.40' });
    const aBasket = orders().find((o) => !o.is_completed)!;
    expect((await ccv(s, { method: 'POST', uri: `${V1}/orders/${String(aBasket.id)}/invoices`, body: '{}' })).json.code).toBe('500.70');

    const list = async (q: string) => (await ccv(s, { uri: `${V1}/invoices?size=250&${q}` })).json.items as Rec[];
    expect((await list('status=unpaid')).map((i) => i.id)).toEqual([created.json.id]);
    expect((await list('status=paid')).every((i) => i.status === 1)).toBe(true);
    expect((await list(`ordernumber=${String(paid.ordernumber)}`)).map((i) => i.id)).toEqual([own[0]!.id]);
    const byTotal = (await list('orderby=total_price_desc')).map((i) => i.total_price);
    expect(byTotal).toEqual([...byTotal].sort((a, b) => b - a));
    expect((await ccv(s, { uri: `${V1}/invoices?status=open` })).status).toBe(400);

    // Paying the order pays its invoice.
    expect((await ccv(s, { method: 'PATCH', uri: `${V1}/orders/${String(unpaid.id)}`, body: '{"paid":true}' })).status).toBe(204);
    expect((await ccv(s, { uri: `${V1}/invoices/${String(created.json.id)}` })).json).toMatchObject({ status: 1, status_name: 'paid' });
  });
});

describe('CCV Shop sandbox: categories and products with their children', () => {
  it('lists subcategories under their parent, nests them in the tree, refuses a loop and deletes a category with its subcategories', async () => {
    const koffie = s.ccvshop.control.records('categories').find((c) => c.name === 'Koffie')!;
    const subs = (await ccv(s, { uri: `${V1}/categories/${String(koffie.id)}/categories` })).json.items as Rec[];
    expect(subs.map((c) => c.name)).toEqual(['Espresso & ristretto']);
    expect(subs[0]!.parentcategory).toEqual({ id: koffie.id, href: `${s.ccvshop.baseUrl}/categories/${String(koffie.id)}/` });
    const tree = (await ccv(s, { uri: `${V1}/categorytree` })).json;
    const root = (tree.root_categories as Rec[]).find((c) => c.id === koffie.id)!;
    expect(root.children.map((c: Rec) => c.name)).toEqual(['Espresso & ristretto']);
    expect((tree.root_categories as Rec[]).map((c) => c.name)).not.toContain('Espresso & ristretto');

    const loop = await ccv(s, { method: 'PATCH', uri: `${V1}/categories/${String(koffie.id)}`, body: JSON.stringify({ parentcategory_id: subs[0]!.id }) });
    expect(loop.status).toBe(400);
    expect(loop.json.developermessage).toContain('parentcategory_id');

    const deeper = await ccv(s, { method: 'POST', uri: `${V1}/categories`, body: JSON.stringify({ name: 'Single origin', parentcategory_id: subs[0]!.id }) });
    expect((await ccv(s, { method: 'DELETE', uri: `${V1}/categories/${String(subs[0]!.id)}` })).status).toBe(204);
    expect((await ccv(s, { uri: `${V1}/categories/${String(deeper.json.id)}` })).status).toBe(404);
    expect((await ccv(s, { uri: `${V1}/categories/${String(koffie.id)}/categories` })).json.items).toEqual([]);
  });

  it('expands a product\'s photos and links, refuses an unknown expand, and deletes a product with its photos', async () => {
    const photo = s.ccvshop.control.records('productphotos')[0]!;
    const uri = `${V1}/products/${String(photo.product_id)}`;
    const plain = (await ccv(s, { uri })).json;
    expect(plain.productphotos).toEqual({ href: `${s.ccvshop.baseUrl}/products/${String(photo.product_id)}/productphotos/` });
    const expanded = (await ccv(s, { uri: `${uri}?expand=productphotos,producttocategories` })).json;
    expect(expanded.productphotos.collection.map((p: Rec) => p.id)).toContain(photo.id);
    expect(expanded.productphotos.collection[0]).toMatchObject({ filename: expect.stringMatching(/\.jpg$/), is_mainphoto: true, parent: { href: plain.href } });
    expect(expanded.producttocategories.collection.length).toBeGreaterThan(0);
    expect((await ccv(s, { uri: `${uri}?expand=pictures` })).status).toBe(400);

    expect((await ccv(s, { method: 'DELETE', uri })).status).toBe(204);
    expect((await ccv(s, { uri: `${V1}/productphotos/${String(photo.id)}` })).status).toBe(404);
    expect(s.ccvshop.control.records('producttocategories').filter((l) => l.product_id === photo.product_id)).toEqual([]);
  });
});
