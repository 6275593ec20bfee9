import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SandboxRecord } from '../../../connectors/sandbox/store.js';
import { repoRoot, startEnv, type Env } from './helpers.js';

let env: Env | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

type Order = SandboxRecord & { id: number; create_date: string; customer: { email: string | null; billingaddress: Record<string, unknown> } };

/**
 * The shop customer with the most orders that `eligible` accepts, with each of their orders given its own city
 * (numbered in date order, so the newest order has the highest number): every order would write the customer
 * differently, and only the newest holds their current address.
 */
function customerWithManyOrders(env: Env, eligible: (order: Order) => boolean): { email: string; orders: Order[]; newestCity: string } {
  const shop = env.sandboxes.ccvshop.control;
  const byEmail = new Map<string, Order[]>();
  for (const order of shop.records('orders') as Order[]) {
    const email = order.customer?.email;
    if (email && eligible(order)) byEmail.set(email, [...(byEmail.get(email) ?? []), order]);
  }
  const [email, orders] = [...byEmail.entries()].sort((a, b) => b[1].length - a[1].length)[0]!;
  const inDateOrder = [...orders].sort((a, b) => a.create_date.localeCompare(b.create_date) || a.id - b.id);
  const changed = inDateOrder.map((order, i) => ({ ...order, customer: { ...order.customer, billingaddress: { ...order.customer.billingaddress, city: `Stad ${i + 1}` } } }));
  shop.putRecords('orders', changed);
  return { email, orders: changed, newestCity: `Stad ${changed.length}` };
}

/** eAccounting customer writes (POST, PUT) the sandbox answered since `from` (a request-log sequence number). */
function customerWrites(env: Env, from = 0): { posts: number; puts: Map<string, number> } {
  const puts = new Map<string, number>();
  let posts = 0;
  for (const entry of env.sandboxes.eaccounting.control.requests()) {
    if (entry.seq <= from) continue;
    if (entry.method === 'POST' && entry.route === '/v2/customers') posts++;
    if (entry.method === 'PUT' && entry.route === '/v2/customers/{id}') {
      const id = entry.url.split('?')[0]!.split('/').pop()!;
      puts.set(id, (puts.get(id) ?? 0) + 1);
    }
  }
  return { posts, puts };
}

const lastSeq = (env: Env): number => env.sandboxes.eaccounting.control.requests().at(-1)?.seq ?? 0;

