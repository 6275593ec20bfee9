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
  /**
   * Open quarantine entries (before the `--retry-failed` run) of records that are linked, i.e. done: the merchant
   * is told a record failed that in fact went through. Empty when the runtime resolves what it settles.
   */
  readonly staleQuarantine: string[];
  /** Whether open non-data entries were left for a `--retry-failed` run (as docs/runtime.md tells users to do). */
  readonly neededRetryFailed: boolean;
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
  const { staleQuarantine, neededRetryFailed } = await retryWhatFailed(env, async () => {
    runs.push(await env.sync({ retryFailed: true }));
  });

  const store = env.state();
  try {
    const problems = auditBooks(env.sandboxes, expectedBooks(env.sandboxes, customersBefore), {
      quarantine: await store.listQuarantine(),
      pendingWrites: (await store.listPendingWrites()).length,
    });
    return { runs, endedWell, problems, staleQuarantine, neededRetryFailed };
  } finally {
    await store.close();
  }
}

/** Requests the sandboxes logged with a fault or with this status. */
export function countLogged(env: ProofEnv, match: (entry: { status: number | null; fault?: string }) => boolean): number {
  const { ccvshop, eaccounting } = env.sandboxes;
  return [...ccvshop.control.requests(), ...eaccounting.control.requests()].filter(match).length;
}

/**
 * Records that failed for a passing reason are retried when read again; older ones (outside the re-poll window)
 * wait in quarantine for `mapline run --retry-failed`, as docs/runtime.md tells users. When open non-data entries
 * are left, notes those whose record is linked (done, yet reported as failed), then runs `retry` once.
 */
export async function retryWhatFailed(env: ProofEnv, retry: () => Promise<void>): Promise<{ staleQuarantine: string[]; neededRetryFailed: boolean }> {
  const staleQuarantine: string[] = [];
  let neededRetryFailed = false;
  const store = env.state();
  try {
    for (const entry of await store.listQuarantine()) {
      if (isDataFailure(entry.reason)) continue;
      neededRetryFailed = true;
      if (await store.getLink(entry.flow, entry.sourceId)) staleQuarantine.push(`${entry.flow} ${entry.sourceId} is linked (done) but still quarantined: ${entry.reason}`);
    }
  } finally {
    await store.close();
  }
  if (neededRetryFailed) await retry();
  return { staleQuarantine, neededRetryFailed };
}
