import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startTenantSandboxes, type RunningTenantSandboxes } from '../connectors/sandbox/tenants.js';
import { writeTenantConfigs } from '../runtime/config/tenant-configs.js';
import { addIntegration } from '../runtime/service/add-integration.js';
import { openDatabase } from '../runtime/service/database.js';
import type { BenchResult } from './result.js';

/**
 * Service mode over a fleet (`npm run bench -- --only service`): 200 tenants (a shop and a company each) with the
 * documented limits enforced, time-scaled, every tenant an integration in PostgreSQL running the orders flow, run
 * by 1, 2 and 4 worker processes (each `runIntegration` over its share, 50 integrations at a time; the rate
 * budgets shared in the database). Reports orders created per API minute against the sum of the tenants' binding limits (150 order
 * row reads per minute each, one per order), the 429s the sandboxes answered, and each worker's peak RSS.
 *
 * MAPLINE_BENCH_DATABASE_URL (default: the test role on the local server) must be allowed to create databases.
 */
const TENANTS = Number(process.env.MAPLINE_BENCH_TENANTS ?? 200);
const ORDERS_PER_TENANT = 60;
const TIME_SCALE = 1; // real minutes: 200 tenants x 150 orders a minute is already more than two cores do
const CEILING_PER_TENANT = 150;
/** Integrations one worker runs at a time (a job worker's concurrency). */
const RUNS_PER_WORKER = Number(process.env.MAPLINE_BENCH_RUNS_PER_WORKER ?? 50);
const SERVER_URL = process.env.MAPLINE_BENCH_DATABASE_URL ?? process.env.MAPLINE_TEST_DATABASE_URL ?? 'postgres://mapline:mapline@127.0.0.1:5432/postgres';

export async function run(): Promise<BenchResult[]> {
  const fleet = await startTenantSandboxes({
    tenants: TENANTS,
    seed: 'bench-fleet',
    sizes: { orders: ORDERS_PER_TENANT, customers: 20, products: 12 },
    rateLimits: { enabled: true, windowMs: 60_000 * TIME_SCALE },
  });
  const dir = mkdtempSync(join(tmpdir(), 'mapline-bench-fleet-'));
  const results: BenchResult[] = [];
  try {
    writeTenantConfigs(dir, fleet.tenants, { mappingsRoot: join(import.meta.dirname, '..'), mappings: ['mappings/orders.map'], timeScale: TIME_SCALE });
    for (const workers of [1, 2, 4]) results.push(...(await measure(fleet, dir, workers)));
  } finally {
    await fleet.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

async function measure(fleet: RunningTenantSandboxes, dir: string, workers: number): Promise<BenchResult[]> {
  for (const tenant of fleet.tenants) {
    tenant.ccvshop.control.reset();
    tenant.eaccounting.control.reset();
  }
  const database = await createDatabase();
  const key = randomBytes(32).toString('base64');
  try {
    const db = await openDatabase(database.url);
    try {
      for (const tenant of fleet.tenants) {
        const added = await addIntegration(db, { name: tenant.name, configFile: join(dir, tenant.name, 'mapline.config.json'), env: { MAPLINE_SECRET_KEY: key } });
        if (added.kind !== 'added') throw new Error(`${tenant.name}: orders.map does not compile`);
      }
    } finally {
      await db.close();
    }
    const started = Array.from({ length: workers }, (_, index) => startWorker(database.url, key, index, workers));
    await Promise.all(started.map((w) => w.ready));
    for (const w of started) w.go();
    const outcomes = await Promise.all(started.map((w) => w.done));
    const created = outcomes.reduce((n, o) => n + o.created, 0);
    const failures = outcomes.flatMap((o) => o.failures);
    if (failures.length > 0) throw new Error(`runs failed: ${failures.join('; ')}`);
    const elapsedMs = Math.max(...outcomes.map((o) => o.finishedAt)) - Math.min(...outcomes.map((o) => o.startedAt));
    const apiMinutes = elapsedMs / (60_000 * TIME_SCALE);
    const perMinute = created / apiMinutes;
    const ceiling = fleet.tenants.length * CEILING_PER_TENANT;
    const count429 = fleet.tenants.reduce((n, t) => n + [t.ccvshop, t.eaccounting].reduce((m, s) => m + s.control.requests().filter((r) => r.status === 429).length, 0), 0);
    const label = `${workers} worker${workers > 1 ? 's' : ''}`;
    const note = `${fleet.tenants.length} tenants x ${ORDERS_PER_TENANT} shop orders, ${RUNS_PER_WORKER} runs at a time per worker, ${created} created in ${(elapsedMs / 1000).toFixed(1)} s (time scale ${TIME_SCALE}); ceiling = ${fleet.tenants.length} x ${CEILING_PER_TENANT} order-row reads per minute`;
    return [
      { area: 'service', name: `fleet, ${label}: orders per API minute`, value: Math.round(perMinute), unit: 'orders/API minute', note },
      { area: 'service', name: `fleet, ${label}: share of the sum of the tenants' limits (goal >= 90 %)`, value: Math.round((perMinute / ceiling) * 1000) / 10, unit: '%', note },
      { area: 'service', name: `fleet, ${label}: 429 answers (goal 0)`, value: count429, unit: 'responses', note: 'all tenants, both sandboxes' },
      { area: 'service', name: `fleet, ${label}: peak RSS per worker`, value: Math.round(Math.max(...outcomes.map((o) => o.maxRssMiB))), unit: 'MiB', note: `largest of ${workers}; the sandboxes run in the bench process` },
    ];
  } finally {
    await database.drop();
  }
}

interface WorkerOutcome {
  startedAt: number;
  finishedAt: number;
  created: number;
  failed: number;
  failures: string[];
  maxRssMiB: number;
}

interface Worker {
  readonly ready: Promise<void>;
  readonly done: Promise<WorkerOutcome>;
  go(): void;
}

/** A worker process, loaded and connected (`ready`); `go()` starts its runs, `done` is what it printed. */
function startWorker(url: string, key: string, index: number, count: number): Worker {
  const script = join(import.meta.dirname, 'service', 'worker.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', script, url, String(index), String(count), String(TENANTS), String(RUNS_PER_WORKER)], {
    env: { ...process.env, MAPLINE_SECRET_KEY: key },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let stdout = '';
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stdout.startsWith('ready\n')) markReady();
  });
  const done = new Promise<WorkerOutcome>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(stdout.slice('ready\n'.length)) as WorkerOutcome) : reject(new Error(`worker ${index} exited with ${code}`))));
  });
  return { ready, done, go: () => child.stdin.end('go\n') };
}

async function createDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `mapline_bench_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: SERVER_URL });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
