import type { BenchResult } from './result.js';
import { ccvshop } from '../connectors/ccvshop/definition.js';
import { createClient, type ConnectorClient } from '../connectors/client/client.js';
import { MemoryTokenStore } from '../connectors/client/token-store.js';
import { eaccounting } from '../connectors/eaccounting/definition.js';
import { connectEaccountingSandbox, startSandboxes } from '../connectors/sandbox/index.js';

/**
 * Client throughput against the sandboxes on loopback, rate limits off on both sides: what the client core
 * (governor bookkeeping, CCV HMAC signing and response verification or bearer tokens, the undici keep-alive
 * pool, JSON parsing) costs per call. Single GETs with 16 in flight; latency is measured around each call.
 * Client and sandbox share this process (and the machine's 2 cores), so these are lower bounds.
 */
const CALLS = 2000;
const IN_FLIGHT = 16;

export async function run(): Promise<BenchResult[]> {
  const sandboxes = await startSandboxes({ seed: 'bench', sizes: { products: 100, orders: 200, customers: 100 }, rateLimits: { enabled: false } });
  const shop = createClient(ccvshop, {
    baseUrl: sandboxes.ccvshop.baseUrl,
    credentials: { publicKey: sandboxes.ccvshop.publicKey, secret: sandboxes.ccvshop.secret },
    rateLimits: false,
  });
  const tokens = await connectEaccountingSandbox(sandboxes);
  const store = new MemoryTokenStore({ accessToken: tokens.access_token, refreshToken: tokens.refresh_token, expiresAt: Date.now() + tokens.expires_in * 1000 });
  const books = createClient(eaccounting, {
    baseUrl: sandboxes.eaccounting.baseUrl,
    credentials: { clientId: sandboxes.eaccounting.clientId, clientSecret: sandboxes.eaccounting.clientSecret, identityUrl: sandboxes.eaccounting.origin },
    tokenStore: store,
    rateLimits: false,
  });
  try {
    const productIds = sandboxes.ccvshop.control.records('products').map((product) => product.id as number);
    const customerIds = sandboxes.eaccounting.control.records('customers').map((customer) => String(customer.Id));
    return [
      ...(await measureGets('ccvshop', 'GET /products/{id}', (i) => shop.get('products', productIds[i % productIds.length] as number))),
      ...(await measureGets('eaccounting', 'GET /customers/{id}', (i) => books.get('customers', customerIds[i % customerIds.length] as string))),
      await measureList(shop, 'ccvshop', 'orders', 250),
      await measureList(books, 'eaccounting', 'customers', 1000),
    ];
  } finally {
    await shop.close();
    await books.close();
    await sandboxes.close();
  }
}

async function measureGets(connector: string, what: string, call: (index: number) => Promise<unknown>): Promise<BenchResult[]> {
  await Promise.all(Array.from({ length: IN_FLIGHT }, (_, i) => call(i))); // warm the pool
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < CALLS) {
        const index = next++;
        const t0 = performance.now();
        await call(index);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const note = `${connector} sandbox on loopback, limits off, ${CALLS} x ${what}, ${IN_FLIGHT} in flight`;
  return [
    { area: 'client', name: `${connector} get throughput`, value: round(CALLS / seconds), unit: 'requests/s', note },
    { area: 'client', name: `${connector} get latency p50`, value: round(percentile(latencies, 0.5)), unit: 'ms', note },
    { area: 'client', name: `${connector} get latency p99`, value: round(percentile(latencies, 0.99)), unit: 'ms', note },
  ];
}

async function measureList(client: ConnectorClient, connector: string, entity: string, pageSize: number): Promise<BenchResult> {
  const started = performance.now();
  const records = await client.listAll(entity, { pageSize });
  const seconds = (performance.now() - started) / 1000;
  return { area: 'client', name: `${connector} list ${entity}`, value: round(records.length / seconds), unit: 'records/s', note: `${records.length} records, pages of ${pageSize}` };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const result of await run()) console.log(`${result.name}: ${result.value} ${result.unit} (${result.note ?? ''})`);
}
