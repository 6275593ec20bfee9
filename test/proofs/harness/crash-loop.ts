import { SeededRandom } from '../../../connectors/sandbox/rng.js';
import type { RunningSandboxes } from '../../../connectors/sandbox/index.js';
import { accountingEmails, auditBooks, expectedBooks, isDataFailure } from './books.js';
import type { ProofEnv } from './env.js';
import { retryWhatFailed } from './run-to-end.js';
import { addFreshOrders } from './shop-growth.js';
import { ageIntents, SCHEDULER_INTERVAL_MS } from './state-clock.js';

/**
 * Where a kill lands. Each mode aims at another window of a create:
 * - `held-write`: the next write to eAccounting is held 40 ms by the sandbox and the runner dies the moment it
 *   arrives, so the write is applied after its sender is gone (intent recorded, outcome never seen);
 * - `after-writes`: the runner dies a few ms after its n-th write was answered (response sent, link maybe not saved);
 * - `after-requests`: the runner dies after n requests of any kind (reads, settling, lookups, upserts);
 * - `after-time`: the runner dies n ms after it was started (start-up, compile, migrations, token refresh).
 */
export type KillMode = 'held-write' | 'after-writes' | 'after-requests' | 'after-time';
const MODES: readonly KillMode[] = ['held-write', 'after-writes', 'after-requests', 'after-time'];

export interface CrashLoopReport {
  readonly kills: number;
  readonly runs: number;
  readonly byMode: Record<KillMode, number>;
  /** Runs that ended on their own while a kill was planned (the kill point was never reached). */
  readonly finishedBeforeKill: number;
  /** Everything wrong with the books afterwards (empty = exactly once, nothing missing). */
  readonly problems: string[];
  /** Open quarantine entries of records that are in fact linked (done), before `--retry-failed` cleared them. */
  readonly staleQuarantine: string[];
  /** Exit status of the last (unkilled) run and of the rerun after it. */
  readonly finalStatus: number | null;
  readonly rerunCreated: number;
}

const MAX_CLEAN_RUNS = 5;

/**
 * Runs `mapline run` again and again, killing it with SIGKILL at seeded random moments until `kills` kills
 * have landed, then lets it run to the end (rerunning while records are quarantined for non-data reasons) and
 * audits eAccounting against the shop's data: every eligible order booked exactly once, every customer once.
 */
export async function crashLoop(
  env: ProofEnv,
  options: { seed: string; kills: number; log?: (line: string) => void; onKill?: (kills: number) => void },
): Promise<CrashLoopReport> {
  const random = new SeededRandom(`${options.seed}/kills`);
  const { sandboxes } = env;
  const customersBefore = accountingEmails(sandboxes);
  const byMode: Record<KillMode, number> = { 'held-write': 0, 'after-writes': 0, 'after-requests': 0, 'after-time': 0 };
  let kills = 0;
  let runs = 0;
  let finishedBeforeKill = 0;
  while (kills < options.kills) {
    // New shop orders before every run after the first: there is always something to create when the kill lands.
    if (runs > 0) addFreshOrders(sandboxes, random, random.int(1, 2));
    const mode = random.pick(MODES);
    const killWhen = plan(mode, random, sandboxes);
    const result = await env.runAndKill(killWhen);
    runs++;
    if (result.killed) {
      kills++;
      byMode[mode]++;
      options.onKill?.(kills);
    } else {
      finishedBeforeKill++;
      if (result.status !== 0 && !onlyDataFailures(result.stdout)) options.log?.(`run ended with ${result.status}: ${result.stderr || result.stdout}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50)); // let a held write land before the next run
  }

  // The runner leaves an intent whose create it never saw open for a minute (the write may still be in flight
  // at the API); kills come faster than that here. Age the intents as if that minute had passed, so the clean
  // runs settle them instead of reporting them as unsettled.
  ageIntents(env.stateFile, SCHEDULER_INTERVAL_MS);

  let finalStatus: number | null = null;
  for (let attempt = 0; attempt < MAX_CLEAN_RUNS; attempt++) {
    const result = await env.cli(['run']);
    runs++;
    finalStatus = result.status;
    if (result.status === 0 || (result.status === 1 && onlyDataFailures(result.stdout) && !result.stdout.includes('error:'))) break;
    options.log?.(`clean run ${attempt + 1} ended with ${result.status}:\n${result.stdout}${result.stderr}`);
  }
  const { staleQuarantine } = await retryWhatFailed(env, async () => {
    await env.cli(['run', '--retry-failed']);
    runs++;
  });
  const rerun = await env.cli(['run', '--json']);
  runs++;
  const rerunCreated = createdIn(rerun.stdout);

  const store = env.state();
  try {
    const problems = auditBooks(sandboxes, expectedBooks(sandboxes, customersBefore), { quarantine: await store.listQuarantine(), pendingWrites: (await store.listPendingWrites()).length });
    return { kills, runs, byMode, finishedBeforeKill, problems, staleQuarantine, finalStatus, rerunCreated };
  } finally {
    await store.close();
  }
}

function plan(mode: KillMode, random: SeededRandom, sandboxes: RunningSandboxes): () => boolean {
  const ea = sandboxes.eaccounting.control;
  const requestsNow = () => sandboxes.ccvshop.control.state().requests.total + ea.state().requests.total;
  const writesNow = () => Object.entries(ea.state().requests.byRoute).reduce((n, [route, count]) => (/^(POST|PUT)/.test(route) ? n + count : n), 0);
  switch (mode) {
    case 'held-write': {
      // A hold left unused by a run that wrote nothing stays queued; kill when this one is used up.
      const before = ea.state().pendingFaults.length;
      ea.injectFaults([{ kind: 'latency', latencyMs: 40, method: random.pick(['POST', 'PUT', 'POST']), pathPrefix: '/v2/' }]);
      return () => ea.state().pendingFaults.length <= before;
    }
    case 'after-writes': {
      const target = writesNow() + random.int(1, 3);
      const delayMs = random.int(0, 4);
      let reachedAt: number | undefined;
      return () => {
        if (reachedAt === undefined && writesNow() >= target) reachedAt = Date.now();
        return reachedAt !== undefined && Date.now() - reachedAt >= delayMs;
      };
    }
    case 'after-requests': {
      const target = requestsNow() + random.int(1, 12);
      return () => requestsNow() >= target;
    }
    case 'after-time': {
      const deadline = Date.now() + random.int(150, 1200);
      return () => Date.now() >= deadline;
    }
  }
}

/** The run's printed failures are all data problems (the summary lists each failure's reason, indented). */
function onlyDataFailures(stdout: string): boolean {
  const reasons = stdout.split('\n').filter((line) => line.startsWith('  ') && !line.startsWith('  ...'));
  return reasons.length > 0 && reasons.every((line) => isDataFailure(line));
}

function createdIn(json: string): number {
  try {
    const summary = JSON.parse(json) as { flows: Record<string, { created: number }> };
    return Object.values(summary.flows).reduce((n, f) => n + f.created, 0);
  } catch {
    return Number.NaN;
  }
}
