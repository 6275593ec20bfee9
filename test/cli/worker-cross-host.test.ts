import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type MaplineDatabase } from '../../runtime/service/database.js';
import { JobQueue } from '../../runtime/service/jobs/index.js';
import { INTEGRATION_LOCK } from '../../runtime/service/worker/run-slice.js';
import { createdRecords } from '../helpers/created.js';
import { freshDatabase, postgresForTests, type TestDatabase } from '../helpers/postgres.js';
import { auditTenant, bookedOrders, spawnWorker, startTenant, waitFor, type Tenant, type WorkerProcess } from '../helpers/service-tenants.js';
import { maplineCli } from '../proofs/harness/cli-bundle.js';

/**
 * `mapline worker` SIGKILLed on one machine and recovered by a worker on another. The killed worker runs in its own
 * UTS namespace under another host name, so its flow lock names a host the survivor cannot look into: no pid check
 * frees it, only its lease running out. The survivor must keep off the flow until then, and then finish it, every
 * eligible order booked exactly once.
 */
const postgres = await postgresForTests(import.meta.filename);

const OTHER_HOST = 'mapline-host-b';
/** The lease (and job expiration): long enough that the survivor surely asks while it runs, short for the test. */
const LEASE_SECONDS = 20;
const FLAGS = ['--concurrency', '2', '--expire-seconds', String(LEASE_SECONDS), '--retry-seconds', '1', '--poll-seconds', '0.5', '--maintenance-seconds', '1', '--busy-seconds', '1', '--settle-grace-seconds', '1'];

/** Why a process cannot be given another host name here (undefined: it can). Needs root and util-linux's unshare. */
function otherHostProblem(): string | undefined {
  const probe = spawnSync('unshare', ['--uts', 'sh', '-c', 'hostname "$0" && hostname', OTHER_HOST], { encoding: 'utf8', timeout: 10_000 });
  if (probe.error) return `unshare --uts failed: ${probe.error.message}`;
  if (probe.status !== 0) return `unshare --uts exited ${probe.status}: ${probe.stderr.trim()}`;
  if (probe.stdout.trim() !== OTHER_HOST) return `the host name inside unshare --uts was "${probe.stdout.trim()}"`;
  if (hostname() === OTHER_HOST) return `this machine is called ${OTHER_HOST} already`;
  return undefined;
}

const otherHost = postgres ? otherHostProblem() : undefined;
if (otherHost !== undefined) {
  const why = `${otherHost} (a second host is simulated with \`unshare --uts\`, which needs root)`;
  if (process.env.CI && !['0', 'false'].includes(process.env.CI)) throw new Error(`${import.meta.filename}: the cross-host worker test cannot run and CI is set: ${why}`);
  console.warn(`${import.meta.filename}: SKIPPED: ${why}`);
}

interface LockRow {
  readonly name: string;
  readonly host: string;
  readonly pid: number;
  readonly expires_at: Date;
}

