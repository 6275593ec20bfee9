import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTenantSandboxes, type RunningTenant, type RunningTenantSandboxes } from '../connectors/sandbox/tenants.js';
import { writeTenantConfigs } from '../runtime/config/tenant-configs.js';
import { addIntegration } from '../runtime/service/add-integration.js';
import { openDatabase } from '../runtime/service/database.js';
import { JobQueue } from '../runtime/service/jobs/job-queue.js';
import { freshDatabase } from '../test/helpers/fresh-database.js';
import { waitFor, type WorkerProcess } from '../test/helpers/service-tenants.js';
import type { BenchResult } from './result.js';
import { jobsOf, startWorkerProcess, usageOf } from './service/worker-process.js';

/**
 * Service mode over a fleet (`npm run bench -- --only service`): TENANTS tenants (a shop and a company each, their
 * own credentials and limits), every tenant an integration in PostgreSQL running the orders flow, run by 1, 2 and 4
 * `mapline worker` processes (the CLI, pg-boss jobs, the rate budgets shared in the database). Each worker runs
 * enough jobs at once that every integration runs at the same time.
 *
 * The limits are the documented ones, time-scaled: one API minute lasts TIME_SCALE real minutes, windows and waits
 * alike, so that the sum of 200 tenants' limits (200 x 150 order-row reads a minute) fits what two cores can do.
 * The binding limit is CCV's 150 GETs a minute on an order's rows (one per order); eAccounting's 600 a minute per
 * endpoint is never reached first.
 *
 * Figures: orders created per API minute against the sum of the tenants' limits, sustained (while every tenant was
 * past its opening burst and had orders left) and over the whole run (from asking for the runs to the last job's
 * end: start-up and the opening bursts included); the 429s the sandboxes answered; each worker's peak RSS and CPU
 * time; job pick-up latency for the burst of TENANTS runs asked for at once. Every completed shop order is sent
 * (any status, paid or not), so every tenant has about the same work.
 */
const TENANTS = Number(process.env.MAPLINE_BENCH_TENANTS ?? 200);
const ORDERS_PER_TENANT = Number(process.env.MAPLINE_BENCH_ORDERS ?? 50);
const TIME_SCALE = Number(process.env.MAPLINE_BENCH_TIME_SCALE ?? 25);
const WORKER_COUNTS = (process.env.MAPLINE_BENCH_WORKERS ?? '1,2,4').split(',').map(Number);
const LIMIT_PER_TENANT = 150;
const API_MINUTE_MS = 60_000 * TIME_SCALE;

