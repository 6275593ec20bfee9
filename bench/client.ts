import type { BenchResult } from './result.js';
import { ccvshop } from '../connectors/ccvshop/definition.js';
import { createCcvShopSandbox } from '../connectors/ccvshop/sandbox/app.js';
import { createClient } from '../connectors/client/client.js';
import { listen } from '../connectors/sandbox/host.js';
import { buildSeedPlan } from '../connectors/sandbox/seed-plan.js';

/**
 * Client throughput against the CCV Shop sandbox on loopback, rate limits off on both sides: what the client
 * core (governor bookkeeping, HMAC signing and response verification, undici keep-alive pool) costs per call.
 * Single GETs with 16 in flight; latency is per call, measured around `client.get`.
 */
const CALLS = 2000;
const IN_FLIGHT = 16;

export async function run(): Promise<BenchResult[]> {
  const credentials = { publicKey: 'bench-public', secret: 'bench-secret-0123456789' };
  const plan = buildSeedPlan({ seed: 'bench', sizes: { products: 100, orders: 200, customers: 20 } });
  const sandbox = createCcvShopSandbox({ plan, credentials, rateLimits: { enabled: false } });
  const server = await listen(sandbox.app, sandbox.services);
  const client = createClient(ccvshop, { baseUrl: `${server.url}/api/rest/v1`, credentials, rateLimits: false });
  try {
    const ids = sandbox.services.store.list('products').map((product) => product.id as number);
    await Promise.all(ids.slice(0, IN_FLIGHT).map((id) => client.get('products', id))); // warm the pool
    const latencies: number[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < CALLS) {
          const id = ids[next++ % ids.length] as number;
          const t0 = performance.now();
          await client.get('products', id);
          latencies.push(performance.now() - t0);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const listStarted = performance.now();
    const orders = await client.listAll('orders', { pageSize: 250 });
    const listSeconds = (performance.now() - listStarted) / 1000;
    latencies.sort((a, b) => a - b);
    const note = `CCV sandbox on loopback, limits off, ${CALLS} GET /products/{id}, ${IN_FLIGHT} in flight`;
    return [
      { area: 'client', name: 'ccvshop get throughput', value: round(CALLS / seconds), unit: 'requests/s', note },
      { area: 'client', name: 'ccvshop get latency p50', value: round(percentile(latencies, 0.5)), unit: 'ms', note },
      { area: 'client', name: 'ccvshop get latency p99', value: round(percentile(latencies, 0.99)), unit: 'ms', note },
      {
        area: 'client',
        name: 'ccvshop list orders',
        value: round(orders.length / listSeconds),
        unit: 'records/s',
        note: `${orders.length} orders in pages of 250 (signed, verified, parsed)`,
      },
    ];
  } finally {
    await client.close();
    await server.close();
  }
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const result of await run()) console.log(`${result.name}: ${result.value} ${result.unit}`);
}
