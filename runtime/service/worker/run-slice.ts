import type { MaplineDatabase } from '../database.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { RunJob } from '../jobs/names.js';
import { IntegrationRegistry } from '../registry.js';
import { runIntegration } from '../run-integration.js';

/** How a worker runs its slices. */
export interface SliceSettings {
  /** Records created or updated per slice before the slice ends and a follow-up is queued. */
  readonly maxRecords: number;
  /** The flow lock's lease, renewed while the slice runs; at least the job expiration. */
  readonly lockLeaseMs: number;
  /** Wait before a job that found its flow running elsewhere is tried again. */
  readonly busyBackoffSeconds: number;
  readonly settleGraceMs?: number;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** What one run job did: the output pg-boss keeps with it, and what `mapline worker --json` prints. */
export interface SliceOutcome {
  readonly integration?: string;
  /** Not run: the integration was removed or paused, or has no such flow any more. */
  readonly skipped?: string;
  /** The flow was running elsewhere (another worker's job): asked again after a back-off. */
  readonly busy?: boolean;
  readonly read?: number;
  readonly created?: number;
  readonly updated?: number;
  readonly skippedRecords?: number;
  readonly failed?: number;
  /** The slice's budget ended it with records left: a follow-up was queued (behind the other flows' jobs). */
  readonly more?: boolean;
  /** The worker was stopping: the rest was handed back as a new job. */
  readonly handedBack?: boolean;
  /** Why the flow could not run (the job is retried by pg-boss). */
  readonly error?: string;
}

/** The flow could not run at all (an API away): the job fails, and pg-boss tries it again after its delay. */
export class SliceFailed extends Error {
  constructor(message: string, readonly outcome: SliceOutcome) {
    super(message);
    this.name = 'SliceFailed';
  }
}

/**
 * Runs one job: one bounded slice of one flow of one integration, through `runIntegration` with the engine's
 * budget. More records left, or a stop asked for, queue a follow-up so the flow goes on, behind the other
 * integrations' jobs (fair shares by slices). A flow running elsewhere is asked again after a back-off, never run
 * twice at once: the engine's flow lock decides.
 */
export async function runSlice(db: MaplineDatabase, queue: JobQueue, job: RunJob, settings: SliceSettings, signal: AbortSignal): Promise<SliceOutcome> {
  const integration = await new IntegrationRegistry(db).byId(job.integrationId);
  if (!integration) return { skipped: 'the integration was removed' };
  const named = { integration: integration.name };
  if (integration.state === 'paused') return { ...named, skipped: 'the integration is paused' };
  if (!integration.flows.includes(job.flow)) return { ...named, skipped: `the integration has no flow ${job.flow} any more` };
  const report = await runIntegration(db, {
    name: integration.name,
    flows: [job.flow],
    env: settings.env,
    maxRecords: settings.maxRecords,
    lockLeaseMs: settings.lockLeaseMs,
    signal,
    ...(settings.settleGraceMs !== undefined ? { settleGraceMs: settings.settleGraceMs } : {}),
  });
  const result = report.outcome?.kind === 'ran' ? report.outcome.result : undefined;
  if (result?.errors.some((e) => e.busy)) {
    await queue.enqueueRun(integration.id, job.flow, 'busy', settings.busyBackoffSeconds);
    return { ...named, busy: true };
  }
  const flow = result?.flows.find((f) => f.flow === job.flow);
  const failure = report.failure ?? result?.errors.find((e) => e.flow === job.flow)?.message;
  if (!flow) throw new SliceFailed(failure ?? `flow ${job.flow} did not run`, { ...named, error: failure ?? 'did not run' });
  const handedBack = flow.stopped === true;
  const more = flow.more === true;
  if (handedBack || more) await queue.enqueueRun(integration.id, job.flow, handedBack ? 'handed-back' : 'more');
  const { read, created, updated, skipped, failed } = flow.summary;
  return { ...named, read, created, updated, skippedRecords: skipped, failed, ...(more ? { more } : {}), ...(handedBack ? { handedBack } : {}) };
}
