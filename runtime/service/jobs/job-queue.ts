import PgBoss from 'pg-boss';
import type { MaplineDatabase } from '../database.js';
import type { Integration } from '../registry.js';
import { listJobs, type QueuedJob } from './list-jobs.js';
import { ARM_QUEUE, flowKey, JOBS_SCHEMA, RUN_QUEUE, TIMER_QUEUE, type RunJob, type RunReason, type TimerJob } from './names.js';
import { nextRunFromJobs } from './next-run.js';
import { everyMinutesOf } from './schedule-of.js';

export interface JobQueueOptions {
  /**
   * An active job older than this is taken to be lost (its worker died) and handed to another worker. Must be
   * comfortably above the slowest job slice; the flow lock's lease is at least this (default 600 s).
   */
  readonly expireInSeconds?: number;
  /** Wait before a failed or expired job is tried again (default 30 s), doubling with each try. */
  readonly retryDelaySeconds?: number;
  /**
   * Workers only: run pg-boss's maintenance (expiring jobs of dead workers, archiving) and its cron monitor, every
   * this many seconds (default 60). A CLI command or the dashboard only reads and enqueues, and leaves it off.
   */
  readonly maintenanceIntervalSeconds?: number;
  readonly supervise?: boolean;
}

/** Defaults of `JobQueueOptions`, for the worker's lease and its documentation. */
export const JOB_DEFAULTS = { expireInSeconds: 600, retryDelaySeconds: 30, maintenanceIntervalSeconds: 60, retryLimit: 8 } as const;

/**
 * The service's job queue: pg-boss 10 in the service database (schema `mapline_jobs`), so it is shared by every
 * worker on every machine. Three queues:
 *
 * - `mapline-run`: one bounded slice of one flow of one integration. Policy `short` with `singletonKey =
 *   <integration id>/<flow>`: at most one job per flow waits, so a webhook asking while one waits adds nothing.
 *   At most one per flow *runs*: the engine's flow lock, which a second job finds held and backs off from.
 * - `mapline-timer`: the schedules, one delayed job per active integration and flow (same key), which enqueues a
 *   run when due and arms the next. They live in pg-boss's table, so they survive restarts of every worker.
 * - `mapline-arm`: a pg-boss cron schedule (every minute) that arms the timers of new or resumed integrations.
 *
 * A job's payload is the integration id, the flow and why; never a secret.
 */
export class JobQueue {
  private constructor(
    readonly boss: PgBoss,
    private readonly db: MaplineDatabase,
    private readonly options: Required<Pick<JobQueueOptions, 'expireInSeconds' | 'retryDelaySeconds'>>,
  ) {}

  /** Opens the queue in the service database, installing or migrating pg-boss's schema on first use. */
  static async open(db: MaplineDatabase, options: JobQueueOptions = {}): Promise<JobQueue> {
    const supervise = options.supervise ?? false;
    const boss = new PgBoss({
      db: { executeSql: (text: string, values: unknown[]) => db.pool.query(text, values) },
      schema: JOBS_SCHEMA,
      supervise,
      schedule: supervise,
      maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? JOB_DEFAULTS.maintenanceIntervalSeconds,
      ...(supervise ? { cronMonitorIntervalSeconds: 1, cronWorkerIntervalSeconds: 1 } : {}),
    });
    // pg-boss reports its background failures (a dropped connection) as events; a worker goes on and retries.
    boss.on('error', (error) => process.stderr.write(`mapline jobs: ${error.message}\n`));
    // pg-boss's first start on a new database (CREATE SCHEMA) and its create_queue fail or deadlock when several
    // processes run them at once (workers started together): one process at a time, under an advisory lock.
    await oneAtATime(db, async () => {
      await boss.start();
      for (const name of [RUN_QUEUE, TIMER_QUEUE, ARM_QUEUE]) await boss.createQueue(name, { name, policy: 'short' });
    });
    const queue = new JobQueue(boss, db, {
      expireInSeconds: options.expireInSeconds ?? JOB_DEFAULTS.expireInSeconds,
      retryDelaySeconds: options.retryDelaySeconds ?? JOB_DEFAULTS.retryDelaySeconds,
    });
    if (supervise) await boss.schedule(ARM_QUEUE, '* * * * *', {}, { singletonKey: 'arm' });
    return queue;
  }

