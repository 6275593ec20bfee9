import { afterEach, describe, expect, it } from 'vitest';
import { duplicates, startEnv, valuesOf, type Env } from './helpers.js';
import { createdRecords } from '../../helpers/created.js';

let env: Env | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

const ORDERS = ['mappings/orders.map'];
const posts = (e: Env, path: string): number =>
  e.sandboxes.eaccounting.control.requests().filter((r) => r.method === 'POST' && r.url.split('?')[0] === path).length;

describe('idempotent writes over the sandboxes', () => {
  it('settles a create whose response was lost by looking its key up, never by sending it again', async () => {
    env = await startEnv(ORDERS);
    const ea = env.sandboxes.eaccounting.control;
    ea.injectFaults([
      { kind: 'lost-response', method: 'POST', pathPrefix: '/v2/orders' },
      { kind: 'lost-response', method: 'POST', pathPrefix: '/v2/customers' },
    ]);
    const result = await env.sync();
    const orders = createdRecords(ea, 'orders');
    expect(result.flows[0]!.summary.created).toBe(orders.length);
    expect(duplicates(valuesOf(orders, 'YourReference'))).toEqual([]);
    expect(duplicates(valuesOf(ea.records('customers'), 'EmailAddress'))).toEqual([]);
    expect(ea.requests().filter((r) => r.fault === 'lost-response').map((r) => r.url.split('?')[0]).sort()).toEqual(['/v2/customers', '/v2/orders']);
    // One POST per created record: the lost ones were found by key, not resent.
    expect(posts(env, '/v2/orders')).toBe(orders.length);
    const state = env.state();
    expect(await state.listPendingWrites()).toEqual([]);
    await state.close();
  });

  it('after a crash, settles intents left behind: linked when the create happened, created once when it did not', async () => {
    env = await startEnv(ORDERS);
    const ea = env.sandboxes.eaccounting.control;
    const plan = (await env.sync({ dryRun: true })).flows[0]!.records.filter((r) => r.action === 'create');
    const [happened, lost] = plan as [(typeof plan)[number], (typeof plan)[number]];
    const refOf = (r: typeof happened): string => (r.payload as { YourReference: string }).YourReference;

    // The state a crash leaves: both intents recorded; one create reached eAccounting, the other never did.
    const state = env.state();
    for (const record of [happened, lost]) {
      await state.addPendingWrite({ flow: 'orders', sourceId: record.sourceId, targetEntity: 'eaccounting.orders', keyField: 'YourReference', keyValue: refOf(record), contentHash: null });
    }
    await state.close();
    const existingId = '5e0f3c1a-0000-4000-8000-00000000c0de';
    ea.putRecords('orders', [{ Id: existingId, YourReference: refOf(happened), Rows: [] }]);

    const result = await env.sync({ now: () => new Date(Date.now() + 5 * 60_000) });
    const outcome = (id: string) => result.flows[0]!.records.find((r) => r.sourceId === id)!;
    expect(outcome(happened.sourceId)).toMatchObject({ action: 'skip', targetId: existingId });
    expect(outcome(happened.sourceId).reason).toBe(`already synced as eaccounting.orders ${existingId} (on existing: skip)`);
    expect(outcome(lost.sourceId).action).toBe('create');
    const refs = valuesOf(ea.records('orders'), 'YourReference');
    expect(refs.filter((r) => r === refOf(happened))).toHaveLength(1);
    expect(refs.filter((r) => r === refOf(lost))).toHaveLength(1);
    const after = env.state();
    expect(await after.listPendingWrites()).toEqual([]);
    await after.close();
  });

  it('keeps an unresolvable outcome as a pending intent and a quarantined record, then settles it on the next run', async () => {
    env = await startEnv(ORDERS);
    const ea = env.sandboxes.eaccounting.control;
    // The POST fails with a 500 after doing nothing: the outcome is unknown to the client, and the key is not found.
    ea.injectFaults([{ kind: 'error', status: 500, method: 'POST', pathPrefix: '/v2/orders' }]);
    const first = await env.sync();
    const failed = first.flows[0]!.records.filter((r) => r.action === 'fail' && /may or may not have happened/.test(r.reason));
    expect(failed).toHaveLength(1);
    let state = env.state();
    expect((await state.listPendingWrites('orders')).map((p) => p.sourceId)).toEqual([failed[0]!.sourceId]);
    await state.close();

    // A rerun at once: the create may still be in flight at the API, so the order is not sent again yet.
    const early = await env.sync();
    expect(early.flows[0]!.records.find((r) => r.sourceId === failed[0]!.sourceId)).toMatchObject({
      action: 'fail',
      reason: expect.stringMatching(/has not shown up with YourReference = "WEB-\d+" yet; it is checked again on the next run, never sent twice$/),
    });
    expect(early.flows[0]!.summary.created).toBe(0);

    // Later: the key is still not there, so the intent is cleared and the order created, once.
    const second = await env.sync({ now: () => new Date(Date.now() + 5 * 60_000) });
    expect(second.flows[0]!.records.find((r) => r.sourceId === failed[0]!.sourceId)?.action).toBe('create');
    expect(duplicates(valuesOf(createdRecords(ea, 'orders'), 'YourReference'))).toEqual([]);
    state = env.state();
    expect(await state.listPendingWrites()).toEqual([]);
    expect((await state.listQuarantine({ flow: 'orders' })).map((q) => q.sourceId)).not.toContain(failed[0]!.sourceId);
    await state.close();
  });
});

