import type { RunningSandboxes } from '../../../connectors/sandbox/index.js';
import type { SeededRandom } from '../../../connectors/sandbox/rng.js';
import { isEligibleOrder } from './books.js';

type Rec = Record<string, unknown>;

let next = 0;

/**
 * Adds `count` new paid orders to the shop, created now (sandbox clock): copies of seeded eligible orders with a
 * new id and order number, half of them by a customer the accounting system has never seen. Keeps a stream of
 * fresh work coming, so every kill of the crash loop lands while the runner is creating something.
 */
export function addFreshOrders(sandboxes: RunningSandboxes, random: SeededRandom, count: number): void {
  const ccv = sandboxes.ccvshop.control;
  const templates = ccv.records('orders').filter((o) => isEligibleOrder(o) && !String(o.ordernumber_full).startsWith('LIVE-'));
  const rows = ccv.records('orderrows');
  for (let i = 0; i < count; i++) {
    const n = ++next;
    const template = random.pick(templates);
    const id = 990_000 + n;
    const customer = structuredClone(template.customer) as Rec;
    if (random.chance(0.5)) customer.email = `live-${n}@example.nl`;
    const order: Rec = {
      ...structuredClone(template),
      id,
      ordernumber: 50_000 + n,
      ordernumber_full: `LIVE-${50_000 + n}`,
      create_date: sandboxes.clock.date().toISOString().replace(/\.\d+Z$/, 'Z'),
      customer,
    };
    ccv.putRecords('orders', [order]);
    const copies = rows.filter((r) => r.order_id === template.id).map((r, j) => ({ ...structuredClone(r), id: 99_000_000 + n * 100 + j, order_id: id }));
    ccv.putRecords('orderrows', copies);
  }
}
