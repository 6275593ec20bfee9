import type { JobQueue, RunReason } from '../../runtime/service/jobs/index.js';
import type { DashboardIntegration } from './backend.js';

/** A run job in the scheduler's queue, as the dashboard shows it. */
export interface JobRow {
  readonly id: string;
  /** The integration's name; null when it was removed while the job waited. */
  readonly integration: string | null;
  readonly flow: string;
  /** Why it was asked for: `schedule`, `webhook`, `manual` (Run now), `more` (the rest of a bounded slice), ... */
  readonly reason: RunReason;
  /** `queued`, `retry` (waiting again after a failed or lost try), `active` (a worker runs it). */
  readonly state: 'queued' | 'retry' | 'active';
  /** The worker that holds it (`host:pid:...`), while it is active. */
  readonly worker: string | null;
  readonly startedAt: string | null;
  /** Not started before this. */
  readonly runAfter: string;
}

/** What "Run now" did: run in the dashboard's process (no scheduler) or asked the scheduler. */
export interface EnqueueReport {
  readonly queued: readonly { readonly flow: string; readonly queued: boolean }[];
}

/**
 * The scheduler as the dashboard reads and drives it: when a flow runs next, the job queue with which worker
 * holds what, and "Run now" as a job. The dashboard depends on this interface only; service mode has pg-boss
 * behind it (`jobQueueView`), one-shop mode none (`NO_SCHEDULER`).
 */
export interface JobView {
  /** null when the dashboard has no scheduler; else a short description of it. */
  readonly scheduler: string | null;
  nextRun(integration: DashboardIntegration, flow: string): Promise<string | null>;
  /** The run jobs of these integrations (the ones the viewer may see), oldest first. */
  jobs(integrations: readonly DashboardIntegration[]): Promise<JobRow[]>;
  /** Asks the scheduler to run the flows; absent when there is none (the dashboard runs them itself). */
  readonly enqueue?: (integration: DashboardIntegration, flows: readonly string[]) => Promise<EnqueueReport>;
  close(): Promise<void>;
}

/**
 * No scheduler (one-shop mode runs from cron or `--watch`): there is no next run to tell and no queue, and the
 * page says so instead of showing empty columns as if known.
 */
export const NO_SCHEDULER: JobView = {
  scheduler: null,
  nextRun: async () => null,
  jobs: async () => [],
  close: async () => undefined,
};

/**
 * The service's pg-boss queue (`runtime/service/jobs`), which `mapline worker` processes. Integrations are
 * matched by their registry id (a removed and re-added name is another integration); "Run now" is a `manual`
 * job, at most one waiting per flow (a second click while one waits adds nothing, and says so).
 */
export function jobQueueView(queue: JobQueue): JobView {
  return {
    scheduler: 'pg-boss (mapline worker)',
    async nextRun(integration, flow) {
      if (!integration.id) return null;
      return (await queue.nextRunOf(integration.id, flow))?.toISOString() ?? null;
    },
    async jobs(integrations) {
      const visible = new Set(integrations.map((i) => i.id));
      return (await queue.listJobs())
        .filter((job) => visible.has(job.integrationId))
        .map((job) => ({
          id: job.id,
          integration: job.integration ?? null,
          flow: job.flow,
          reason: job.reason,
          state: job.state,
          worker: job.workerId ?? null,
          startedAt: job.startedAt?.toISOString() ?? null,
          runAfter: job.runAfter.toISOString(),
        }));
    },
    async enqueue(integration, flows) {
      const queued: { flow: string; queued: boolean }[] = [];
      for (const flow of flows) queued.push({ flow, queued: await queue.enqueueRun(integration.id!, flow, 'manual') });
      return { queued };
    },
    close: () => queue.close(),
  };
}
