import { afterEach, describe, expect, it } from 'vitest';
import { duplicates, retireMostOrderedArticle, startEnv, valuesOf, type Env } from './helpers.js';
import { createdRecords } from '../../helpers/created.js';

let env: Env | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

const ORDERS = ['mappings/orders.map'];

describe('orders flow over the sandboxes (real HTTP, real SQLite)', () => {
  it('creates each qualifying order once, upserts customers without duplicates, quarantines missing articles, and a rerun writes nothing', async () => {
    env = await startEnv(ORDERS);
    const { sku } = retireMostOrderedArticle(env);
    const ea = env.sandboxes.eaccounting.control;
    const customersBefore = ea.records('customers').map((c) => c.EmailAddress);

    const first = await env.sync();
    const [orders] = first.flows;
    expect(first.errors).toEqual([]);
    expect(orders!.summary.created).toBeGreaterThan(5);
    expect(orders!.summary.read).toBe(orders!.summary.created + orders!.summary.skipped + orders!.summary.failed);

    const written = createdRecords(ea, 'orders');
    expect(written).toHaveLength(orders!.summary.created);
    expect(duplicates(valuesOf(written, 'YourReference'))).toEqual([]);
    expect(duplicates(valuesOf(ea.records('customers'), 'EmailAddress'))).toEqual([]);

    // Failures name the order, the .map place and the SKU; they are quarantined with what is needed to replay.
    const failures = orders!.records.filter((r) => r.action === 'fail');
    expect(failures.length).toBeGreaterThan(0);
    for (const failure of failures) {
      expect(failure.reason).toMatch(new RegExp(`^ccvshop\\.orders ${failure.sourceId}: .*orders\\.map:\\d+:\\d+: no eaccounting\\.articles with Number = "${sku}"$`));
    }
    const state = env.state();
    const quarantined = await state.listQuarantine({ flow: 'orders' });
    expect(quarantined.map((q) => q.sourceId).sort()).toEqual(failures.map((f) => f.sourceId).sort());
    expect(quarantined[0]?.sourceRecord).toMatchObject({ id: Number(quarantined[0]?.sourceId) });

    // A failed order wrote nothing: its customer exists only if it existed before or another order made it.
    const shopOrders = env.sandboxes.ccvshop.control.records('orders');
    const emailOf = (id: string): unknown => (shopOrders.find((o) => String(o.id) === id)?.customer as { email?: string } | undefined)?.email;
    const madeBySuccess = new Set(orders!.records.filter((r) => r.action === 'create').map((r) => emailOf(r.sourceId)));
    const customersAfter = new Set(ea.records('customers').map((c) => c.EmailAddress));
    for (const failure of failures) {
      const email = emailOf(failure.sourceId);
      if (!customersBefore.includes(email) && !madeBySuccess.has(email)) expect(customersAfter.has(email)).toBe(false);
    }

    // The activity log says what happened to each record, with field lineage for writes.
    const created = orders!.records.find((r) => r.action === 'create')!;
    const [logged] = await state.listActivity({ flow: 'orders', sourceId: created.sourceId });
    expect(logged).toMatchObject({ action: 'create', targetId: created.targetId, response: { Id: created.targetId } });
    expect(logged?.lineage?.YourReference).toMatch(/orders\.map:\d+$/);
    await state.close();

    const second = await env.sync();
    expect(second.flows[0]!.summary).toMatchObject({ created: 0, updated: 0, failed: 0 });
    // Only the page read of recent orders: linked orders are skipped before any child or lookup call.
    expect(second.flows[0]!.summary.calls).toBeLessThanOrEqual(2);
    expect(createdRecords(ea, 'orders')).toHaveLength(written.length);
  });

  it('replays quarantined orders with --retry-failed once the missing article exists', async () => {
    env = await startEnv(ORDERS);
    const { restore } = retireMostOrderedArticle(env);
    const first = await env.sync();
    const failed = first.flows[0]!.records.filter((r) => r.action === 'fail');
    expect(failed.length).toBeGreaterThan(0);
    restore();

    const retry = await env.sync({ retryFailed: true });
    const summary = retry.flows[0]!.summary;
    expect(summary.read).toBe(failed.length);
    expect(summary.created).toBe(failed.length);
    const stillFailing = retry.flows[0]!.records.filter((r) => r.action === 'fail');
    const state = env.state();
    expect((await state.listQuarantine({ flow: 'orders' })).map((q) => q.sourceId).sort()).toEqual(stillFailing.map((r) => r.sourceId).sort());
    expect((await state.listQuarantine({ flow: 'orders', includeResolved: true })).filter((q) => q.resolved)).toHaveLength(summary.created);
    await state.close();
  });

  it('dry run reads everything, writes nothing, and lists what it would do with the payloads', async () => {
    env = await startEnv(ORDERS);
    const ea = env.sandboxes.eaccounting.control;
    const customers = ea.records('customers').length;
    const result = await env.sync({ dryRun: true });
    const records = result.flows[0]!.records;
    const wouldCreate = records.filter((r) => r.action === 'create');
    expect(wouldCreate.length).toBeGreaterThan(0);
    expect(wouldCreate[0]!.reason).toMatch(/^would create: no eaccounting\.orders had YourReference = "WEB-\d+"/);
    expect(wouldCreate[0]!.payload).toMatchObject({ YourReference: expect.stringMatching(/^WEB-/), Rows: expect.any(Array) });
    expect(records.some((r) => r.upserts.some((u) => u.action === 'create'))).toBe(true);
    expect(createdRecords(ea, 'orders')).toHaveLength(0);
    expect(ea.records('customers')).toHaveLength(customers);
    expect(env.sandboxes.eaccounting.control.requests().filter((r) => r.method !== 'GET' && r.route !== null && !r.url.startsWith('/connect'))).toEqual([]);
    const state = env.state();
    expect(await state.getCursor('orders')).toBeUndefined();
    expect(await state.listLinks('orders')).toEqual([]);
    expect(await state.listQuarantine()).toEqual([]);
    await state.close();
  });
});

