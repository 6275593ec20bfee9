import type { BenchResult } from './result.js';
import { callsPerOrder } from './runtime/calls.js';
import { endToEnd } from './runtime/end-to-end.js';
import { peakMemory } from './runtime/memory.js';
import { rateLimitThroughput } from './runtime/rate-limits.js';
import { transformThroughput } from './runtime/transform.js';

/**
 * The runtime's figures (`npm run bench -- --only runtime`), each bounded to well under three minutes:
 * - the orders flow end to end over both sandboxes (records/s, calls per created order, a rerun's calls);
 * - API calls per synced order, Mapline against the incumbent's per-order script on the same data;
 * - throughput against the binding rate limit, with the sandboxes enforcing the real limits time-scaled;
 * - peak memory of a dry run over 10,000 and 50,000 shop orders (and 100,000 with MAPLINE_BENCH_100K=1: about 4
 *   minutes more): flat in the number of orders;
 * - transform throughput of the orders mapping, compiled JSONata (both evaluator backends) against the same
 *   mapping by hand.
 */
export async function run(): Promise<BenchResult[]> {
  const sizes = process.env.MAPLINE_BENCH_100K === '1' ? [10_000, 50_000, 100_000] : [10_000, 50_000];
  const results: BenchResult[] = [];
  results.push(...(await endToEnd()));
  results.push(...(await callsPerOrder()));
  results.push(...(await rateLimitThroughput()));
  for (const orders of sizes) results.push(...(await peakMemory(orders)));
  results.push(...(await transformThroughput()));
  return results;
}
