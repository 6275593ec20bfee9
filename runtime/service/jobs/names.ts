/** PostgreSQL schema of pg-boss's tables, next to Mapline's own `mapline` schema in the service database. */
export const JOBS_SCHEMA = 'mapline_jobs';

/** One bounded slice of one flow of one integration (`runtime/service/worker/`). */
export const RUN_QUEUE = 'mapline-run';
/** The schedules: one delayed job per active integration and flow, which enqueues a run when it comes due. */
export const TIMER_QUEUE = 'mapline-timer';
/** A pg-boss cron schedule (every minute) that arms the timers of integrations added or resumed since. */
export const ARM_QUEUE = 'mapline-arm';

/** Why a run was asked for: shown in `listJobs()` and the dashboard. */
export type RunReason = 'schedule' | 'webhook' | 'more' | 'busy' | 'handed-back' | 'manual';

/**
 * A run job's payload: which flow of which integration, and why. Never a secret: a worker reads the integration's
 * secrets from the database and its own environment when it runs the job.
 */
export interface RunJob {
  readonly integrationId: string;
  readonly flow: string;
  readonly reason: RunReason;
}

/** A timer job's payload. */
export interface TimerJob {
  readonly integrationId: string;
  readonly flow: string;
}

/** The singleton key of a flow of an integration: at most one queued job per key (pg-boss dedupes on it). */
export function flowKey(integrationId: string, flow: string): string {
  return `${integrationId}/${flow}`;
}