describe('incremental reads', () => {
  it('picks up a new shop order on the next run and moves the cursor to the newest create date', async () => {
    env = await startEnv(ORDERS);
    const shop = env.sandboxes.ccvshop.control;
    const first = await env.sync();
    const state = env.state();
    const cursor = await state.getCursor('orders');
    await state.close();
    const newest = shop.records('orders').map((o) => Date.parse(o.create_date as string)).reduce((a, b) => Math.max(a, b));
    expect(Date.parse(cursor!)).toBe(newest);

    // A shopper orders again: a copy of a synced order, newer than anything so far.
    const template = shop.records('orders').find((o) => String(o.id) === first.flows[0]!.records.find((r) => r.action === 'create')!.sourceId)!;
    const id = 799999;
    const created = new Date(newest + 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    shop.putRecords('orders', [{ ...template, id, ordernumber: 9999, ordernumber_full: 'WEB-9999', create_date: created }]);
    const rows = shop.records('orderrows').filter((r) => r.order_id === template.id);
    shop.putRecords('orderrows', rows.map((r, i) => ({ ...r, id: 7770000 + i, order_id: id })));

    const second = await env.sync();
    expect(second.flows[0]!.records.filter((r) => r.action === 'create').map((r) => r.sourceId)).toEqual([String(id)]);
    expect(env.sandboxes.eaccounting.control.records('orders').filter((o) => o.YourReference === 'WEB-9999')).toHaveLength(1);
    // Only the re-poll window was read, not the whole shop.
    expect(second.flows[0]!.summary.read).toBeLessThan(first.flows[0]!.summary.read);
    const after = env.state();
    expect(await after.getCursor('orders')).toBe(new Date(Date.parse(created)).toISOString());
    await after.close();
  });
});

describe('slow bulk reads', () => {
  it('do not count against the expression time budget', async () => {
    env = await startEnv(ORDERS);
    // The articles list answers after 2.5 s, longer than one evaluation may take (2 s).
    env.sandboxes.eaccounting.control.injectFaults([{ kind: 'latency', latencyMs: 2500, method: 'GET', pathPrefix: '/v2/articles' }]);
    const result = await env.sync();
    expect(result.flows[0]!.records.filter((r) => /ran too long/.test(r.reason))).toEqual([]);
    expect(result.flows[0]!.summary.created).toBeGreaterThan(0);
  });
});

describe('write back', () => {
  it('updates the shop order after the accounting order exists, when the setting asks for it', async () => {
    env = await startEnv(ORDERS, { settings: { sent_status: 3 } });
    const shop = env.sandboxes.ccvshop.control;
    const result = await env.sync();
    const created = result.flows[0]!.records.filter((r) => r.action === 'create');
    expect(created.length).toBeGreaterThan(0);
    for (const record of created) expect(shop.records('orders').find((o) => String(o.id) === record.sourceId)?.status).toBe(3);
    const patched = shop.requests().filter((r) => r.method === 'PATCH').map((r) => r.url.split('?')[0]);
    expect(patched.sort()).toEqual(created.map((r) => `/api/rest/v1/orders/${r.sourceId}`).sort());
  });

  it('owes a failed write-back: the rerun does only the write-back, never a second accounting order', async () => {
    env = await startEnv(ORDERS, { settings: { sent_status: 3 } });
    const shop = env.sandboxes.ccvshop.control;
    shop.injectFaults([{ kind: 'error', status: 400, method: 'PATCH', pathPrefix: '/api/rest/v1/orders' }]);
    const first = await env.sync();
    const failed = first.flows[0]!.records.filter((r) => r.action === 'fail' && /write-back/.test(r.reason));
    expect(failed).toHaveLength(1);
    expect(failed[0]!.reason).toMatch(/written to eaccounting\.orders, but the write-back to ccvshop\.orders failed/);
    const orders = env.sandboxes.eaccounting.control.records('orders').length;

    const retry = await env.sync({ retryFailed: true });
    expect(retry.flows[0]!.records.find((r) => r.sourceId === failed[0]!.sourceId)).toMatchObject({ action: 'skip', reason: expect.stringMatching(/did the write-back that failed before/) });
    expect(shop.records('orders').find((o) => String(o.id) === failed[0]!.sourceId)?.status).toBe(3);
    expect(env.sandboxes.eaccounting.control.records('orders')).toHaveLength(orders);
    const state = env.state();
    expect((await state.listQuarantine({ flow: 'orders' })).map((q) => q.sourceId)).not.toContain(failed[0]!.sourceId);
    await state.close();
  });
});
