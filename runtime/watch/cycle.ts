import type { ClientLogger } from '../../connectors/client/logger.js';
import type { MaplineConfig } from '../config/config.js';
import type { MaplineMetrics } from '../metrics/mapline-metrics.js';
import type { NotifyReport, NotifySettings } from '../notify/notifier.js';
import type { PurgeCounts } from '../state/store.js';
import { afterRun } from '../housekeeping.js';
import { syncOnce, type SyncOutcome, type SyncRequest } from '../sync.js';

export interface WatchCycleOptions {
  readonly config: MaplineConfig;
  /** What each cycle runs (files, flows, connection preparation); the config comes from `config`. */
  readonly request?: Omit<SyncRequest, 'config' | 'dryRun' | 'clientLogger'>;
  readonly metrics?: MaplineMetrics;
  /** Webhook notifications; none when absent. */
  readonly notify?: NotifySettings;
  /** The clock retention counts from (tests age it); the system clock by default. */
  readonly now?: () => Date;
  /** Replaces `syncOnce` (tests). */
  readonly sync?: (request: SyncRequest) => Promise<SyncOutcome>;
}

export interface CycleReport {
  readonly n: number;
  readonly ok: boolean;
  readonly at: Date;
  readonly outcome?: SyncOutcome;
  /** Why the cycle failed as a whole (thrown error or compile errors). */
  readonly failure?: string;
  readonly purged?: PurgeCounts;
  readonly notifications?: NotifyReport;
  /** Housekeeping problems (purge, notifications) that did not fail the cycle. */
  readonly warnings: readonly string[];
}

/**
 * One watch cycle: run the configured flows once, then the housekeeping a long-running process owes: purge
 * what the retention allows, notify about new failures, update the metrics. Never throws: a failed run (an API
 * down, an exception) is a failed cycle report, and the next cycle runs as usual.
 */
export function createWatchCycle(options: WatchCycleOptions): (n: number) => Promise<CycleReport> {
  const now = options.now ?? (() => new Date());
  const sync = options.sync ?? syncOnce;
  const clientLogger: ClientLogger | undefined = options.metrics?.onClientEvent;
  return async (n) => {
    let outcome: SyncOutcome | undefined;
    let failure: string | undefined;
    try {
      outcome = await sync({ ...options.request, config: options.config, ...(clientLogger ? { clientLogger } : {}) });
      if (outcome.kind === 'compile-errors') failure = `the .map files do not compile (${outcome.diagnostics.length} diagnostics; run mapline check)`;
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
    }
    const at = now();
    const result = outcome?.kind === 'ran' ? outcome.result : undefined;
    const ok = failure === undefined && (result?.errors.length ?? 0) === 0;

    const { purged, notifications, warnings } = await afterRun(
      options.config,
      { at, ...(failure !== undefined ? { failure } : {}), ...(result ? { result } : {}) },
      { notify: options.notify, metrics: options.metrics },
    );

    if (result) options.metrics?.recordRun(result, at);
    options.metrics?.recordCycle(ok, at);
    return {
      n,
      ok,
      at,
      ...(outcome ? { outcome } : {}),
      ...(failure !== undefined ? { failure } : {}),
      ...(purged ? { purged } : {}),
      ...(notifications ? { notifications } : {}),
      warnings,
    };
  };
}
