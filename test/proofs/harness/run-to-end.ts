import type { RunResult } from '../../../runtime/engine/index.js';
import { accountingEmails, auditBooks, expectedBooks, isDataFailure } from './books.js';
import type { ProofEnv } from './env.js';
import { ageIntents, SCHEDULER_INTERVAL_MS } from './state-clock.js';

export interface RunToEndReport {
  /** Every run's result, in order. */
  readonly runs: readonly RunResult[];
  /** True when the last run had only data failures (or none) and no run-level errors. */
  readonly endedWell: boolean;
  /** What is wrong with eAccounting afterwards (empty = exactly once, nothing missing). */
  readonly problems: string[];
}

/**
 * Runs the flows in this process until a run ends well (only data failures left) or `maxRuns` is reached, as a
 * merchant's scheduler would rerun after a bad run (some minutes later: see `ageIntents`); then audits eAccounting against the shop's data.
 */
export async function runToTheEnd(env: ProofEnv, options: { maxRuns?: number; beforeRun?: (run: number) => void } = {}): Promise<RunToEndReport> {
  const customersBefore = accountingEmails(env.sandboxes);
  const runs: RunResult[] = [];
  let endedWell = false;
  for (let run = 0; run < (options.maxRuns ?? 6) && !endedWell; run++) {
    if (run > 0) ageIntents(env.stateFile, SCHEDULER_INTERVAL_MS); // a scheduled rerun comes minutes later
    options.beforeRun?.(run);
    const result = await env.sync();
    runs.push(result);
    const failures = result.flows.flatMap((f) => f.records.filter((r) => r.action === 'fail'));
    endedWell = result.errors.length === 0 && failures.every((f) => isDataFailure(f.reason));
  }
  const store = env.state();
  try {
    const problems = auditBooks(env.sandboxes, expectedBooks(env.sandboxes, customersBefore), {
      quarantine: await store.listQuarantine(),
      pendingWrites: (await store.listPendingWrites()).length,
    });
    return { runs, endedWell, problems };
  } finally {
    await store.close();
  }
}

/** Requests the sandboxes logged with a fault or with this status. */
export function countLogged(env: ProofEnv, match: (entry: { status: number | null; fault?: string }) => boolean): number {
  const { ccvshop, eaccounting } = env.sandboxes;
  return [...ccvshop.control.requests(), ...eaccounting.control.requests()].filter(match).length;
}
