import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SeededRandom } from '../connectors/sandbox/rng.js';
import { openDatabase } from '../runtime/service/database.js';
import { IntegrationRegistry } from '../runtime/service/registry.js';
import { startWorker, type WorkerEvent } from '../runtime/service/worker/worker.js';
import { freshDatabase } from '../test/helpers/fresh-database.js';
import { startTenant } from '../test/helpers/service-tenants.js';
import type { BenchResult } from './result.js';

const RUNS = 30;
const random = new SeededRandom('bench-service-jobs');

/**
 * Job pick-up latency of `mapline worker` with its default polling (1 s) and one idle worker of two slots: a run
 * is asked for (`enqueueRun`) at a random moment, and the time until a worker takes it is read on the database clock (the job's
 * `startedOn` less its `createdOn`). One tenant over the sandboxes; each run has nothing new to do.
 */
export async function run(): Promise<BenchResult[]> {
  return [...(await pickupLatency()), ...(await engineCost())];
}

async function pickupLatency(): Promise<BenchResult[]> {
  const database = await freshDatabase();
  const db = await openDatabase(database.url);
  const dir = mkdtempSync(join(tmpdir(), 'mapline-bench-jobs-'));
  const env = { MAPLINE_SECRET_KEY: randomBytes(32).toString('base64') };
  const tenant = await startTenant(db, dir, 0, { orders: 10, schedule: { everyMinutes: 600 }, env });
  const jobs: Extract<WorkerEvent, { event: 'job' }>[] = [];
  const worker = await startWorker(db, { env, onEvent: (e) => void (e.event === 'job' && jobs.push(e)) });
  try {
    for (let i = 0; i < RUNS; i++) {
      // Runs are asked for at random moments (webhooks, people), not in step with the workers' polling.
      await new Promise((resolve) => setTimeout(resolve, random.int(0, 1000)));
      const before = jobs.length;
      await worker.queue.enqueueRun(tenant.integration.id, 'customers', 'manual');
      while (jobs.length === before) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const pickups = jobs.map((j) => j.pickupMs).sort((a, b) => a - b);
    const at = (q: number): number => pickups[Math.min(pickups.length - 1, Math.floor(q * pickups.length))]!;
    const note = `${RUNS} runs asked for one at a time at random moments, 1 idle worker (2 slots, polling every 1 s)`;
    return [
      { area: 'service', name: 'job pick-up latency p50', value: at(0.5), unit: 'ms', note },
      { area: 'service', name: 'job pick-up latency p95', value: at(0.95), unit: 'ms', note },
    ];
  } finally {
    await worker.stop();
    await db.close();
    await tenant.sandboxes.close();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const EMPTY_JOBS = 400;

/**
 * What the job engine costs per job, apart from the flow's own work: EMPTY_JOBS runs asked for at once, of paused
 * integrations, so each job is pg-boss's send, fetch and completion plus the worker's bookkeeping (marking the job
 * taken, reading the integration) and nothing else. One worker of four slots polling every 0.5 s, in this process;
 * CPU is this process's (asking and working both), wall time from the first ask to the last job's end.
 */
async function engineCost(): Promise<BenchResult[]> {
  const database = await freshDatabase();
  const db = await openDatabase(database.url, { max: 12 });
  const registry = new IntegrationRegistry(db);
  const ids: string[] = [];
  for (let i = 0; i < EMPTY_JOBS; i++) {
    const name = `paused-${i}`;
    const { integration } = await registry.add({ name, config: { connections: {}, flows: [] }, flows: ['orders'], maps: [], secrets: new Map() }, undefined);
    await registry.setState(name, 'paused');
    ids.push(integration.id);
  }
  let done = 0;
  const worker = await startWorker(db, { concurrency: 4, pollingIntervalSeconds: 0.5, env: {}, onEvent: (e) => void (e.event === 'job' && done++) });
  try {
    const cpu = process.cpuUsage();
    const started = performance.now();
    for (const id of ids) await worker.queue.enqueueRun(id, 'orders', 'manual');
    while (done < EMPTY_JOBS) await new Promise((resolve) => setTimeout(resolve, 5));
    const wallMs = performance.now() - started;
    const used = process.cpuUsage(cpu);
    const note = `${EMPTY_JOBS} jobs with no flow work (paused integrations) asked for at once; 1 worker, 4 slots, polling every 0.5 s`;
    return [
      { area: 'service', name: 'job engine: CPU per job (ask + run + complete, no flow work)', value: Math.round(((used.user + used.system) / 1000 / EMPTY_JOBS) * 100) / 100, unit: 'ms', note: `${note}; the Node process's CPU, PostgreSQL's not included` },
      { area: 'service', name: 'job engine: wall time per job', value: Math.round((wallMs / EMPTY_JOBS) * 100) / 100, unit: 'ms', note: `${note}; ${Math.round(EMPTY_JOBS / (wallMs / 1000))} jobs/s` },
    ];
  } finally {
    await worker.stop();
    await db.close();
    await database.drop();
  }
}
