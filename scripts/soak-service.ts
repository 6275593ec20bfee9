/**
 * `npm run soak:service`: the service-mode crash proof at length. Starts a pair of sandboxes per tenant (its own
 * shop and accounting company), adds each as an integration in a fresh PostgreSQL database, runs `mapline worker`
 * processes over them and SIGKILLs a random one every few seconds (restarting it at once) while the backlog runs;
 * then waits for the work to end and audits every tenant: each eligible order booked exactly once, none lost, no
 * customer twice, nothing from another tenant's shop. Last, with the workers idle, it measures job pick-up latency
 * (a run asked for -> a worker starts it, on the database clock).
 *
 *   npm run soak:service                                    # 20 tenants x 100 orders, 3 workers, >= 20 kills
 *   npm run soak:service -- --tenants 5 --orders 40 --kills 6 --kill-every 2
 *
 * Exits 0 when every tenant's books are right, 1 with every problem listed when they are not.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SeededRandom } from '../connectors/sandbox/rng.js';
import { openDatabase } from '../runtime/service/database.js';
import { JobQueue } from '../runtime/service/jobs/index.js';
import { freshDatabase } from '../test/helpers/fresh-database.js';
import { auditTenant, bookedOrders, spawnWorker, startTenant, waitFor, type Tenant, type WorkerProcess } from '../test/helpers/service-tenants.js';
import { maplineCli } from '../test/proofs/harness/cli-bundle.js';

const { values } = parseArgs({
  options: {
    tenants: { type: 'string', default: '20' },
    orders: { type: 'string', default: '100' },
    workers: { type: 'string', default: '3' },
    kills: { type: 'string', default: '20' },
    'kill-every': { type: 'string', default: '3' },
    seed: { type: 'string', default: 'soak-service-1' },
  },
});
const count = (name: keyof typeof values): number => {
  const n = Number(values[name]);
  if (!(n > 0)) {
    process.stderr.write(`soak:service: --${name} must be a positive number\n`);
    process.exit(2);
  }
  return n;
};
const [tenantCount, orders, workerCount, minKills, killEverySeconds] = [count('tenants'), count('orders'), count('workers'), count('kills'), count('kill-every')];
const random = new SeededRandom(String(values.seed));
/** Expirations and back-offs of seconds, so a killed worker's job comes back quickly (defaults are minutes). */
const WORKER_ARGS = ['--concurrency', '2', '--max-records', '25', '--expire-seconds', '10', '--retry-seconds', '1', '--poll-seconds', '0.5', '--maintenance-seconds', '2', '--busy-seconds', '1', '--settle-grace-seconds', '2'];
const log = (line: string): void => void process.stdout.write(`${line}\n`);

