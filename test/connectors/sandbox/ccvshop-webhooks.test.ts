import { createHmac } from 'node:crypto';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SandboxClock } from '../../../connectors/sandbox/clock.js';
import { startSandboxes, type RunningSandboxes } from '../../../connectors/sandbox/index.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../runtime/notify/webhook-receiver.js';
import { ccv } from './helpers.js';

/**
 * The shop calls its webhooks (§4): a change through the API or by the merchant posts a signed JSON body to every
 * active webhook of that event, asynchronously, retried with backoff, and recorded. No test waits for a timer:
 * `settle()` sends what is pending now, and a frozen sandbox clock shows the backoff.
 */
const V1 = '/api/rest/v1';
type Rec = Record<string, any>;

async function control(s: RunningSandboxes, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(`${s.ccvshop.origin}/__sandbox${path}`, { method, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  return { status: response.status, json: await response.json() };
}

async function register(s: RunningSandboxes, event: string, address: string, active = true): Promise<Rec> {
  const answer = await ccv(s, { method: 'POST', uri: `${V1}/webhooks`, body: JSON.stringify({ event, address, is_active: active }) });
  expect(answer.status).toBe(201);
  return answer.json;
}

/** The signature the notes guess (§4): HMAC-SHA512 of `address|raw body`, keyed with the webhook's key, hex. */
const expectedHash = (key: string, address: string, body: string) => createHmac('sha512', key).update(`${address}|${body}`).digest('hex');

/** A loopback port with nobody listening. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('CCV Shop sandbox: webhook delivery', () => {
  let s: RunningSandboxes;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    s = await startSandboxes({ seed: 'ccv-hooks', anchor: '2026-06-01T00:00:00Z', sizes: { orders: 30, products: 10, customers: 10 } });
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await s.close();
    await receiver.close();
  });
  beforeEach(() => {
    s.ccvshop.control.reset();
    receiver.received.length = 0;
    receiver.requests.length = 0;
    receiver.failNext = 0;
  });

  const completed = (): Rec[] => s.ccvshop.control.records('orders').filter((o) => o.is_completed);

  it('posts a status change to the status webhooks only, signed with the webhook key', async () => {
    const hook = await register(s, 'orders.updated.status', receiver.url);
    await register(s, 'orders.updated.status', `${receiver.url}/inactive`, false);
    await register(s, 'orders.updated.ispaid', `${receiver.url}/paid`);
    const order = completed().find((o) => o.status !== 5)!;
    expect((await ccv(s, { method: 'PATCH', uri: `${V1}/orders/${String(order.id)}`, body: '{"status":5}' })).status).toBe(204);

    // Recorded as soon as the change is made; sent without the API answer waiting for it.
    expect(s.ccvshop.webhooks.list().map((d) => [d.event, d.webhook_id])).toEqual([['orders.updated.status', hook.id]]);
    const [delivery] = await s.ccvshop.webhooks.settle();
    expect(delivery).toMatchObject({ status: 'delivered', address: receiver.url, next_attempt_at: null, attempts: [{ status: 204 }] });
    expect(receiver.received).toEqual([{ id: order.id, order_number: order.ordernumber, status: 5, previous_status: order.status }]);
    const [request] = receiver.requests;
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers['x-hash']).toBe(expectedHash(hook.key, receiver.url, request!.body));
    expect(delivery!.body).toBe(request!.body);

    // The same status again is no change, so no event.
    await ccv(s, { method: 'PATCH', uri: `${V1}/orders/${String(order.id)}`, body: '{"status":5}' });
    expect(s.ccvshop.webhooks.list()).toHaveLength(1);
  });

  it('announces payments, new orders and catalogue changes, whether the merchant or the API makes them', async () => {
    const events = ['orders.updated.ispaid', 'orders.created', 'products.created', 'products.updated', 'products.deleted', 'categories.created', 'categories.updated', 'categories.deleted'];
    for (const event of events) await register(s, event, `${receiver.url}?event=${event}`);
    const unpaid = completed().find((o) => !o.paid)!;

    // The merchant, through the control API, as in the shop's backend.
    const paid = await control(s, 'PATCH', `/merchant/orders/${String(unpaid.id)}`, { paid: true });
    expect(paid.status).toBe(200);
    expect(paid.json).toMatchObject({ id: unpaid.id, paid: true });
    const placed = await control(s, 'POST', '/merchant/orders', { rows: [{ product_id: 320001, count: 2 }], paid: true });
    expect(placed.status).toBe(200);
    expect(placed.json).toMatchObject({ is_completed: true, paid: true, status: 1, ordernumber: expect.any(Number) });
    const shown = await ccv(s, { uri: `${V1}/orders/${String(placed.json.id)}` });
    expect(shown.json.total_orderrow_price).toBeGreaterThan(0);
    expect((await ccv(s, { uri: `${V1}/orders/${String(placed.json.id)}/orderrows` })).json.items).toHaveLength(1);

    // The API.
    const product = await ccv(s, { method: 'POST', uri: `${V1}/products`, body: '{"name":"Haakje","price":2,"discount":0,"package_id":80831,"taxtariff":"normal"}' });
    await ccv(s, { method: 'PATCH', uri: `${V1}/products/${String(product.json.id)}`, body: '{"stock":4}' });
    await ccv(s, { method: 'DELETE', uri: `${V1}/products/${String(product.json.id)}` });
    const category = await ccv(s, { method: 'POST', uri: `${V1}/categories`, body: '{"name":"Outlet"}' });
    await ccv(s, { method: 'PATCH', uri: `${V1}/categories/${String(category.json.id)}`, body: '{"name":"Outlet 2"}' });
    await ccv(s, { method: 'DELETE', uri: `${V1}/categories/${String(category.json.id)}` });

    const settled = await control(s, 'POST', '/webhook-deliveries/settle');
    expect(settled.json.map((d: Rec) => d.status)).toEqual(Array(settled.json.length).fill('delivered'));
    expect(settled.json.map((d: Rec) => d.event)).toEqual(events);
    // Each went to its own hook, and the receiver got exactly the bodies recorded.
    expect(settled.json.map((d: Rec) => new URL(d.address).searchParams.get('event'))).toEqual(events);
    expect(receiver.requests.map((r) => r.body).sort()).toEqual(settled.json.map((d: Rec) => d.body).sort());
    expect(Object.fromEntries(settled.json.map((d: Rec) => [d.event, d.payload]))).toEqual({
      'orders.updated.ispaid': { id: unpaid.id, order_number: unpaid.ordernumber, paid: true },
      'orders.created': { id: placed.json.id, order_number: placed.json.ordernumber },
      'products.created': { id: product.json.id },
      'products.updated': { id: product.json.id },
      'products.deleted': { id: product.json.id },
      'categories.created': { id: category.json.id },
      'categories.updated': { id: category.json.id },
      'categories.deleted': { id: category.json.id },
    });

    // The shop invoices a paid order by itself.
    for (const order of [unpaid, placed.json]) {
      expect((await ccv(s, { uri: `${V1}/orders/${String(order.id)}/invoices` })).json.items.map((i: Rec) => i.status), String(order.id)).toEqual([1]);
    }
  });

  it('retries a failing receiver, gives up after five attempts, and records each attempt', async () => {
    await register(s, 'orders.updated.status', receiver.url);
    const [first, second] = completed();
    receiver.failNext = 2;
    await ccv(s, { method: 'PATCH', uri: `${V1}/orders/${String(first!.id)}`, body: JSON.stringify({ status: first!.status === 6 ? 7 : 6 }) });
    const [recovered] = await s.ccvshop.webhooks.settle();
    expect(recovered!.status).toBe('delivered');
    expect(recovered!.attempts.map((a) => a.status)).toEqual([500, 500, 204]);
    expect(receiver.received).toHaveLength(1);

    receiver.failNext = 99;
    await ccv(s, { method: 'PATCH', uri: `${V1}/orders/${String(second!.id)}`, body: JSON.stringify({ status: second!.status === 6 ? 7 : 6 }) });
    const gaveUp = (await s.ccvshop.webhooks.settle())[1]!;
    expect(gaveUp).toMatchObject({ status: 'failed', next_attempt_at: null });
    expect(gaveUp.attempts.map((a) => [a.status, a.error])).toEqual(Array(5).fill([500, 'answered 500']));

    receiver.failNext = 0;
    const nobody = `http://127.0.0.1:${await closedPort()}/hook`;
    await register(s, 'products.updated', nobody);
    await ccv(s, { method: 'PATCH', uri: `${V1}/products/320001`, body: '{"stock":3}' });
    const unreachable = (await s.ccvshop.webhooks.settle())[2]!;
    expect(unreachable).toMatchObject({ status: 'failed', address: nobody });
    expect(unreachable.attempts.every((a) => a.status === null && a.error === 'ECONNREFUSED')).toBe(true);
  });

  it('lists deliveries through the control API, forgets them on reset, and refuses a bad merchant change', async () => {
    await register(s, 'orders.updated.status', receiver.url);
    const order = completed()[0]!;
    const refused = await control(s, 'PATCH', `/merchant/orders/${String(order.id)}`, { status: 15 });
    expect(refused.status).toBe(400);
    expect(refused.json.error).toContain('status');
    expect((await control(s, 'PATCH', '/merchant/orders/1', { status: 2 })).json.error).toContain('does not exist');
    expect((await control(s, 'POST', '/merchant/orders', { rows: [{ product_id: 1, count: 1 }] })).json.error).toContain('product_id');
    expect((await control(s, 'GET', '/webhook-deliveries')).json).toEqual([]);

    await control(s, 'PATCH', `/merchant/orders/${String(order.id)}`, { status: order.status === 2 ? 3 : 2 });
    const listed = await control(s, 'GET', '/webhook-deliveries');
    expect(listed.json).toHaveLength(1);
    expect(listed.json[0]).toMatchObject({ event: 'orders.updated.status', payload: { id: order.id }, hash: expect.stringMatching(/^[0-9a-f]{128}$/) });
    await control(s, 'POST', '/reset');
    expect((await control(s, 'GET', '/webhook-deliveries')).json).toEqual([]);
  });
});

describe('CCV Shop sandbox: webhook retries wait on the sandbox clock', () => {
  const start = Date.parse('2026-06-01T12:00:00Z');
  const clock = new SandboxClock(() => start);
  let s: RunningSandboxes;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    s = await startSandboxes({ seed: 'ccv-hooks-clock', sizes: { orders: 10, products: 5, customers: 5 }, clock });
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await s.close();
    await receiver.close();
  });

  it('tries again only when the backoff has passed: 5 s, then 10 s', async () => {
    await register(s, 'products.updated', receiver.url);
    receiver.failNext = 2;
    await ccv(s, { method: 'PATCH', uri: `${V1}/products/320001`, body: '{"stock":8}' });
    const attempts = async () => (await s.ccvshop.webhooks.runDue())[0]!.attempts.length;

    expect(await attempts()).toBe(1);
    expect(s.ccvshop.webhooks.list()[0]).toMatchObject({ status: 'pending', next_attempt_at: '2026-06-01T12:00:05Z' });
    clock.advance(4_999);
    expect(await attempts()).toBe(1);
    clock.advance(1);
    expect(await attempts()).toBe(2);
    expect(s.ccvshop.webhooks.list()[0]!.next_attempt_at).toBe('2026-06-01T12:00:15Z');
    clock.advance(10_000);
    expect(await attempts()).toBe(3);
    expect(s.ccvshop.webhooks.list()[0]).toMatchObject({ status: 'delivered', next_attempt_at: null });
    expect(receiver.received).toEqual([{ id: 320001 }]);
  });
});
