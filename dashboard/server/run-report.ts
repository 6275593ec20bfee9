import type { SyncOutcome } from '../../runtime/sync.js';
import type { DashboardRunReport } from './backend.js';

/** A run's outcome as the dashboard reports it; `failure` when the run failed as a whole. */
export function dashboardReport(outcome: SyncOutcome | undefined, failure?: string): DashboardRunReport {
  if (!outcome || outcome.kind !== 'ran') return { flows: [], errors: [failure ?? 'the .map files do not compile'] };
  const { result } = outcome;
  return {
    flows: result.flows.map((f) => ({ flow: f.flow, created: f.summary.created, updated: f.summary.updated, skipped: f.summary.skipped, failed: f.summary.failed })),
    errors: result.errors.map((e) => e.message),
  };
}
