import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { authorizeEaccounting } from '../../cli/commands/auth.js';
import { startSandboxes } from '../../connectors/sandbox/index.js';
import { parseConfig } from '../../runtime/config/load.js';
import { syncOnce } from '../../runtime/sync.js';
import type { BenchResult } from '../result.js';

/**
 * The orders flow (`mappings/orders.map`) end to end over both sandboxes on loopback, rate limits off: a first
 * run over a shop of ORDERS orders (creates, customer upserts, bulk article reads), then a second run with
 * nothing changed. Reports throughput and HTTP calls per synced order (the "few calls" goal).
 */
const ORDERS = 1000;

export async function endToEnd(): Promise<BenchResult[]> {
  const sandboxes = await startSandboxes({ seed: 'bench', sizes: { orders: ORDERS, customers: 300, products: 60 }, rateLimits: { enabled: false } });
  const dir = mkdtempSync(join(tmpdir(), 'mapline-bench-'));
  try {
    const config = parseConfig(
      {
        state: join(dir, 'state.sqlite'),
        connections: {
          ccvshop: { baseUrl: sandboxes.ccvshop.baseUrl, publicKey: sandboxes.ccvshop.publicKey, secret: sandboxes.ccvshop.secret, rateLimits: false },
          eaccounting: {
            baseUrl: sandboxes.eaccounting.baseUrl,
            identityUrl: sandboxes.eaccounting.origin,
            clientId: sandboxes.eaccounting.clientId,
            clientSecret: sandboxes.eaccounting.clientSecret,
            rateLimits: false,
          },
        },
        flows: [{ file: join(import.meta.dirname, '../../mappings/orders.map') }],
      },
      join(dir, 'mapline.config.json'),
    );
    const auth = await authorizeEaccounting(
      { clientId: 'demo', clientSecret: 'demo', identityUrl: sandboxes.eaccounting.origin, state: config.state, follow: true, timeout: '30', verify: false },
      () => {},
    );
    if (auth !== 0) throw new Error('could not authorise with the eAccounting sandbox');

    const t0 = performance.now();
    const first = await syncOnce({ config });
    const firstMs = performance.now() - t0;
    const t1 = performance.now();
    const second = await syncOnce({ config });
    const secondMs = performance.now() - t1;
    if (first.kind !== 'ran' || second.kind !== 'ran') throw new Error('the orders mapping did not compile');
    const s1 = first.result.flows[0]!.summary;
    const s2 = second.result.flows[0]!.summary;
    const note = `${ORDERS} shop orders; first run read ${s1.read}, created ${s1.created}, skipped ${s1.skipped}, failed ${s1.failed}`;
    return [
      { area: 'runtime', name: 'orders first run: records processed per second', value: Math.round(s1.read / (firstMs / 1000)), unit: 'records/s', note },
      { area: 'runtime', name: 'orders first run: wall time', value: Math.round(firstMs), unit: 'ms', note },
      { area: 'runtime', name: 'orders first run: HTTP calls per created order', value: Number((s1.calls / Math.max(1, s1.created)).toFixed(2)), unit: 'calls', note: `${s1.calls} calls in all (reads, children, bulk lookups, upserts, creates)` },
      { area: 'runtime', name: 'orders rerun, nothing changed: HTTP calls', value: s2.calls, unit: 'calls', note: `read ${s2.read} (re-poll window), created ${s2.created}` },
      { area: 'runtime', name: 'orders rerun, nothing changed: wall time', value: Math.round(secondMs), unit: 'ms' },
    ];
  } finally {
    await sandboxes.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
