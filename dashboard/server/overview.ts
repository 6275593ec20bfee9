import type { ActivityAction, ActivityCount, QuarantineEntry, StateStore } from '../../runtime/state/store.js';
import { lastRunOf, type LastRun } from '../../runtime/service/status.js';
import type { DashboardIntegration } from './backend.js';
import type { JobView } from './job-view.js';

/** green: its last run went fine; orange: records quarantined or waiting to be settled; red: it cannot run. */
export type Health = 'green' | 'orange' | 'red' | 'grey';

export interface Counts {
  readonly created: number;
  readonly updated: number;
  readonly skipped: number;
  readonly failed: number;
}

export interface FlowRow {
  readonly flow: string;
  readonly health: Health;
  /** Why the light has its colour, in a sentence. */
  readonly healthReason: string;
  readonly lastRun: LastRun | null;
  readonly nextRun: string | null;
  readonly day: Counts;
  readonly week: Counts;
  /** Records created or updated per 6 hours over the last 7 days, oldest first (28 numbers). */
  readonly series: readonly number[];
  readonly quarantined: number;
}

export interface IntegrationRow {
  readonly name: string;
  readonly state: 'active' | 'paused';
  readonly problem?: string;
  readonly flows: readonly FlowRow[];
}

const HOUR = 3_600_000;
const SERIES_BUCKET = 6 * HOUR;
const SERIES_LENGTH = 28;
const RECENT_RUNS = 50;

/** Which count an activity action adds to: child upserts count as what they did, a write-back as an update. */
const COUNTED_AS: Readonly<Record<ActivityAction, keyof Counts>> = {
  create: 'created',
  'upsert-create': 'created',
  update: 'updated',
  'upsert-update': 'updated',
  'write-back': 'updated',
  skip: 'skipped',
  fail: 'failed',
};

/** The overview row of one integration: a few aggregate queries on its store, never its activity log itself. */
export async function integrationRow(integration: DashboardIntegration, store: StateStore, jobs: JobView, now: Date): Promise<IntegrationRow> {
  const [day, week, quarantine, pending, runs] = await Promise.all([
    store.countActivity(new Date(now.getTime() - 24 * HOUR), HOUR),
    store.countActivity(new Date(now.getTime() - 7 * 24 * HOUR), SERIES_BUCKET),
    store.listQuarantine(),
    store.listPendingWrites(),
    store.listRuns(RECENT_RUNS),
  ]);
  const firstBucket = Math.floor(now.getTime() / SERIES_BUCKET) - SERIES_LENGTH + 1;
  const flows: FlowRow[] = [];
  for (const flow of integration.flows) {
    const series = new Array<number>(SERIES_LENGTH).fill(0);
    for (const c of week) {
      const index = c.bucket - firstBucket;
      if (c.flow === flow && index >= 0 && index < SERIES_LENGTH && (COUNTED_AS[c.action] === 'created' || COUNTED_AS[c.action] === 'updated')) series[index]! += c.count;
    }
    const run = runs.find((r) => r.finishedAt !== null && !r.dryRun && r.flows.includes(flow));
    const lastRun = run ? lastRunOf(run.id, run.startedAt, run.finishedAt, run.summary, flow) : null;
    const open = quarantine.filter((q) => q.flow === flow);
    const waiting = pending.filter((p) => p.flow === flow).length;
    flows.push({
      flow,
      ...health(integration, lastRun, open, waiting),
      lastRun,
      nextRun: integration.state === 'paused' ? null : await jobs.nextRun(integration, flow),
      day: sum(day, flow),
      week: sum(week, flow),
      series,
      quarantined: open.length,
    });
  }
  return { name: integration.name, state: integration.state, ...(integration.problem ? { problem: integration.problem } : {}), flows };
}

function health(integration: DashboardIntegration, lastRun: LastRun | null, open: readonly QuarantineEntry[], waiting: number): { health: Health; healthReason: string } {
  if (lastRun?.error) return { health: 'red', healthReason: `cannot run: ${lastRun.error}` };
  if (open.length > 0) return { health: 'orange', healthReason: `${open.length} record${open.length === 1 ? '' : 's'} quarantined` };
  if (waiting > 0) return { health: 'orange', healthReason: `${waiting} create${waiting === 1 ? '' : 's'} with an unknown outcome (mapline pending)` };
  if (!lastRun) return { health: 'grey', healthReason: integration.state === 'paused' ? 'paused; never ran' : 'has not run yet' };
  return { health: 'green', healthReason: 'last run went fine' };
}

function sum(counts: readonly ActivityCount[], flow: string): Counts {
  const total = { created: 0, updated: 0, skipped: 0, failed: 0 };
  for (const c of counts) if (c.flow === flow) total[COUNTED_AS[c.action]] += c.count;
  return total;
}