describe('overlapping runs', () => {
  it('does not run a flow another live process is running, and says who holds it', async () => {
    env = await startEnv(ORDERS);
    const state = env.state();
    await state.acquireLock('flow:orders', { id: 'cron-run', host: (await import('node:os')).hostname(), pid: process.pid }, 60_000);
    await state.close();
    const result = await env.sync();
    expect(result.flows).toEqual([]);
    expect(result.errors).toEqual([{ flow: 'orders', busy: true, message: expect.stringMatching(/^flow orders is being run by another process \(pid \d+ on .+, since .+\); not run now$/) }]);
    expect(createdRecords(env.sandboxes.eaccounting.control, 'orders')).toHaveLength(0);
  });
});

describe('records recognised within one run', () => {
  it('a customer created for one order is found (not created again) for the next order of the same shopper', async () => {
    // Few orders, few shoppers: identify goes through per-record searches instead of one bulk read.
    env = await startEnv(['mappings/customers.map'], { sandbox: { sizes: { orders: 16, customers: 4 } } });
    const ea = env.sandboxes.eaccounting.control;
    const result = await env.sync();
    const records = result.flows[0]!.records;
    expect(records.length).toBeLessThanOrEqual(25);
    const shopEmails = new Set(env.sandboxes.ccvshop.control.records('orders').map((o) => (o.customer as { email?: string }).email));
    expect(duplicates(valuesOf(ea.records('customers'), 'EmailAddress'))).toEqual([]);
    expect(ea.records('customers').filter((c) => shopEmails.has(c.EmailAddress as string)).length).toBe(shopEmails.size);
  });
});

describe('updates over the sandboxes', () => {
  it('updates a PUT-replace target as the existing record merged with the payload, and leaves unchanged records alone', async () => {
    env = await startEnv(['mappings/customers.map']);
    const ea = env.sandboxes.eaccounting.control;
    const first = await env.sync();
    expect(first.flows[0]!.summary.failed).toBe(0);
    expect(duplicates(valuesOf(ea.records('customers'), 'EmailAddress'))).toEqual([]);

    // The shopper moved: change the city on one synced order in the shop.
    const synced = first.flows[0]!.records.find((r) => r.action === 'create')!;
    const shop = env.sandboxes.ccvshop.control;
    const order = shop.records('orders').find((o) => String(o.id) === synced.sourceId)!;
    const customer = order.customer as { email: string; billingaddress: Record<string, unknown> };
    shop.putRecords('orders', [{ ...order, customer: { ...customer, billingaddress: { ...customer.billingaddress, city: 'Zwolle' } } }]);
    const before = ea.records('customers').find((c) => c.EmailAddress === customer.email)!;
    ea.clearRequests?.();
    const putsBefore = ea.requests().filter((r) => r.method === 'PUT').length;

    const second = await env.sync({ since: new Date(0) });
    const updated = second.flows[0]!.records.filter((r) => r.action === 'update');
    expect(updated.map((r) => r.sourceId)).toEqual([synced.sourceId]);
    expect(ea.requests().filter((r) => r.method === 'PUT').length - putsBefore).toBe(1);
    const after = ea.records('customers').find((c) => c.EmailAddress === customer.email)!;
    expect(after).toMatchObject({ Id: before.Id, InvoiceCity: 'Zwolle', CustomerNumber: before.CustomerNumber });
    expect(second.flows[0]!.summary.created).toBe(0);
  });

  it('a customer deleted in eAccounting by hand is created again at its next change, not failed for ever', async () => {
    env = await startEnv(['mappings/customers.map']);
    const ea = env.sandboxes.eaccounting.control;
    const first = await env.sync();
    const synced = first.flows[0]!.records.find((r) => r.action === 'create')!;
    ea.deleteRecords('customers', [synced.targetId!]);

    const shop = env.sandboxes.ccvshop.control;
    const order = shop.records('orders').find((o) => String(o.id) === synced.sourceId)!;
    const customer = order.customer as { email: string; billingaddress: Record<string, unknown> };
    shop.putRecords('orders', [{ ...order, customer: { ...customer, billingaddress: { ...customer.billingaddress, city: 'Deventer' } } }]);

    const second = await env.sync({ since: new Date(0) });
    const outcome = second.flows[0]!.records.find((r) => r.sourceId === synced.sourceId)!;
    expect(outcome.action).toBe('create');
    expect(outcome.reason).toContain(`the linked eaccounting.customers ${synced.targetId} is gone (404), so the link was dropped; created`);
    expect(ea.records('customers').filter((c) => c.EmailAddress === customer.email)).toEqual([expect.objectContaining({ InvoiceCity: 'Deventer' })]);
    expect(second.flows[0]!.summary.failed).toBe(0);
  });
});
