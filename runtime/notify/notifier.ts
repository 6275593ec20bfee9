import type { QuarantineEntry, StateStore } from '../state/store.js';
import type { NotificationChannel } from './channel.js';
import type { NotificationLedger } from './ledger.js';
import { cycleFailed, cycleRecovered, failuresSummary, recordFailed, type Notification, type NotifyContext } from './messages.js';
import type { DeliveryOptions } from './retry.js';
import { emailChannel, type EmailSettings } from './email.js';
import { webhookChannel } from './webhook.js';

export interface NotifySettings {
  /** Where messages are POSTed as JSON. */
  readonly webhook?: string;
  /** Where messages are e-mailed. */
  readonly email?: EmailSettings;
  /** More new failures than this in one cycle are sent as one summary message (default 5). */
  readonly summaryThreshold?: number;
  readonly delivery?: DeliveryOptions;
  /** Which integration the messages are about and how to retry; a neutral stand-in when absent (tests). */
  readonly context?: NotifyContext;
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
/** The quarantine ids one channel still owes (it failed while another channel delivered them), as JSON. */
const owedFlag = (channel: NotificationChannel): string => `owed:${channel.name}`;

const DEFAULT_CONTEXT: NotifyContext = { integration: 'mapline', retryCommand: 'mapline run --retry-failed' };

/** The channels the settings name: the webhook first (as before e-mail existed), then e-mail. */
export function channelsOf(settings: NotifySettings): NotificationChannel[] {
  return [
    ...(settings.webhook ? [webhookChannel(settings.webhook, settings.delivery)] : []),
    ...(settings.email ? [emailChannel(settings.email, settings.delivery)] : []),
  ];
}

/**
 * After each cycle: announces records newly in quarantine (each failure episode once; many at once as one
 * summary) and a cycle that failed (once per outage, then once when it recovers), on every channel. A record
 * no channel could deliver is not marked sent, so the next cycle tries again; one that some channel delivered is
 * marked sent and owed by the channels that failed, which send it in their next cycle (so a mail server that
 * is down does not make the webhook repeat itself). Nothing here throws into the cycle.
 */
export class Notifier {
  private readonly channels: readonly NotificationChannel[];
  private readonly context: NotifyContext;

  constructor(
    private readonly settings: NotifySettings,
    private readonly ledger: NotificationLedger,
    channels?: readonly NotificationChannel[],
  ) {
    this.channels = channels ?? channelsOf(settings);
    this.context = settings.context ?? DEFAULT_CONTEXT;
  }

  async afterCycle(store: StateStore, facts: CycleFacts): Promise<NotifyReport> {
    const report = { sent: 0, failed: 0, errors: [] as string[] };
    const send = async (channel: NotificationChannel, message: Notification): Promise<boolean> => {
      const result = await channel.send(message);
      if (result.ok) report.sent++;
      else {
        report.failed++;
        report.errors.push(result.error);
      }
      return result.ok;
    };
    const sendAll = async (message: Notification): Promise<boolean> => {
      let any = false;
      for (const channel of this.channels) any = (await send(channel, message)) || any;
      return any;
    };

    // The cycle's own state first: in an outage, it explains the record failures that follow.
    const failingSince = await this.ledger.flag(FAILING_SINCE);
    const failed = facts.failure !== undefined || facts.flowErrors.length > 0;
    if (failed && failingSince === undefined) {
      const reason = facts.failure ?? facts.flowErrors.map((e) => e.message).join('; ');
      const message = cycleFailed({ reason, errors: facts.flowErrors, at: facts.at, ...(facts.runId ? { runId: facts.runId } : {}) }, this.context);
      if (await sendAll(message)) await this.ledger.setFlag(FAILING_SINCE, facts.at.toISOString());
    } else if (!failed && failingSince !== undefined) {
      if (await sendAll(cycleRecovered(failingSince, facts.at, this.context))) await this.ledger.setFlag(FAILING_SINCE, undefined);
    }

    const open = await store.listQuarantine();
    const notified = await this.ledger.notifiedIds();
    const fresh = open.filter((e) => !notified.has(e.id)).sort((a, b) => a.id - b.id);
    const openIds = new Set(open.map((e) => e.id));
    const deliveredSomewhere = new Set<number>();
    const failedOn = new Map<NotificationChannel, number[]>();
    for (const channel of this.channels) {
      const owed = (await this.owed(channel)).filter((id) => openIds.has(id));
      const batch = [...open.filter((e) => owed.includes(e.id)), ...fresh];
      const { delivered, undelivered } = await this.sendRecords(batch, (message) => send(channel, message));
      for (const id of delivered) deliveredSomewhere.add(id);
      failedOn.set(channel, undelivered);
    }
    await this.ledger.markNotified(fresh.filter((e) => deliveredSomewhere.has(e.id)), facts.at);
    for (const [channel, undelivered] of failedOn) {
      // Owed: what this channel missed but another delivered (what none delivered stays fresh for all).
      const owed = undelivered.filter((id) => deliveredSomewhere.has(id) || notified.has(id));
      await this.ledger.setFlag(owedFlag(channel), owed.length > 0 ? JSON.stringify(owed) : undefined);
    }
    return report;
  }

  async close(): Promise<void> {
    for (const channel of this.channels) await channel.close();
  }

  /** Sends records as one summary when there are more than the threshold, else one message each. */
  private async sendRecords(entries: readonly QuarantineEntry[], send: (message: Notification) => Promise<boolean>): Promise<{ delivered: number[]; undelivered: number[] }> {
    const delivered: number[] = [];
    const undelivered: number[] = [];
    if (entries.length > (this.settings.summaryThreshold ?? 5)) {
      (await send(failuresSummary(entries, this.context)) ? delivered : undelivered).push(...entries.map((e) => e.id));
    } else {
      for (const entry of entries) ((await send(recordFailed(entry, this.context))) ? delivered : undelivered).push(entry.id);
    }
    return { delivered, undelivered };
  }

  private async owed(channel: NotificationChannel): Promise<number[]> {
    const value = await this.ledger.flag(owedFlag(channel));
    return value ? (JSON.parse(value) as number[]) : [];
  }
}