export async function run(): Promise<BenchResult[]> {
  const fleet = await startTenantSandboxes({
    tenants: TENANTS,
    seed: 'bench-fleet',
    sizes: { orders: ORDERS_PER_TENANT, customers: 20, products: 12 },
    rateLimits: { enabled: true, windowMs: API_MINUTE_MS },
  });
  const dir = mkdtempSync(join(tmpdir(), 'mapline-bench-fleet-'));
  const results: BenchResult[] = [];
  try {
    const configs = writeTenantConfigs(dir, fleet.tenants, { mappingsRoot: join(import.meta.dirname, '..'), mappings: ['mappings/orders.map'], timeScale: TIME_SCALE });
    // Every completed order is sent, whatever its status or payment, so every tenant has the same amount of work and
    // the fleet's steady state lasts until all end together. The runs are asked for by the bench, all at once: no
    // schedule fires during a measure.
    for (const file of configs) {
      const config = JSON.parse(readFileSync(file, 'utf8')) as { flows: { file: string }[] };
      const flows = config.flows.map((flow) => ({ ...flow, settings: { only_paid: false, statuses: Array.from({ length: 14 }, (_, i) => i + 1) } }));
      writeFileSync(file, JSON.stringify({ ...config, flows, schedule: { everyMinutes: 24 * 60 } }, null, 2));
    }
    for (const workers of WORKER_COUNTS) {
      const figures = await measure(fleet, dir, workers);
      // Each measure takes minutes: its figures are shown as soon as they are known.
      for (const r of figures) process.stderr.write(`  [${new Date().toISOString()}] ${r.name}: ${r.value} ${r.unit} (${r.note ?? ''})\n`);
      results.push(...figures);
    }
  } finally {
    await fleet.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

async function measure(fleet: RunningTenantSandboxes, dir: string, workerCount: number): Promise<BenchResult[]> {
  for (const tenant of fleet.tenants) {
    tenant.ccvshop.control.reset();
    tenant.eaccounting.control.reset();
  }
  const database = await freshDatabase();
  const env = { MAPLINE_SECRET_KEY: randomBytes(32).toString('base64') };
  const db = await openDatabase(database.url);
  const workers: WorkerProcess[] = [];
  try {
    const ids: string[] = [];
    for (const tenant of fleet.tenants) {
      const added = await addIntegration(db, { name: tenant.name, configFile: join(dir, tenant.name, 'mapline.config.json'), env });
      if (added.kind !== 'added') throw new Error(`${tenant.name}: orders.map does not compile`);
      ids.push(added.integration.id);
    }
    const concurrency = Math.ceil(TENANTS / workerCount);
    for (let i = 0; i < workerCount; i++) workers.push(startWorkerProcess({ databaseUrl: database.url, concurrency, env }));
    await Promise.all(workers.map((w) => waitFor(() => w.lines.some((l) => l.event === 'started'), 120_000, 'the workers to start')));
    const queue = await JobQueue.open(db);
    const askedAt = Date.now();
    for (const id of ids) await queue.enqueueRun(id, 'orders', 'manual');
    await queue.close();
    const finished = await waitForFlows(workers, new Set(ids));
    const usage = workers.map((w) => usageOf(w.child.pid!));
    for (const w of workers) w.child.kill('SIGTERM');
    await Promise.all(workers.map((w) => w.exited));

    const jobs = workers.flatMap(jobsOf);
    const failures = jobs.filter((j) => j.outcome.error !== undefined || (j.outcome.failed ?? 0) > 0);
    if (failures.length > 0) throw new Error(`${failures.length} jobs failed, e.g. ${JSON.stringify(failures[0])}`);
    const created = jobs.reduce((n, j) => n + (j.outcome.created ?? 0), 0);
    const posts = fleet.tenants.map(orderPosts);
    const booked = posts.reduce((n, p) => n + p.length, 0);
    if (booked !== created) throw new Error(`the workers report ${created} orders created, the accounting sandboxes hold ${booked} new`);

    const whole = ratePerTenant(created, finished - askedAt);
    const steady = steadyState(posts);
    const count429 = fleet.tenants.reduce((n, t) => n + [t.ccvshop, t.eaccounting].reduce((m, s) => m + s.control.requests().filter((r) => r.status === 429).length, 0), 0);
    const pickups = jobs.map((j) => j.pickupMs).sort((a, b) => a - b);
    const label = `${workerCount} worker${workerCount > 1 ? 's' : ''}`;
    const setup = `${TENANTS} tenants x ${ORDERS_PER_TENANT} shop orders (${created} eligible), ${label} x ${concurrency} jobs at once, time scale ${TIME_SCALE} (an API minute = ${TIME_SCALE} real minutes)`;
    const share = (perTenant: number) => Math.round((perTenant / LIMIT_PER_TENANT) * 1000) / 10;
    return [
      {
        area: 'service',
        name: `fleet, ${label}: steady state, share of the sum of the tenants' limits (goal >= 90 %)`,
        value: share(steady.perTenant),
        unit: '%',
        note: `${Math.round(steady.perTenant * TENANTS)} orders per API minute against ${TENANTS} x ${LIMIT_PER_TENANT}; ${steady.orders} orders in the ${(steady.ms / 1000).toFixed(0)} s in which every tenant was past its opening burst and had orders left; ${setup}`,
      },
      {
        area: 'service',
        name: `fleet, ${label}: whole run, share of the sum of the tenants' limits`,
        value: share(whole),
        unit: '%',
        note: `${created} orders in ${((finished - askedAt) / 1000).toFixed(0)} s from asking for the runs to the last job's end (start-up and each tenant's opening burst included)`,
      },
      { area: 'service', name: `fleet, ${label}: 429 answers (goal 0)`, value: count429, unit: 'responses', note: 'all tenants, both sandboxes' },
      {
        area: 'service',
        name: `fleet, ${label}: peak RSS per worker`,
        value: Math.round(Math.max(...usage.map((u) => u.peakRssMiB))),
        unit: 'MiB',
        note: `largest of ${workerCount} (VmHWM); CPU ${usage.map((u) => `${(u.cpuMs / 1000).toFixed(0)} s`).join(', ')}; ${(usage.reduce((n, u) => n + u.cpuMs, 0) / Math.max(1, created)).toFixed(1)} ms of worker CPU per order`,
      },
      {
        area: 'service',
        name: `fleet, ${label}: job pick-up latency p50 / p95`,
        value: pickups[Math.floor(pickups.length / 2)] ?? 0,
        unit: 'ms',
        note: `p95 ${pickups[Math.floor(pickups.length * 0.95)] ?? 0} ms; ${TENANTS} runs asked for at once, database clock`,
      },
    ];
  } finally {
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
    await Promise.all(workers.map((w) => w.exited));
    await db.close();
    await database.drop();
  }
}

/** Resolves with the time the last of `integrations` finished its orders flow (a job with nothing more to do). */
async function waitForFlows(workers: readonly WorkerProcess[], integrations: Set<string>): Promise<number> {
  const left = new Set(integrations);
  for (;;) {
    for (const w of workers) {
      for (const job of jobsOf(w)) {
        const o = job.outcome;
        if (!o.more && !o.busy && !o.handedBack && o.error === undefined && o.skipped === undefined) left.delete(job.integrationId);
      }
      if (w.child.exitCode !== null || w.child.signalCode !== null) throw new Error(`a worker exited (${w.child.exitCode ?? w.child.signalCode}) while ${left.size} flows were left: ${w.stderr()}`);
    }
    // Seen within a quarter second of the last job's end.
    if (left.size === 0) return Date.now();
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Sandbox-clock times of the orders the tenant's accounting company booked in this measure. */
function orderPosts(tenant: RunningTenant): number[] {
  return tenant.eaccounting.control
    .requests()
    .filter((r) => r.method === 'POST' && r.route !== null && r.route.endsWith('/orders') && r.status !== null && r.status < 300)
    .map((r) => Date.parse(r.at));
}

function ratePerTenant(orders: number, ms: number): number {
  return ms > 0 ? orders / TENANTS / (ms / API_MINUTE_MS) : 0;
}

/**
 * Orders a tenant may send at once before the shared budget paces it (the bucket's capacity is 5 % of the 150, so
 * 7; a little more, so that no tenant's opening burst falls inside the steady state).
 */
const OPENING_BURST = 10;

/**
 * The fleet's sustained rate: from the moment the last tenant was past its opening burst to the moment the first
 * tenant booked its last order, the orders all tenants booked in between, per tenant and API minute. Over less
 * than a minute a tenant may send up to its whole minute's limit at once (the API counts fixed minutes), so a short
 * run's average says little; this is the rate the limits allow minute after minute.
 */
function steadyState(posts: readonly number[][]): { perTenant: number; orders: number; ms: number } {
  const sorted = posts.map((p) => [...p].sort((a, b) => a - b));
  if (sorted.some((p) => p.length <= OPENING_BURST)) return { perTenant: 0, orders: 0, ms: 0 };
  const from = Math.max(...sorted.map((p) => p[OPENING_BURST - 1]!));
  const to = Math.min(...sorted.map((p) => p[p.length - 1]!));
  if (!(to > from)) return { perTenant: 0, orders: 0, ms: 0 };
  const orders = sorted.reduce((n, p) => n + p.filter((at) => at > from && at <= to).length, 0);
  return { perTenant: ratePerTenant(orders, to - from), orders, ms: to - from };
}
