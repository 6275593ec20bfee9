import { readFileSync } from 'node:fs';
import { oneShopName, type EmailConfig, type MaplineConfig } from './config/config.js';
import type { RunResult } from './engine/index.js';
import type { MaplineMetrics } from './metrics/mapline-metrics.js';
import type { NotificationLedger } from './notify/ledger.js';
import type { EmailSettings } from './notify/email.js';
import type { NotifyContext } from './notify/messages.js';
import { Notifier, type NotifyReport, type NotifySettings } from './notify/notifier.js';
import { sqliteState, type StateLocation } from './state-location.js';
import { StateFileError } from './state/sqlite-store.js';
import { messageOf } from './message-of.js';
import type { PurgeCounts } from './state/store.js';

export interface HousekeepingFacts {
  readonly at: Date;
  /** Why the run failed as a whole (thrown error or compile errors). */
  readonly failure?: string;
  readonly result?: RunResult;
}

export interface HousekeepingReport {
  readonly purged?: PurgeCounts;
  readonly notifications?: NotifyReport;
  /** Problems that did not fail the run (a webhook that did not answer, a locked state file). */
  readonly warnings: readonly string[];
}

/**
 * The config's `notify` block as the notifier takes it; undefined when the config has none. `context` says which
 * integration it is and how to retry it: a one-shop config's own (`mapline run --retry-failed --config FILE`)
 * unless given (service mode names the integration).
 */
export function notifySettingsOf(config: MaplineConfig, context?: Omit<NotifyContext, 'dashboardUrl'>): NotifySettings | undefined {
  const notify = config.notify;
  if (!notify) return undefined;
  const about = context ?? { integration: oneShopName(config), retryCommand: `mapline run --retry-failed --config ${config.path}` };
  return {
    ...(notify.webhook ? { webhook: notify.webhook } : {}),
    ...(notify.email ? { email: emailSettingsOf(notify.email) } : {}),
    summaryThreshold: notify.summaryThreshold,
    delivery: { attempts: notify.attempts },
    context: { ...about, ...(notify.dashboardUrl ? { dashboardUrl: notify.dashboardUrl.replace(/\/?$/, '/') } : {}) },
  };
}

function emailSettingsOf(email: EmailConfig): EmailSettings {
  const { caFile, ...rest } = email;
  return { ...rest, ...(caFile !== undefined ? { ca: readFileSync(caFile, 'utf8') } : {}) };
}

/**
 * What an unattended run owes after it ran, whether a watch cycle or a one-shot `mapline run` from cron: purge
 * what the retention allows, and notify (webhook, e-mail) about new failures (each record at most once, the ledger
 * remembers) when `notify` is given. Never throws: its problems are warnings, they do not fail the run. The state
 * is the config's SQLite file unless `state` says where else it lives (an integration in PostgreSQL).
 */
export async function afterRun(
  config: MaplineConfig,
  facts: HousekeepingFacts,
  {
    notify,
    metrics,
    state = sqliteState(config.state),
  }: { readonly notify?: NotifySettings | undefined; readonly metrics?: MaplineMetrics | undefined; readonly state?: StateLocation } = {},
): Promise<HousekeepingReport> {
  const warnings: string[] = [];
  let purged: PurgeCounts | undefined;
  let notifications: NotifyReport | undefined;
  try {
    const store = await state.openStore();
    let ledger: NotificationLedger | undefined;
    try {
      ledger = notify ? await state.openLedger() : undefined;
      purged = await store.purge(new Date(facts.at.getTime() - config.retentionDays * 86_400_000));
      if (ledger && notify) {
        const live = new Set((await store.listQuarantine({ includeResolved: true })).map((e) => e.id));
        await ledger.forgetAllBut(live);
        const notifier = new Notifier(notify, ledger);
        try {
          notifications = await notifier.afterCycle(store, {
            at: facts.at,
            ...(facts.failure !== undefined ? { failure: facts.failure } : {}),
            flowErrors: facts.result?.errors ?? [],
            ...(facts.result ? { runId: facts.result.runId } : {}),
          });
        } finally {
          await notifier.close();
        }
        warnings.push(...notifications.errors);
        for (let i = 0; i < notifications.sent; i++) metrics?.recordNotification(true);
        for (let i = 0; i < notifications.failed; i++) metrics?.recordNotification(false);
      }
    } finally {
      await ledger?.close();
      await store.close();
    }
  } catch (error) {
    // A state file the run could not open either was reported as the run's failure: said once, not twice.
    if (!(error instanceof StateFileError && facts.failure === error.message)) warnings.push(`housekeeping: ${messageOf(error)}`);
  }
  return { ...(purged ? { purged } : {}), ...(notifications ? { notifications } : {}), warnings };
}
