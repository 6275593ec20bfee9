import { syncOnce } from '../../runtime/sync.js';
import type { BenchResult } from '../result.js';
import { startBenchEnv } from './bench-env.js';
import { runIncumbent } from './incumbent.js';

const ORDERS = 1000;
const SANDBOX = { seed: 'bench-calls', sizes: { orders: ORDERS, customers: 400, products: 60 } };

/**
 * API calls per synced order, 1,000 shop orders (about a third of the customers already known to eAccounting,
 * the rest new), limits off: Mapline's orders flow against the incumbent's per-order script, each on its own
 * fresh pair of sandboxes with the same seed. Reads of the shop are counted for both.
 */
export async function callsPerOrder(): Promise<BenchResult[]> {
  const mapline = await startBenchEnv(SANDBOX);
  let maplineCalls: number;
  let maplineCreated: number;
  let knownShare: string;
  try {
    const emails = new Set(mapline.sandboxes.eaccounting.control.records('customers').map((c) => String(c.EmailAddress).toLowerCase()));
    const shopEmails = new Set(mapline.sandboxes.ccvshop.control.records('orders').map((o) => String((o.customer as { email?: unknown } | null)?.email).toLowerCase()));
    knownShare = `${[...shopEmails].filter((e) => emails.has(e)).length} of ${shopEmails.size} customers known`;
    await mapline.authorize();
    const outcome = await syncOnce({ config: mapline.config });
    if (outcome.kind !== 'ran') throw new Error('orders.map does not compile');
    const summary = outcome.result.flows[0]!.summary;
    maplineCalls = summary.calls;
    maplineCreated = summary.created;
  } finally {
    await mapline.close();
  }

  const incumbent = await startBenchEnv(SANDBOX);
  let baseline;
  try {
    const connections = await incumbent.connect();
    try {
      baseline = await runIncumbent(connections.clients);
    } finally {
      await connections.close();
    }
  } finally {
    await incumbent.close();
  }
  const known = await knownCustomersCalls();
  const perMapline = maplineCalls / Math.max(1, maplineCreated);
  const perBaseline = baseline.calls / Math.max(1, baseline.created);
  const note = `${ORDERS} shop orders, ${knownShare}`;
  return [
    { area: 'runtime', name: 'API calls per synced order: Mapline orders flow', value: Number(perMapline.toFixed(2)), unit: 'calls', note: `${note}; ${maplineCalls} calls, ${maplineCreated} orders created` },
    { area: 'runtime', name: 'API calls per synced order: incumbent per-order script', value: Number(perBaseline.toFixed(2)), unit: 'calls', note: `${note}; ${baseline.calls} calls, ${baseline.created} orders created, ${baseline.failed} failed` },
    { area: 'runtime', name: 'API calls per synced order: saving', value: Number((perBaseline / perMapline).toFixed(1)), unit: 'x fewer' },
    {
      area: 'runtime',
      name: 'API calls per synced order, known customers (goal: at most 2.1)',
      value: Number((known.calls / Math.max(1, known.created)).toFixed(2)),
      unit: 'calls',
      note: `${ORDERS} shop orders whose customers the customers flow synced first; ${known.calls} calls for ${known.created} orders created`,
    },
  ];
}

/** The orders flow alone, after the customers flow has synced every shopper: the steady state of a shop. */
async function knownCustomersCalls(): Promise<{ calls: number; created: number }> {
  const env = await startBenchEnv(SANDBOX, { maps: ['mappings/customers.map', 'mappings/orders.map'] });
  try {
    await env.authorize();
    const customers = await syncOnce({ config: env.config, flows: ['customers'] });
    if (customers.kind !== 'ran' || customers.result.flows[0]!.summary.failed > 0) throw new Error('the customers flow did not sync');
    const orders = await syncOnce({ config: env.config, flows: ['orders'] });
    if (orders.kind !== 'ran') throw new Error('orders.map does not compile');
    const summary = orders.result.flows[0]!.summary;
    return { calls: summary.calls, created: summary.created };
  } finally {
    await env.close();
  }
}
