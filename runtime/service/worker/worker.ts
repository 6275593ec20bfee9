import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type PgBoss from 'pg-boss';
import { ConfigError } from '../../config/load.js';
import { messageOf } from '../../message-of.js';
import { SecretKeyError } from '../../secrets/secret-box.js';
import type { MaplineDatabase } from '../database.js';
import { JOB_DEFAULTS, JobQueue } from '../jobs/job-queue.js';
import { ARM_QUEUE, RUN_QUEUE, TIMER_QUEUE, type RunJob, type TimerJob } from '../jobs/names.js';
import { everyMinutesOf } from '../jobs/schedule-of.js';
import { IntegrationRegistry, RegistryError } from '../registry.js';
import { runSlice, SliceFailed, type SliceOutcome } from './run-slice.js';

export interface WorkerOptions {
  /** Jobs run at once by this worker (default 2). */
  readonly concurrency?: number;
  /** Records created or updated per job slice (default 200). */
  readonly maxRecords?: number;
  /** See `JobQueueOptions.expireInSeconds`; the flow lock's lease is the same. */
  readonly expireInSeconds?: number;
  readonly retryDelaySeconds?: number;
  /** How often an idle worker asks for a job (default 1 s; pg-boss's minimum is 0.5 s). */
  readonly pollingIntervalSeconds?: number;
  readonly maintenanceIntervalSeconds?: number;
  readonly busyBackoffSeconds?: number;
  readonly settleGraceMs?: number;
  /** The worker's environment: `MAPLINE_SECRET_KEY` and the `env:NAME` references (process.env by default). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Sees each job as it starts and ends (`mapline worker` prints them). */
  readonly onEvent?: (event: WorkerEvent) => void;
}

export type WorkerEvent =
  | { readonly event: 'started'; readonly workerId: string; readonly concurrency: number }
  | {
      readonly event: 'job';
      readonly workerId: string;
      readonly jobId: string;
      readonly integrationId: string;
      readonly flow: string;
      readonly reason: string;
      /** From the moment the job could start (queued, or its back-off over) to a worker taking it (database clock). */
      readonly pickupMs: number;
      readonly durationMs: number;
      readonly outcome: SliceOutcome;
    }
  | { readonly event: 'stopped'; readonly workerId: string };

export interface RunningWorker {
  readonly id: string;
  readonly queue: JobQueue;
  /** Stops taking jobs, lets the jobs in hand end after their current record (handing the rest back), and stops. */
  stop(): Promise<void>;
}

/**
 * A worker: takes jobs from the service database's queue until stopped. Any number of them, on any machines that
 * reach the database and the APIs, share the work; each flow of each integration runs at most once at a time
 * across all of them. A worker that dies (SIGKILL, a power cut) leaves its job active until its expiration, when
 * pg-boss hands it to another; the flow lock, on the same host, is free at once, elsewhere after its lease.
 */
export async function startWorker(db: MaplineDatabase, options: WorkerOptions = {}): Promise<RunningWorker> {
  const id = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const expireInSeconds = options.expireInSeconds ?? JOB_DEFAULTS.expireInSeconds;
  const queue = await JobQueue.open(db, {
    supervise: true,
    expireInSeconds,
    ...(options.retryDelaySeconds !== undefined ? { retryDelaySeconds: options.retryDelaySeconds } : {}),
    ...(options.maintenanceIntervalSeconds !== undefined ? { maintenanceIntervalSeconds: options.maintenanceIntervalSeconds } : {}),
  });
  const registry = new IntegrationRegistry(db);
  const env = options.env ?? process.env;
  const stopping = new AbortController();
  const settings = {
    maxRecords: options.maxRecords ?? 200,
    lockLeaseMs: expireInSeconds * 1000,
    busyBackoffSeconds: options.busyBackoffSeconds ?? 5,
    env,
    ...(options.settleGraceMs !== undefined ? { settleGraceMs: options.settleGraceMs } : {}),
  };
  const work = { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1, includeMetadata: true as const, batchSize: 1 };

  const armAll = async (): Promise<void> => {
    for (const integration of await registry.list()) await queue.armSchedules(integration);
  };
  await armAll();
  await queue.boss.work(ARM_QUEUE, work, armAll);
  await queue.boss.work<TimerJob>(TIMER_QUEUE, work, async ([job]) => {
    const { integrationId, flow } = job!.data;
    const integration = await registry.byId(integrationId);
    // A removed or paused integration's schedule ends here; resume arms it again.
    if (!integration || integration.state !== 'active' || !integration.flows.includes(flow)) return;
    await queue.enqueueRun(integrationId, flow, 'schedule');
    await queue.armTimer(integrationId, flow, everyMinutesOf(integration.config, flow) * 60);
  });
  /** One job of the run queue: one slice of one flow of one integration. */
  const runJob = async (job: PgBoss.JobWithMetadata<RunJob>): Promise<object> => {
    const taken = Date.now();
    await queue.markTaken(job.id, id);
    const report = (outcome: SliceOutcome): void =>
      options.onEvent?.({
        event: 'job',
        workerId: id,
        jobId: job.id,
        integrationId: job.data.integrationId,
        flow: job.data.flow,
        reason: job.data.reason,
        pickupMs: pickupMs(job),
        durationMs: Date.now() - taken,
        outcome,
      });
    try {
      const outcome = await runSlice(db, queue, job.data, settings, stopping.signal);
      report(outcome);
      return { workerId: id, ...outcome };
    } catch (error) {
      // A config or key problem will not mend by itself: reported, not retried. An API away fails the job,
      // which pg-boss tries again after its delay (the schedule runs the flow anyway).
      if ([RegistryError, ConfigError, SecretKeyError].some((kind) => error instanceof kind)) {
        const outcome = { error: messageOf(error), skipped: 'cannot run' };
        report(outcome);
        return { workerId: id, ...outcome };
      }
      report(error instanceof SliceFailed ? error.outcome : { error: messageOf(error) });
      throw error;
    }
  };
  const concurrency = options.concurrency ?? 2;
  for (let i = 0; i < concurrency; i++) {
    // pg-boss 10 waits out the rest of its polling interval after every job; a slot that just ended one asks for the
    // next at once instead (a backlog of short jobs, busy and follow-up slices among them, is not held to one job a
    // slot and interval). When the queue is empty, the usual polling goes on.
    let slot = '';
    slot = await queue.boss.work<RunJob>(RUN_QUEUE, work, async ([job]) => {
      try {
        return await runJob(job!);
      } finally {
        if (!stopping.signal.aborted) queue.boss.notifyWorker(slot);
      }
    });
  }
  options.onEvent?.({ event: 'started', workerId: id, concurrency });

  return {
    id,
    queue,
    stop: async () => {
      stopping.abort();
      await queue.close({ graceful: true, timeoutMs: Math.max(10_000, expireInSeconds * 1000) });
      options.onEvent?.({ event: 'stopped', workerId: id });
    },
  };
}

/** Database-clock time from when the job could first start to when it was taken. */
function pickupMs(job: PgBoss.JobWithMetadata<RunJob>): number {
  const ready = Math.max(new Date(job.createdOn).getTime(), new Date(job.startAfter).getTime());
  return Math.max(0, new Date(job.startedOn).getTime() - ready);
}
