import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type MaplineDatabase } from '../../runtime/service/database.js';
import { JobQueue } from '../../runtime/service/jobs/index.js';
import { freshDatabase, postgresForTests, type TestDatabase } from '../helpers/postgres.js';
import { auditTenant, bookedOrders, placePaidOrders, spawnWorker, startTenant, waitFor, type Tenant, type WorkerProcess } from '../helpers/service-tenants.js';
import { maplineCli } from '../proofs/harness/cli-bundle.js';

/**
 * `mapline worker` as an operator runs it: real worker processes (two at once), a real PostgreSQL, three tenants
 * each with its own pair of sandboxes. Workers are SIGKILLed in the middle of their flows and started again; the
 * books must come out exactly right for every tenant, and no flow may ever run twice at once.
 */
const postgres = await postgresForTests(import.meta.filename);

/** Short expirations and back-offs so recovery after a kill takes seconds (the defaults are minutes). */
const FAST = ['--concurrency', '2', '--max-records', '2', '--expire-seconds', '4', '--retry-seconds', '1', '--poll-seconds', '0.5', '--maintenance-seconds', '1', '--busy-seconds', '1', '--settle-grace-seconds', '1'];

describe.skipIf(!postgres)('mapline worker', () => {
  let database: TestDatabase;
  let db: MaplineDatabase;
  let queue: JobQueue;
  let dir: string;
  let cli: string;
  const env = { MAPLINE_SECRET_KEY: randomBytes(32).toString('base64') };
  const tenants: Tenant[] = [];
  const workers: WorkerProcess[] = [];
  const spawn = (): WorkerProcess => {
    const worker = spawnWorker(cli, FAST, { ...env, MAPLINE_DATABASE_URL: database.url });
    workers.push(worker);
    return worker;
  };
  const idOf = async (worker: WorkerProcess): Promise<string> => {
    await waitFor(() => worker.lines.some((l) => l.event === 'started'), 30_000, 'the worker to start');
    return String(worker.lines.find((l) => l.event === 'started')!.workerId);
  };
  const allBooked = (): boolean => tenants.every((t) => bookedOrders(t) === t.expected().mustBook.size);

  beforeAll(async () => {
    database = await freshDatabase();
    db = await openDatabase(database.url);
    dir = mkdtempSync(join(tmpdir(), 'mapline-worker-cli-'));
    cli = await maplineCli();
    for (let i = 0; i < 3; i++) tenants.push(await startTenant(db, dir, i, { orders: 18, schedule: { everyMinutes: 0.1 }, env }));
    queue = await JobQueue.open(db);
  });
  afterAll(async () => {
    for (const worker of workers) if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
    await queue?.close();
    await db?.close();
    for (const tenant of tenants) await tenant.sandboxes.close();
    await database?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('books every eligible order exactly once per tenant though workers are SIGKILLed mid-flow again and again', async () => {
    const running = [spawn(), spawn()];
    for (const tenant of tenants) for (const flow of ['customers', 'orders']) await queue.enqueueRun(tenant.integration.id, flow, 'manual');
    const created = (): number => tenants.reduce((n, t) => n + t.sandboxes.eaccounting.control.created().length, 0);
    let kills = 0;
    while (kills < 4) {
      const victim = kills % 2;
      const id = await idOf(running[victim]!);
      // More orders while the backlog runs out, so every kill lands on work in progress.
      if (allBooked()) for (const tenant of tenants) placePaidOrders(tenant, 3);
      const before = created();
      // Mid-flow: the victim holds a job and a record was just written to an accounting company.
      await waitFor(async () => created() > before && (await queue.listJobs()).some((j) => j.state === 'active' && j.workerId === id), 45_000, `worker ${id} in the middle of a flow`, 5);
      running[victim]!.child.kill('SIGKILL');
      expect(await running[victim]!.exited).toEqual({ code: null, signal: 'SIGKILL' });
      kills++;
      running[victim] = spawn();
    }
    // The killed workers' jobs expire and are retried, the schedules go on: everything gets done, once.
    const problems = async (): Promise<string[]> => (await Promise.all(tenants.map((t) => auditTenant(db, t)))).flat();
    await waitFor(async () => allBooked() && (await problems()).length === 0, 50_000, 'every tenant booked exactly once', 500).catch(async (error: Error) => {
      throw new Error(`${error.message}: ${(await problems()).slice(0, 10).join('; ')}`);
    });
    const orders = tenants.reduce((n, t) => n + t.expected().mustBook.size, 0);
    expect(orders).toBeGreaterThan(15);
    expect(kills).toBeGreaterThanOrEqual(3);

    // No two runs of one integration ever ran at once (so no flow ran twice at once either): in the activity log,
    // in the order its rows were inserted, each run's records come in one unbroken stretch.
    const { rows } = await db.pool.query<{ integration_id: string; run_id: string }>('SELECT integration_id, run_id FROM mapline.activity ORDER BY id');
    const current = new Map<string, string>();
    const done = new Set<string>();
    let interleaved = 0;
    for (const { integration_id: integration, run_id: run } of rows) {
      if (current.get(integration) === run) continue;
      if (done.has(run)) interleaved++;
      const left = current.get(integration);
      if (left !== undefined) done.add(left);
      current.set(integration, run);
    }
    const runs = new Set(rows.map((r) => r.run_id)).size;
    expect(runs).toBeGreaterThan(10);
    expect(interleaved).toBe(0);
    process.stdout.write(`worker SIGKILL proof: ${kills} kills, ${tenants.length} tenants, ${orders} orders booked once each, ${runs} runs, 0 duplicates\n`);
  }, 150_000);

  it("keeps the schedules in the database: a worker started after all were killed fires the timers armed before, and SIGTERM ends it cleanly", async () => {
    for (const worker of workers) if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
    await Promise.all(workers.map((w) => w.exited));
    // No worker runs now; the timers armed by the killed ones are still in pg-boss's table.
    // (One may have been in a killed worker's hands: it is retried once it expires, and arms the next one.)
    const { rows: armed } = await db.pool.query<{ id: string; singleton_key: string }>(
      "SELECT id, singleton_key FROM mapline_jobs.job WHERE name = 'mapline-timer' AND state IN ('created', 'retry', 'active')",
    );
    expect(new Set(armed.map((r) => r.singleton_key)).size).toBe(tenants.length * 2);
    for (const tenant of tenants) expect(await queue.nextRunOf(tenant.integration.id, 'orders')).not.toBeNull();
    for (const tenant of tenants) placePaidOrders(tenant, 2);

    const worker = spawn();
    await waitFor(allBooked, 45_000, 'the scheduled runs to book the new orders');
    const ids = armed.map((r) => r.id);
    await waitFor(async () => (await db.pool.query("SELECT 1 FROM mapline_jobs.job WHERE id = ANY($1) AND state = 'completed'", [ids])).rowCount === ids.length, 45_000, 'the armed timers to fire');
    expect(worker.lines.some((l) => l.event === 'job' && l.reason === 'schedule')).toBe(true);
    for (const tenant of tenants) expect(await auditTenant(db, tenant)).toEqual([]);

    worker.child.kill('SIGTERM');
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    expect(worker.lines.at(-1)).toMatchObject({ event: 'stopped' });
    expect(worker.stderr()).toBe('');
  }, 120_000);
});