const started = Date.now();
const seconds = (): number => Math.round((Date.now() - started) / 1000);
const database = await freshDatabase();
const db = await openDatabase(database.url);
const dir = mkdtempSync(join(tmpdir(), 'mapline-soak-service-'));
const env = { MAPLINE_SECRET_KEY: randomBytes(32).toString('base64') };
const tenants: Tenant[] = [];
const workers: WorkerProcess[] = [];
const everyWorker: WorkerProcess[] = [];
let queue: JobQueue | undefined;
let exitCode = 1;
try {
  const cli = await maplineCli();
  for (let i = 0; i < tenantCount; i++) tenants.push(await startTenant(db, dir, i, { orders, schedule: { everyMinutes: 0.25 }, env }));
  const eligible = tenants.reduce((n, t) => n + t.expected().mustBook.size, 0);
  log(`soak:service: ${tenantCount} tenants x ${orders} orders (${eligible} eligible), ${workerCount} workers, a kill every ${killEverySeconds} s until >= ${minKills} kills (${seconds()} s to set up)`);
  const spawn = (): WorkerProcess => {
    const worker = spawnWorker(cli, WORKER_ARGS, { ...env, MAPLINE_DATABASE_URL: database.url });
    everyWorker.push(worker);
    return worker;
  };
  for (let i = 0; i < workerCount; i++) workers.push(spawn());
  queue = await JobQueue.open(db);
  const work = Date.now();
  for (const tenant of tenants) for (const flow of ['customers', 'orders']) await queue.enqueueRun(tenant.integration.id, flow, 'manual');

  let kills = 0;
  const booked = (): number => tenants.reduce((n, t) => n + bookedOrders(t), 0);
  while (kills < minKills) {
    await new Promise((resolve) => setTimeout(resolve, killEverySeconds * 1000));
    const victim = random.int(0, workerCount - 1);
    workers[victim]!.child.kill('SIGKILL');
    await workers[victim]!.exited;
    kills++;
    workers[victim] = spawn();
    if (kills % 5 === 0) log(`  ${kills} kills, ${booked()}/${eligible} orders booked, ${seconds()} s`);
  }
  log(`  killing done: ${kills} kills, ${booked()}/${eligible} booked; waiting for the rest`);
  const problems = async (): Promise<string[]> => (await Promise.all(tenants.map((t) => auditTenant(db, t)))).flat();
  await waitFor(async () => booked() === eligible && (await problems()).length === 0, 15 * 60_000, 'every tenant booked exactly once', 1000).catch(() => undefined);
  const workSeconds = (Date.now() - work) / 1000;
  const found = await problems();

  // Pick-up latency with the workers idle: one run at a time, from asked for to started (database clock).
  const latencies: number[] = [];
  const loadLines = everyWorker.flatMap((w) => w.lines);
  const latencySeen = new Set<Record<string, unknown>>(loadLines);
  for (let i = 0; i < 20; i++) {
    const tenant = tenants[i % tenants.length]!;
    await queue.enqueueRun(tenant.integration.id, 'customers', 'manual');
    const pickedUp = (): Record<string, unknown> | undefined =>
      everyWorker.flatMap((w) => w.lines).find((l) => l.event === 'job' && l.reason === 'manual' && l.integrationId === tenant.integration.id && !latencySeen.has(l));
    await waitFor(() => pickedUp() !== undefined, 60_000, 'the idle pick-up');
    const line = pickedUp()!;
    latencySeen.add(line);
    latencies.push(Number(line.pickupMs));
  }
  const jobLines = loadLines.filter((l) => l.event === 'job');
  const busyPickups = jobLines.map((l) => Number(l.pickupMs)).sort((a, b) => a - b);
  const quantile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  latencies.sort((a, b) => a - b);
  const stopped = workers.map(async (w) => {
    w.child.kill('SIGTERM');
    return (await w.exited).code;
  });
  const codes = await Promise.all(stopped);

  log(`soak:service figures:`);
  log(`  tenants ${tenantCount}, orders ${tenantCount * orders} (${eligible} eligible), workers ${workerCount}, kills ${kills}`);
  log(`  booked ${booked()}/${eligible} in ${workSeconds.toFixed(1)} s (${((booked() / workSeconds) * 60).toFixed(0)} orders/min), jobs ${jobLines.length}, busy back-offs ${jobLines.filter((l) => (l.outcome as { busy?: boolean }).busy).length}`);
  log(`  problems (duplicates, lost orders, customers twice, another tenant's data): ${found.length}`);
  log(`  pick-up latency idle (20 runs): p50 ${quantile(latencies, 0.5)} ms, p95 ${quantile(latencies, 0.95)} ms, max ${latencies.at(-1)} ms`);
  log(`  pick-up under load (${busyPickups.length} jobs, waiting for a free worker included): p50 ${quantile(busyPickups, 0.5)} ms, p95 ${quantile(busyPickups, 0.95)} ms`);
  log(`  workers stopped with SIGTERM: exit codes ${codes.join(', ')}`);
  for (const problem of found) log(`  PROBLEM ${problem}`);
  exitCode = found.length === 0 && booked() === eligible && codes.every((c) => c === 0) ? 0 : 1;
} finally {
  for (const worker of everyWorker) if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
  await Promise.all(everyWorker.map((w) => w.exited));
  await queue?.close();
  await db.close();
  for (const tenant of tenants) await tenant.sandboxes.close();
  await database.drop();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(exitCode);