describe.skipIf(!postgres || otherHost !== undefined)('mapline worker on two hosts', () => {
  let database: TestDatabase;
  let db: MaplineDatabase;
  let queue: JobQueue;
  let dir: string;
  let cli: string;
  let tenant: Tenant;
  const env = { MAPLINE_SECRET_KEY: randomBytes(32).toString('base64') };
  const workers: WorkerProcess[] = [];
  const spawn = (options: { hostname?: string } = {}): WorkerProcess => {
    const worker = spawnWorker(cli, FLAGS, { ...env, MAPLINE_DATABASE_URL: database.url }, options);
    workers.push(worker);
    return worker;
  };
  const idOf = async (worker: WorkerProcess): Promise<string> => {
    await waitFor(() => worker.lines.some((l) => l.event === 'started') || worker.child.exitCode !== null, 30_000, 'the worker to start');
    const started = worker.lines.find((l) => l.event === 'started');
    if (!started) throw new Error(`the worker exited before it started: ${worker.stderr()}`);
    return String(started.workerId);
  };
  const locks = async (): Promise<LockRow[]> =>
    (await db.pool.query<LockRow>('SELECT name, host, pid, expires_at FROM mapline.locks WHERE integration_id = $1 ORDER BY name', [tenant.integration.id])).rows;
  /** Everything the runs created in the tenant's accounting company (customers and orders). */
  const created = (): number => tenant.sandboxes.eaccounting.control.created().length;
  const jobs = (worker: WorkerProcess): { flow: string; outcome: Record<string, unknown> }[] =>
    worker.lines.filter((l) => l.event === 'job') as unknown as { flow: string; outcome: Record<string, unknown> }[];

  beforeAll(async () => {
    database = await freshDatabase();
    db = await openDatabase(database.url);
    dir = mkdtempSync(join(tmpdir(), 'mapline-worker-cross-host-'));
    cli = await maplineCli();
    tenant = await startTenant(db, dir, 0, { orders: 18, env });
    queue = await JobQueue.open(db);
  });
  afterAll(async () => {
    for (const worker of workers) if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
    await Promise.all(workers.map((w) => w.exited));
    await queue?.close();
    await db?.close();
    await tenant?.sandboxes.close();
    await database?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("takes a SIGKILLed worker's flow over from another host only once its lease is over, and books every order once", async () => {
    const total = tenant.expected().mustBook.size;
    expect(total).toBeGreaterThanOrEqual(8);
    // A slow accounting API makes the orders slice long, so worker B is surely inside it, holding the locks, when killed.
    tenant.sandboxes.eaccounting.control.setFaults({ latencyMs: 100 });

    // Worker B, "on another machine": os.hostname() in it is mapline-host-b, and it is the spawned child itself.
    const b = spawn({ hostname: OTHER_HOST });
    expect(await idOf(b)).toMatch(new RegExp(`^${OTHER_HOST}:${b.child.pid}:`));
    for (const flow of ['customers', 'orders']) await queue.enqueueRun(tenant.integration.id, flow, 'manual');

    // Mid-flow: some orders booked, several left, and B holds the integration's lock and its orders flow lock.
    await waitFor(
      async () => {
        const booked = bookedOrders(tenant);
        if (booked < 2 || booked > total - 4) return false;
        const held = await locks();
        return [INTEGRATION_LOCK, 'flow:orders'].every((name) => held.some((l) => l.name === name && l.host === OTHER_HOST));
      },
      45_000,
      'worker B in the middle of the orders flow',
      5,
    );
    b.child.kill('SIGKILL');
    const killedAt = Date.now();
    expect(await b.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const bookedByB = bookedOrders(tenant);
    expect(bookedByB).toBeGreaterThan(0);
    expect(bookedByB).toBeLessThan(total);

    // B left both locks behind, naming its host and pid, with time left on their lease.
    const left = await locks();
    expect(left.map(({ name, host, pid }) => ({ name, host, pid }))).toEqual([
      { name: 'flow:orders', host: OTHER_HOST, pid: b.child.pid },
      { name: INTEGRATION_LOCK, host: OTHER_HOST, pid: b.child.pid },
    ]);
    const leaseEnds = Math.min(...left.map((l) => l.expires_at.getTime()));
    expect(leaseEnds).toBeGreaterThan(Date.now());
    tenant.sandboxes.eaccounting.control.setFaults({ latencyMs: 0 });

    // Worker A on this host; an operator asks for the orders flow at once.
    const a = spawn();
    expect(await idOf(a)).toMatch(new RegExp(`^${hostname()}:${a.child.pid}:`));
    await queue.enqueueRun(tenant.integration.id, 'orders', 'manual');

    // (1) A cannot tell whether B's process still runs over there: it finds the flow busy and keeps off it while
    // the lease runs. The lock still names B's host, and nothing more is booked.
    await waitFor(() => jobs(a).some((j) => j.outcome.busy === true), 30_000, 'worker A to find the flow running elsewhere');
    const busyAt = Date.now();
    expect(busyAt).toBeLessThan(leaseEnds);
    const createdWhileBusy = created();
    let checks = 0;
    while (Date.now() < leaseEnds - 300) {
      const held = await locks();
      expect(held.filter((l) => l.name === INTEGRATION_LOCK).map((l) => [l.host, l.pid])).toEqual([[OTHER_HOST, b.child.pid]]);
      expect(created()).toBe(createdWhileBusy);
      checks++;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(checks).toBeGreaterThan(0);
    expect(bookedOrders(tenant)).toBe(bookedByB);

    // (2) Once the lease is over, A takes the flow over and finishes it (B's unanswered create, if any, settled by its key).
    const problems = (): Promise<string[]> => auditTenant(db, tenant);
    await waitFor(async () => bookedOrders(tenant) === total && (await problems()).length === 0, 45_000, 'worker A to finish the flow', 50).catch(async (error: Error) => {
      throw new Error(`${error.message}: ${(await problems()).slice(0, 10).join('; ')}`);
    });
    const doneAt = Date.now();
    // A's own report (printed once its slice has ended) says it booked orders.
    await waitFor(() => jobs(a).some((j) => j.flow === 'orders' && Number(j.outcome.created) > 0), 30_000, 'worker A to report the orders it booked');
    await waitFor(async () => (await locks()).length === 0, 30_000, "worker A to release the integration's locks");

    // (3) Every eligible order exactly once, none lost, no customer twice, no create left pending (auditTenant), and
    // the orders in the company are exactly the eligible ones.
    expect(await problems()).toEqual([]);
    const references = createdRecords(tenant.sandboxes.eaccounting.control, 'orders').map((o) => String(o.YourReference));
    expect(references.length).toBe(new Set(references).size);
    expect(new Set(references)).toEqual(tenant.expected().mustBook);

    a.child.kill('SIGTERM');
    expect(await a.exited).toEqual({ code: 0, signal: null });
    const busy = jobs(a).filter((j) => j.outcome.busy === true).length;
    const s = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
    process.stdout.write(
      `worker cross-host proof: B (${OTHER_HOST}) killed after ${bookedByB}/${total} orders with ${s(leaseEnds - killedAt)} of lease left; ` +
        `A found the flow busy ${s(busyAt - killedAt)} after the kill (${busy} busy job(s)), booked nothing while the lease ran, ` +
        `and had booked the rest ${s(doneAt - leaseEnds)} after it; every order once\n`,
    );
  }, 90_000);
});