  /**
   * Asks for a run of one flow of one integration, now or after `afterSeconds`. False when one is waiting already
   * (that one will do: it reads whatever is new when it starts).
   */
  async enqueueRun(integrationId: string, flow: string, reason: RunReason, afterSeconds = 0): Promise<boolean> {
    const job: RunJob = { integrationId, flow, reason };
    const id = await this.boss.send(RUN_QUEUE, job, {
      singletonKey: flowKey(integrationId, flow),
      expireInSeconds: this.options.expireInSeconds,
      retryLimit: JOB_DEFAULTS.retryLimit,
      retryDelay: this.options.retryDelaySeconds,
      retryBackoff: true,
      ...(afterSeconds > 0 ? { startAfter: afterSeconds } : {}),
    });
    return id !== null;
  }

  /**
   * Arms the schedule of each of the integration's flows: a timer job due after the flow's interval, unless one
   * is armed already (then that one stays). Paused integrations are not armed.
   */
  async armSchedules(integration: Integration): Promise<void> {
    if (integration.state !== 'active') return;
    for (const flow of integration.flows) await this.armTimer(integration.id, flow, everyMinutesOf(integration.config, flow) * 60);
  }

  /** The timer of one flow, due in `seconds`; no-op when one is armed already. */
  async armTimer(integrationId: string, flow: string, seconds: number): Promise<void> {
    const timer: TimerJob = { integrationId, flow };
    await this.boss.send(TIMER_QUEUE, timer, {
      singletonKey: flowKey(integrationId, flow),
      startAfter: new Date(Date.now() + Math.max(1, Math.round(seconds * 1000))),
      expireInSeconds: this.options.expireInSeconds,
      retryLimit: JOB_DEFAULTS.retryLimit,
      retryDelay: this.options.retryDelaySeconds,
    });
  }

  /** Drops the integration's armed timers and waiting runs (pause, remove). */
  async disarm(integrationId: string): Promise<number> {
    const { rows } = await this.db.pool.query<{ name: string; id: string }>(
      `SELECT name, id FROM ${JOBS_SCHEMA}.job WHERE name = ANY($1) AND state IN ('created', 'retry') AND data->>'integrationId' = $2`,
      [[RUN_QUEUE, TIMER_QUEUE], integrationId],
    );
    for (const name of [RUN_QUEUE, TIMER_QUEUE]) {
      const ids = rows.filter((r) => r.name === name).map((r) => r.id);
      if (ids.length > 0) await this.boss.cancel(name, ids);
    }
    return rows.length;
  }

  /** The runs waiting, retrying after a failure, and running now, oldest first. */
  listJobs(): Promise<QueuedJob[]> {
    return listJobs(this.db.pool);
  }

  /** When the flow runs next: a waiting run's start, else its schedule's; null when neither is armed. */
  nextRunOf(integrationId: string, flow: string): Promise<Date | null> {
    return nextRunFromJobs(this.db.pool, integrationId, flow);
  }

  /** Notes on an active job which worker holds it (for `listJobs`); pg-boss overwrites it with the job's output. */
  async markTaken(jobId: string, workerId: string): Promise<void> {
    await this.db.pool.query(`UPDATE ${JOBS_SCHEMA}.job SET output = $3 WHERE name = $1 AND id = $2 AND state = 'active'`, [RUN_QUEUE, jobId, JSON.stringify({ workerId })]);
  }

  /** Stops pg-boss; with `graceful`, active work handlers are waited for (up to `timeoutMs`). The pool stays open. */
  async close(options: { readonly graceful?: boolean; readonly timeoutMs?: number } = {}): Promise<void> {
    await this.boss.stop({ graceful: options.graceful ?? false, wait: true, close: false, timeout: options.timeoutMs ?? 30_000 });
  }
}

/** Advisory lock key of pg-boss's start-up (any constant distinct from the migration lock's). */
const CREATE_QUEUES_LOCK = 0x6d61706c696e6571n;

/** Runs `work` while holding a session advisory lock on a connection of its own (`work` uses the pool's others). */
async function oneAtATime(db: MaplineDatabase, work: () => Promise<void>): Promise<void> {
  const client = await db.pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [CREATE_QUEUES_LOCK.toString()]);
    try {
      await work();
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [CREATE_QUEUES_LOCK.toString()]);
    }
  } finally {
    client.release();
  }
}
