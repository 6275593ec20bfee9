import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ccvshop } from '../../../connectors/ccvshop/definition.js';
import { createClient, type ConnectorClient, OutcomeUnknownError } from '../../../connectors/client/index.js';
import type { RunningSandboxes } from '../../../connectors/sandbox/index.js';
import { CCV_KEYS, startTestSandboxes, TIME_SCALE } from './sandboxes.js';

/** Every CCV Shop endpoint the flows use, in both directions, over real HTTP against the CCV sandbox. */
describe('CCV Shop client against the sandbox', () => {
  let sandboxes: RunningSandboxes;
  let sandbox: RunningSandboxes['ccvshop'];
  let client: ConnectorClient;

  beforeAll(async () => {
    sandboxes = await startTestSandboxes();
    sandbox = sandboxes.ccvshop;
  });
  afterAll(async () => {
    await client?.close();
    await sandboxes.close();
  });
  beforeEach(async () => {
    sandbox.control.reset();
    await client?.close();
    client = createClient(ccvshop, { baseUrl: sandbox.baseUrl, credentials: CCV_KEYS, timeScale: TIME_SCALE });
  });

  const statuses = () => sandbox.control.requests().map((entry) => entry.status);

  it('lists orders page by page, following next links until null, with signed requests accepted', async () => {
    const expected = sandbox.control.records('orders').filter((order) => order.is_completed !== false).length;
    const pages: number[] = [];
    const ids = new Set<unknown>();
    for await (const page of client.list('orders', { pageSize: 7 })) {
      pages.push(page.items.length);
      for (const order of page.items) ids.add(order.id);
    }
    expect(ids.size).toBe(expected);
    expect(pages.length).toBe(Math.ceil(expected / 7));
    expect(statuses().every((status) => status === 200)).toBe(true);
    expect(sandbox.control.requests()[1]?.url).toBe('/api/rest/v1/orders?start=7&size=7');
  });

  it('a wrong public key gives the shop\'s own 401 error, not a signature error', async () => {
    const stranger = createClient(ccvshop, { baseUrl: sandbox.baseUrl, credentials: { publicKey: 'unknown-key', secret: CCV_KEYS.secret } });
    const error = await stranger.get('orders', 1).catch((caught: unknown) => caught);
    await stranger.close();
    expect(error).toMatchObject({ kind: 'api', status: 401, code: '401.20', developerMessage: 'Unknown public key (x-public)' });
  });

  it('gets an order and its rows (children)', async () => {
    const [first] = await client.listAll('orders', { pageSize: 1, params: { orderby: 'id' } }).then((all) => all.slice(0, 1));
    const order = await client.get('orders', first?.id as number);
    expect(order).toMatchObject({ id: first?.id, ordernumber: first?.ordernumber });
    const rows = await client.children('orders', order.id as number, 'orderrows');
    const expectedRows = sandbox.control.records('orderrows').filter((row) => String(row.order_id) === String(order.id));
    expect(rows.map((row) => row.id).sort()).toEqual(expectedRows.map((row) => row.id).sort());
    expect(rows.length).toBeGreaterThan(0);
  });

  it("puts a product in a category (POST /producttocategories) and lists the product's links (children)", async () => {
    const [product] = sandbox.control.records('products');
    const category = (await client.create('categories', { name: 'Contract test' }))!;
    const before = await client.children('products', product!.id as number, 'producttocategories');
    const link = await client.create('producttocategories', { product_id: product!.id, category_id: category.id });
    expect(link).toMatchObject({ product_id: product!.id, category_id: category.id });
    const after = await client.children('products', product!.id as number, 'producttocategories');
    expect(after.map((l) => l.category_id)).toEqual([...before.map((l) => l.category_id), category.id]);
    // A second identical link is refused with a 500 (CCV's 500.40): outcome unknown to the client, but with the
    // shop's words. The runtime reads a product's links before adding any, so it never sends one.
    await expect(client.create('producttocategories', { product_id: product!.id, category_id: category.id })).rejects.toThrow(
      /outcome unknown \(HTTP 500: Property already exists: product \d+ is already in category \d+\)/,
    );
    expect(sandbox.control.records('producttocategories').filter((l) => l.category_id === category.id)).toHaveLength(1);
  });

  it('creates a product, updates it with PATCH, finds it by product number, including an apostrophe', async () => {
    const created = await client.create('products', {
      name: "Bob's koffie",
      productnumber: "BOB'S-1",
      price: 12.5,
      discount: 0,
      package_id: 80831,
      taxtariff: 'normal',
    });
    expect(created).toMatchObject({ name: "Bob's koffie", productnumber: "BOB'S-1" });
    await client.update('products', created?.id as number, { stock: 7 });
    expect(await client.get('products', created?.id as number)).toMatchObject({ stock: 7 });
    const found = await client.search('products', 'productnumber', "BOB'S-1");
    expect(found.map((product) => product.id)).toEqual([created?.id]);
    expect(sandbox.control.created().filter((record) => record.entity === 'products')).toHaveLength(1);
  });

  it('reads orders incrementally from a create date (minus overlap), re-polling the recent window', async () => {
    const all = sandbox.control.records('orders').filter((order) => order.is_completed !== false);
    const dates = all.map((order) => String(order.create_date)).sort();
    const cursor = dates[Math.floor(dates.length / 2)] as string;
    const since = await client.listAll('orders', { since: cursor, pageSize: 250 });
    const from = new Date(Date.parse(cursor) - 24 * 3600_000).toISOString().slice(0, 10);
    expect(sandbox.control.requests().at(-1)?.url).toContain(`min_create_date=${from}`);
    expect(since.length).toBeGreaterThan(0);
    expect(since.length).toBeLessThan(all.length + 1);
    expect(since.every((order) => String(order.create_date).slice(0, 10) >= from)).toBe(true);
  });

  it('reads survive 20 % injected 5xx and dropped connections', async () => {
    sandbox.control.setFaults({ errorRate: 0.1, dropRate: 0.1, errorStatus: 500 });
    const orders = await client.listAll('orders', { pageSize: 5 });
    const details = await Promise.all(orders.slice(0, 15).map((order) => client.get('orders', order.id as number)));
    expect(details.map((order) => order.id)).toEqual(orders.slice(0, 15).map((order) => order.id));
    const log = sandbox.control.requests();
    expect(log.some((entry) => entry.fault === 'drop')).toBe(true);
    expect(log.some((entry) => entry.fault === 'error')).toBe(true);
  });

  it('a create whose response is lost is "outcome unknown", sent once, and found by its key afterwards', async () => {
    sandbox.control.injectFaults([{ kind: 'lost-response', method: 'POST', pathPrefix: '/api/rest/v1/products' }]);
    const error = await client
      .create('products', { name: 'Lost answer', productnumber: 'LOST-1', price: 1, discount: 0, package_id: 80831, taxtariff: 'normal' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OutcomeUnknownError);
    expect(sandbox.control.requests().filter((entry) => entry.method === 'POST')).toHaveLength(1);
    const found = await client.search('products', 'productnumber', 'LOST-1');
    expect(found).toHaveLength(1);
    expect(sandbox.control.created()).toHaveLength(1);
  });

  it('a burst of two scaled minutes of reads stays under the limit: no 429', async () => {
    const ids = sandbox.control.records('products').map((product) => product.id as number);
    // 150 GETs per product endpoint per (scaled) minute: 400 reads need three windows.
    await Promise.all(Array.from({ length: 400 }, (_, index) => client.get('products', ids[index % ids.length] as number)));
    const log = sandbox.control.requests(1000);
    expect(log.length).toBe(400);
    expect(log.filter((entry) => entry.status === 429)).toEqual([]);
  });

  it('with the governor off, 429s are answered by backing off, and the run completes', async () => {
    // One long window that starts now, so the 151st read of the burst surely lands in the same window.
    const windowMs = 1500;
    sandbox.control.setRateLimits({ enabled: true, windowMs });
    sandbox.control.services.clock.set(Math.ceil(Date.now() / windowMs) * windowMs + 1);
    const eager = createClient(ccvshop, {
      baseUrl: sandbox.baseUrl,
      credentials: CCV_KEYS,
      timeScale: windowMs / 60_000,
      rateLimits: false,
      clock: () => sandbox.control.services.clock.now(), // x-date must stay within 5 minutes of the shop's clock
    });
    const ids = sandbox.control.records('products').map((product) => product.id as number);
    const results = await Promise.all(Array.from({ length: 160 }, (_, index) => eager.get('products', ids[index % ids.length] as number)));
    await eager.close();
    expect(results).toHaveLength(160);
    const log = sandbox.control.requests(1000);
    expect(log.filter((entry) => entry.status === 429).length).toBeGreaterThan(0);
    expect(log.filter((entry) => entry.status === 200)).toHaveLength(160);
  });
});
