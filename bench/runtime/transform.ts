import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { compile, stdlibBindings, type Json } from '../../compiler/index.js';
import { connectors } from '../../connectors/registry.js';
import { startSandboxes } from '../../connectors/sandbox/index.js';
import { defaultSettings } from '../../runtime/engine/run.js';
import { FlowEvaluator, type LookupHost } from '../../runtime/evaluate/index.js';
import type { BenchResult } from '../result.js';
import { customerByHand, isEligible, orderByHand } from './orders-by-hand.js';

type Rec = Record<string, unknown>;

/**
 * Transform throughput of the orders mapping: the compiled JSONata payload (through the runtime's evaluator,
 * lookups answered from memory) against the same mapping written by hand in TypeScript, over the seeded shop
 * orders with their rows. No HTTP: this is the cost of mapping alone. Both must produce the same payloads.
 */
export async function transformThroughput(): Promise<BenchResult[]> {
  const sandboxes = await startSandboxes({ seed: 'bench-transform', sizes: { orders: 3000, customers: 800, products: 60 }, rateLimits: { enabled: false } });
  let orders: Rec[];
  let articles: Rec[];
  try {
    const rows = new Map<unknown, Rec[]>();
    for (const row of sandboxes.ccvshop.control.records('orderrows')) rows.set(row.order_id, [...(rows.get(row.order_id) ?? []), row]);
    orders = sandboxes.ccvshop.control.records('orders').filter(isEligible).map((o) => ({ ...o, orderrows: rows.get(o.id) ?? [] }));
    articles = sandboxes.eaccounting.control.records('articles');
  } finally {
    await sandboxes.close();
  }
  const articleIds = new Map(articles.map((a) => [String(a.Number).toLowerCase(), String(a.Id)]));
  const articleId = (number: string): string => {
    const id = articleIds.get(String(number).toLowerCase());
    if (id === undefined) throw new Error(`no article ${number}`);
    return id;
  };
  const customerId = (email: unknown): string => `cust-${String(email)}`;
  // Orders whose articles all exist (the others fail in both versions; leave them out of the comparison).
  const bookable = orders.filter((o) => (o.orderrows as Rec[]).every((r) => articleIds.has(String(r.product_number).toLowerCase())));

  const file = 'mappings/orders.map';
  const compiled = compile({ files: [{ name: file, text: readFileSync(join(import.meta.dirname, '../..', file), 'utf8') }], connectors });
  const flow = compiled.artifact?.flows.find((f) => f.name === 'orders');
  if (!flow?.payload.create) throw new Error('mappings/orders.map does not compile to an orders flow');
  const fragment = flow.payload.create;
  const evaluator = new FlowEvaluator({ settings: defaultSettings(flow), tables: flow.tables, stdlib: stdlibBindings });
  const host: LookupHost = {
    lookup: async (entity, key, value) => {
      if (entity === 'eaccounting.articles' && key === 'Number') {
        const id = articleIds.get(String(value).toLowerCase());
        return id === undefined ? [] : [{ Id: id, Number: value }];
      }
      return [];
    },
    // A new customer: the record is the payload it is created with.
    upsert: async (_entity, _key, value, payload) => ({ ...(payload as Record<string, Json>), Id: customerId(value), EmailAddress: value }),
  };

  const viaJsonata = async (order: Rec): Promise<Json | undefined> => {
    const result = await evaluator.evaluate(fragment, order as Json, host);
    if (!result.ok) throw new Error(result.error.message);
    return result.value;
  };
  const byHand = (order: Rec): Rec => {
    const customer = customerByHand(order); // the upsert's payload is built per order in the mapping too
    return orderByHand(order, order.orderrows as Rec[], customerId((order.customer as Rec).email), customer.IsPrivatePerson === true, articleId);
  };

  // The two must agree, or the comparison means nothing.
  for (const order of bookable.slice(0, 50)) {
    const a = await viaJsonata(order);
    const b = byHand(order);
    if (!isDeepStrictEqual(a, b)) throw new Error(`hand-written mapping differs from orders.map for ${String(order.ordernumber_full)}:\n${JSON.stringify(a)}\n${JSON.stringify(b)}`);
  }

  const measure = async (fn: (order: Rec) => unknown, minMs: number): Promise<number> => {
    let done = 0;
    const start = performance.now();
    while (performance.now() - start < minMs) {
      for (const order of bookable) await fn(order);
      done += bookable.length;
    }
    return done / ((performance.now() - start) / 1000);
  };
  const jsonataRate = await measure(viaJsonata, 4000);
  const handRate = await measure(byHand, 2000);
  const note = `${bookable.length} seeded eligible orders with their rows, payloads checked equal on 50`;
  return [
    { area: 'runtime', name: 'orders mapping transform: compiled JSONata', value: Math.round(jsonataRate), unit: 'records/s', note },
    { area: 'runtime', name: 'orders mapping transform: hand-written TypeScript', value: Math.round(handRate), unit: 'records/s', note },
    { area: 'runtime', name: 'orders mapping transform: JSONata cost vs hand-written', value: Number((handRate / jsonataRate).toFixed(1)), unit: 'x slower' },
  ];
}
