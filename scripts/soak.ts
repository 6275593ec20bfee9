/**
 * `npm run soak`: the crash proof at length. Starts both sandboxes, then kills `mapline run` (customers + orders)
 * with SIGKILL at seeded random moments, restarting it each time while new shop orders keep arriving, and
 * finally audits eAccounting: every eligible order and every customer exactly once, nothing eligible missing.
 *
 *   npm run soak                                  # 500 kills, seed "soak-1"
 *   npm run soak -- --kills 2000 --seed night-3 --orders 200
 *
 * Exits 0 when the books are right, 1 with every problem listed when they are not.
 */
import { parseArgs } from 'node:util';
import { crashLoop } from '../test/proofs/harness/crash-loop.js';
import { startProofEnv } from '../test/proofs/harness/env.js';

const { values } = parseArgs({
  options: {
    kills: { type: 'string', default: '500' },
    seed: { type: 'string', default: 'soak-1' },
    orders: { type: 'string', default: '120' },
  },
});
const kills = Number(values.kills);
const orders = Number(values.orders);
if (!Number.isInteger(kills) || kills < 1 || !Number.isInteger(orders) || orders < 1) {
  process.stderr.write('soak: --kills and --orders must be positive whole numbers\n');
  process.exit(2);
}

const started = Date.now();
const env = await startProofEnv({ sandbox: { seed: values.seed, sizes: { orders, customers: Math.max(10, Math.round(orders / 3)), products: 30 } } });
try {
  process.stdout.write(`soak: ${kills} kills, seed ${values.seed}, ${orders} seeded orders (more arrive during the soak)\n`);
  const report = await crashLoop(env, {
    seed: values.seed,
    kills,
    log: (line) => process.stdout.write(`  ${line}\n`),
    onKill: (n) => {
      if (n % 25 === 0) process.stdout.write(`  ${n} kills, ${Math.round((Date.now() - started) / 1000)} s\n`);
    },
  });
  const booked = env.sandboxes.eaccounting.control.records('orders').length;
  process.stdout.write(
    `soak: ${report.kills} kills in ${report.runs} runs (${JSON.stringify(report.byMode)}), ${booked} orders booked, ` +
      `${Math.round((Date.now() - started) / 1000)} s\n`,
  );
  const problems = [...report.problems, ...report.staleQuarantine.map((s) => `stale quarantine: ${s}`)];
  if (report.rerunCreated !== 0) problems.push(`a rerun after the soak created ${report.rerunCreated} records`);
  for (const problem of problems) process.stdout.write(`  PROBLEM ${problem}\n`);
  process.stdout.write(problems.length === 0 ? 'soak: the books are right: every eligible order and customer exactly once\n' : `soak: ${problems.length} problem(s)\n`);
  process.exitCode = problems.length === 0 ? 0 : 1;
} finally {
  await env.close();
}
