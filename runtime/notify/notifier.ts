import type { StateStore } from '../state/store.js';
import type { NotificationLedger } from './ledger.js';
import { failuresSummary, recordFailed, type Notification } from './messages.js';
import { deliver, type DeliveryOptions, type DeliveryResult } from './webhook.js';

export interface NotifySettings {
  /** Where messages are POSTed. */
  readonly webhook: string;
  /** More new failures than this in one cycle are sent as one summary message (default 5). */
  readonly summaryThreshold?: number;
  readonly delivery?: DeliveryOptions;
}

/** What a cycle ended with, as far as notifications care. */
export interface CycleFacts {
  readonly at: Date;
  /** Why the cycle failed as a whole (an exception, compile errors), if it did. */
  readonly failure?: string;
  /** Flows that could not run. */
  readonly flowErrors: readonly { readonly flow: string; readonly message: string }[];
  readonly runId?: string;
}

export interface NotifyReport {
  readonly sent: number;
  readonly failed: number;
  readonly errors: readonly string[];
}

const FAILING_SINCE = 'cycle-failing-since';

/**
 * After each cycle: announces records newly in quarantine (each failure episode once; many at once as one
 * summary) and a cycle that failed (once per outage, then once when it recovers). A message that could not be
 * delivered is not marked sent, so the next cycle tries again; nothing here throws into the cycle.
 */
export class Notifier {
  constructor(
    private readonly settings: NotifySettings,
    private readonly ledger: NotificationLedger,
    private readonly post: (url: string, message: Notification, options?: DeliveryOptions) => Promise<DeliveryResult> = deliver,
  ) {}

  async afterCycle(store: StateStore, facts: CycleFacts): Promise<NotifyReport> {
    const report = { sent: 0, failed: 0, errors: [] as string[] };
    const send = async (message: Notification): Promise<boolean> => {
      const result = await this.post(this.settings.webhook, message, this.settings.delivery);
      if (result.ok) report.sent++;
      else {
        report.failed++;
        report.errors.push(result.error);
      }
      return result.ok;
    };

    // The cycle's own state first: in an outage, it explains the record failures that follow.
    const failingSince = await this.ledger.flag(FAILING_SINCE);
    const failed = facts.failure !== undefined || facts.flowErrors.length > 0;
    if (failed && failingSince === undefined) {
      const reason = facts.failure ?? facts.flowErrors.map((e) => e.message).join('; ');
      const ok = await send({
        source: 'mapline',
        kind: 'cycle-failed',
        reason,
        errors: facts.flowErrors,
        at: facts.at.toISOString(),
        log: { runId: facts.runId ?? null, command: facts.runId ? `mapline logs` : 'the output of mapline run --watch' },
      });
      if (ok) await this.ledger.setFlag(FAILING_SINCE, facts.at.toISOString());
    } else if (!failed && failingSince !== undefined) {
      const ok = await send({ source: 'mapline', kind: 'cycle-recovered', failedSince: failingSince, at: facts.at.toISOString() });
      if (ok) await this.ledger.setFlag(FAILING_SINCE, undefined);
    }

    const open = await store.listQuarantine();
    const notified = await this.ledger.notifiedIds();
    const fresh = open.filter((e) => !notified.has(e.id)).sort((a, b) => a.id - b.id);
    if (fresh.length > (this.settings.summaryThreshold ?? 5)) {
      if (await send(failuresSummary(fresh))) await this.ledger.markNotified(fresh, facts.at);
    } else {
      for (const entry of fresh) if (await send(recordFailed(entry))) await this.ledger.markNotified([entry], facts.at);
    }
    return report;
  }
}
