/** A job in the scheduler's queue, as the dashboard shows it. */
export interface JobRow {
  readonly id: string;
  readonly integration: string;
  readonly flow: string | null;
  readonly state: string;
  /** The worker that holds it (host and pid), while it is active. */
  readonly worker: string | null;
  readonly startAfter: string | null;
}

/**
 * The scheduler as the dashboard reads it: when a flow runs next, and the job queue with which worker holds what.
 * The dashboard depends on this interface only, so the scheduler behind it (pg-boss in service mode) can change.
 */
export interface JobView {
  /** null when the dashboard has no scheduler (`scheduler` says so); else a short description of it. */
  readonly scheduler: string | null;
  nextRun(integration: string, flow: string): Promise<string | null>;
  jobs(integrations: readonly string[]): Promise<JobRow[]>;
}

/**
 * No scheduler configured (one-shop mode runs from cron or `--watch`; service mode before the worker exists):
 * there is no next run to tell and no queue, and the page says so instead of showing empty columns as if known.
 */
export const NO_SCHEDULER: JobView = {
  scheduler: null,
  nextRun: async () => null,
  jobs: async () => [],
};