describe('a target record is written at most once per run (real HTTP, real SQLite)', () => {
  it('customers flow: one customer with many orders is written once, with their newest address; a second run with nothing changed writes nothing', async () => {
    env = await startEnv(['mappings/customers.map']);
    const { email, orders, newestCity } = customerWithManyOrders(env, (o) => o.is_completed === true);
    expect(orders.length).toBeGreaterThan(5);

    // A dry run says the same as the real run will: one write for the customer, every other order skipped.
    const dry = (await env.sync({ dryRun: true })).flows[0]!;
    const ids = new Set(orders.map((o) => String(o.id)));
    const dryWrites = dry.records.filter((r) => ids.has(r.sourceId) && (r.action === 'create' || r.action === 'update'));
    expect(dryWrites).toHaveLength(1);

    const firstRun = await env.sync();
    expect(firstRun.flows[0]!.summary.failed).toBe(0);
    const state = env.state();
    const logged = await state.listActivity({ flow: 'customers', runId: firstRun.runId, limit: 100_000 });
    const activity = logged.filter((a) => ids.has(a.sourceId));
    const writes = activity.filter((a) => a.action === 'create' || a.action === 'update');
    // Written by its newest order (the source is read newest first); the others name that order and make no call.
    const newest = [...orders].sort((a, b) => b.create_date.localeCompare(a.create_date) || b.id - a.id)[0]!;
    expect(writes.map((w) => w.sourceId)).toEqual([String(newest.id)]);
    const skipped = activity.filter((a) => a.action === 'skip');
    expect(skipped).toHaveLength(orders.length - 1);
    for (const skip of skipped) {
      expect(skip.reason).toBe(
        `eaccounting.customers with EmailAddress = ${JSON.stringify(email)} was settled earlier in this run by ccvshop.orders ${newest.id} (${writes[0]!.action}d, the source being read newest first); a target is written at most once per run`,
      );
    }
    const customer = env.sandboxes.eaccounting.control.records('customers').find((c) => c.EmailAddress === email)!;
    expect(customer.InvoiceCity).toBe(newestCity);

    // Over the whole run the sandbox saw at most one write per customer.
    const { posts, puts } = customerWrites(env);
    expect(Math.max(0, ...puts.values())).toBe(1);
    const written = logged.filter((a) => a.action === 'create' || a.action === 'update');
    expect(new Set(written.map((w) => w.targetId)).size).toBe(written.length);
    expect(posts + [...puts.values()].reduce((a, b) => a + b, 0)).toBe(written.length);
    // Read newest first, yet the cursor is the newest stamp of the whole read, and the read asked for that order.
    const stamps = (env.sandboxes.ccvshop.control.records('orders') as Order[]).map((o) => Date.parse(o.create_date));
    expect(await state.getCursor('customers')).toBe(new Date(Math.max(...stamps)).toISOString());
    const listReads = env.sandboxes.ccvshop.control.requests().filter((r) => r.method === 'GET' && r.route === '/api/rest/v1/orders');
    expect(listReads.length).toBeGreaterThan(0);
    expect(listReads.filter((r) => !r.url.includes('orderby=create_date_desc'))).toEqual([]);
    await state.close();

    const before = lastSeq(env);
    const second = (await env.sync()).flows[0]!;
    expect(second.summary).toMatchObject({ created: 0, updated: 0, failed: 0 });
    expect(customerWrites(env, before)).toEqual({ posts: 0, puts: new Map() });
  });

  it('an upsert in a flow that updates (read newest first) writes its record once per run, with the newest values; later records get that record without a call', async () => {
    // orders.map with `on existing: update`: a flow that updates, so it reads newest first and settles upserts once.
    // Only its orders variant (the one that runs) updates: eAccounting cannot update a final invoice.
    const text = readFileSync(join(repoRoot, 'mappings/orders.map'), 'utf8').replace('on existing: skip', 'for "orders" {\n    on existing: update\n  }');
    env = await startEnv([]);
    const file = join(env.dir, 'orders-update.map');
    writeFileSync(file, text);
    const eligible = (o: Order): boolean => o.is_completed === true && o.paid === true && [1, 2, 5, 6, 7].includes(Number(o.status));
    const { email, orders, newestCity } = customerWithManyOrders(env, eligible);
    expect(orders.length).toBeGreaterThan(2);

    const run = (await env.sync({ files: [file] })).flows[0]!;
    const ids = new Set(orders.map((o) => String(o.id)));
    const mine = run.records.filter((r) => ids.has(r.sourceId) && r.action === 'create');
    expect(mine.length).toBeGreaterThan(2);
    const upserts = mine.flatMap((r) => r.upserts.map((u) => ({ ...u, sourceId: r.sourceId })));
    const wrote = upserts.filter((u) => u.action !== 'unchanged');
    expect(wrote).toHaveLength(1);
    const newest = [...orders].filter((o) => mine.some((r) => r.sourceId === String(o.id))).sort((a, b) => b.create_date.localeCompare(a.create_date) || b.id - a.id)[0]!;
    expect(wrote[0]!.sourceId).toBe(String(newest.id));
    for (const u of upserts.filter((x) => x.sourceId !== String(newest.id))) expect(u).toMatchObject({ action: 'unchanged', settledBy: String(newest.id) });
    const customers = env.sandboxes.eaccounting.control.records('customers').filter((c) => c.EmailAddress === email);
    expect(customers).toHaveLength(1);
    expect(customers[0]!.InvoiceCity).toBe(newestCity);
    // Every order of the customer is booked on that one customer.
    const booked = env.sandboxes.eaccounting.control.records('orders').filter((o) => orders.some((s) => s.ordernumber_full === o.YourReference));
    expect(new Set(booked.map((o) => o.CustomerId))).toEqual(new Set([customers[0]!.Id]));
  });

  it('the orders flow (create only) keeps the shop order, so documents are created in date order; its customer ends with the newest address', async () => {
    env = await startEnv(['mappings/orders.map']);
    const eligible = (o: Order): boolean => o.is_completed === true && o.paid === true && [1, 2, 5, 6, 7].includes(Number(o.status));
    const { email, orders } = customerWithManyOrders(env, eligible);
    // The sandbox seeds documents of its own: only the orders this run books count.
    const seeded = new Set(env.sandboxes.eaccounting.control.records('orders').map((o) => o.Id));
    const run = (await env.sync()).flows[0]!;
    expect(run.summary.created).toBeGreaterThan(5);
    // eAccounting numbers orders as they arrive: the numbers follow the shop's order dates.
    const booked = env.sandboxes.eaccounting.control.records('orders').filter((o) => !seeded.has(o.Id));
    expect(booked).toHaveLength(run.summary.created);
    const dateOf = new Map((env.sandboxes.ccvshop.control.records('orders') as Order[]).map((o) => [o.ordernumber_full, `${o.create_date}|${String(o.id).padStart(12, '0')}`]));
    const byNumber = [...booked].sort((a, b) => Number(a.Number) - Number(b.Number)).map((o) => dateOf.get(o.YourReference as string)!);
    expect(byNumber).toEqual([...byNumber].sort());
    const customer = env.sandboxes.eaccounting.control.records('customers').filter((c) => c.EmailAddress === email);
    expect(customer).toHaveLength(1);
    const mine = orders.filter((o) => run.records.some((r) => r.sourceId === String(o.id) && r.action === 'create'));
    expect(mine.length).toBeGreaterThan(1);
    expect(customer[0]!.InvoiceCity).toBe(`Stad ${orders.indexOf(mine.at(-1)!) + 1}`);
  });
});
