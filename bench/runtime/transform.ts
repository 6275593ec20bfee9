import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { compile, stdlibBindings, type CompiledFlow, type Json } from '../../compiler/index.js';
import { connectors } from '../../connectors/registry.js';
import { startSandboxes } from '../../connectors/sandbox/index.js';
import { defaultSettings } from '../../runtime/engine/run.js';
import { FlowEvaluator, type EvaluatorOptions, type LookupHost } from '../../runtime/evaluate/index.js';
import type { BenchResult } from '../result.js';
import { customerByHand, isEligible, orderByHand } from './orders-by-hand.js';

type Rec = Record<string, unknown>;

/** The orders mapping's inputs and both ways of mapping them: through the runtime's evaluator, and by hand. */
export interface OrdersTransform {
  /** Seeded eligible orders (with their rows) whose articles all exist. */
  readonly orders: readonly Rec[];
  readonly flow: CompiledFlow;
  /** The compiled payload through a `FlowEvaluator` with these options (lookups answered from memory). */
  readonly viaEvaluator: (options?: Partial<EvaluatorOptions>) => (order: Rec) => Promise<Json | undefined>;
  readonly byHand: (order: Rec) => Rec;
}

export async function ordersTransform(): Promise<OrdersTransform> {
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
  // Answers from memory, as the engine's hosts do over prefetched data: at once (`lookupNow`) or as a promise.
  const articlesBy = (entity: string, key: string, value: Json): Json[] => {
    if (entity !== 'eaccounting.articles' || key !== 'Number') return [];
    const id = articleIds.get(String(value).toLowerCase());
    return id === undefined ? [] : [{ Id: id, Number: value }];
  };
  // A new customer: the record is the payload it is created with.
  const customer = (value: Json, payload: Json): Json => ({ ...(payload as Record<string, Json>), Id: customerId(value), EmailAddress: value });
  const host: LookupHost = {
    lookup: async (entity, key, value) => articlesBy(entity, key, value),
    upsert: async (_entity, _key, value, payload) => customer(value, payload),
    lookupNow: articlesBy,
    upsertNow: (_entity, _key, value, payload) => customer(value, payload),
  };
  const viaEvaluator = (options: Partial<EvaluatorOptions> = {}) => {
    const evaluator = new FlowEvaluator({ settings: defaultSettings(flow), tables: flow.tables, stdlib: stdlibBindings, ...options });
    return async (order: Rec): Promise<Json | undefined> => {
      const result = await evaluator.evaluate(fragment, order as Json, host);
      if (!result.ok) throw new Error(result.error.message);
      return result.value;
    };
  };
  const byHand = (order: Rec): Rec => {
    const customer = customerByHand(order); // the upsert's payload is built per order in the mapping too
    return orderByHand(order, order.orderrows as Rec[], customerId((order.customer as Rec).email), customer.IsPrivatePerson === true, articleId);
  };
  return { orders: bookable, flow, viaEvaluator, byHand };
}

/** Records per second of `fn` over `orders`, running whole passes for at least `minMs`. */
export async function recordsPerSecond(orders: readonly Rec[], fn: (order: Rec) => unknown, minMs: number): Promise<number> {
  let done = 0;
  const start = performance.now();
  while (performance.now() - start < minMs) {
    for (const order of orders) await fn(order);
    done += orders.length;
  }
  return done / ((performance.now() - start) / 1000);
}

/**
 * Transform throughput of the orders mapping: the compiled JSONata payload through the runtime's evaluator
 * (lookups answered from memory), by the default backend (the JavaScript backend: the same JSONata compiled to
 * closures) and by JSONata alone, against the same mapping written by hand in TypeScript, over the seeded shop
 * orders with their rows. No HTTP: this is the cost of mapping alone. All must produce the same payloads.
 */
export async function transformThroughput(): Promise<BenchResult[]> {
  const { orders, viaEvaluator, byHand } = await ordersTransform();
  const viaDefault = viaEvaluator();
  const viaJsonata = viaEvaluator({ backend: 'jsonata' });

  // They must agree, or the comparison means nothing: every order by default, the first 100 by JSONata too.
  for (const [i, order] of orders.entries()) {
    const expected = byHand(order);
    for (const [name, fn] of i < 100 ? ([['default', viaDefault], ['jsonata', viaJsonata]] as const) : ([['default', viaDefault]] as const)) {
      const got = await fn(order);
      if (!isDeepStrictEqual(got, expected)) {
        throw new Error(`hand-written mapping differs from orders.map (${name}) for ${String(order.ordernumber_full)}:\n${JSON.stringify(got)}\n${JSON.stringify(expected)}`);
      }
    }
  }

  const defaultRate = await recordsPerSecond(orders, viaDefault, 4000);
  const jsonataRate = await recordsPerSecond(orders, viaJsonata, 3000);
  const handRate = await recordsPerSecond(orders, byHand, 2000);
  const note = `${orders.length} seeded eligible orders with their rows, payloads checked equal to the hand-written ones (all orders; 100 for JSONata alone)`;
  return [
    { area: 'runtime', name: 'orders mapping transform: compiled JSONata, default evaluator (JS backend)', value: Math.round(defaultRate), unit: 'records/s', note },
    { area: 'runtime', name: 'orders mapping transform: compiled JSONata, JSONata evaluator (MAPLINE_EVALUATOR=jsonata)', value: Math.round(jsonataRate), unit: 'records/s', note },
    { area: 'runtime', name: 'orders mapping transform: hand-written TypeScript', value: Math.round(handRate), unit: 'records/s', note },
    { area: 'runtime', name: 'orders mapping transform: default evaluator cost vs hand-written', value: Number((handRate / defaultRate).toFixed(1)), unit: 'x slower' },
  ];
}
