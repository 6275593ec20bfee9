import { locationOf, type MapLocation } from '../map-location.js';
import type { QuarantineEntry } from '../state/store.js';

/** The messages sent (the webhook's JSON bodies; e-mails are written from them); `kind` tells them apart. Documented in docs/operations.md. */
export type Notification = RecordFailedMessage | FailuresSummaryMessage | CycleFailedMessage | CycleRecoveredMessage;

/**
 * Who the messages are about and how an operator acts on them: the integration's name (service mode: its
 * registry name; one shop: the config's folder, as the dashboard names it), the command that replays its failed
 * records, and the dashboard's address when one is configured.
 */
export interface NotifyContext {
  readonly integration: string;
  /** `mapline run --retry-failed --config ...` or `mapline integrations run NAME --retry-failed`. */
  readonly retryCommand: string;
  /** The dashboard's base URL (`https://ops.example.com/`); failures link to `#failures/<integration>` under it. */
  readonly dashboardUrl?: string;
}

/** Where to read more: the quarantine entry, the run, and the command that shows the record's history. */
export interface LogReference {
  readonly quarantineId?: number;
  readonly runId?: string | null;
  readonly command: string;
}

/** What to do about it: in words, the command that retries, and the dashboard page that does the same. */
export interface Fix {
  readonly advice: string;
  readonly command: string;
  readonly url?: string;
}

export interface RecordFailedMessage {
  readonly source: 'mapline';
  readonly kind: 'record-failed';
  readonly integration: string;
  readonly flow: string;
  readonly recordId: string;
  readonly reason: string;
  /** The `.map` place the reason names; null when the failure is not the mapping's (an API refusal). */
  readonly location: MapLocation | null;
  readonly attempts: number;
  readonly failedAt: string;
  readonly log: LogReference;
  readonly fix: Fix;
}

export interface FailuresSummaryMessage {
  readonly source: 'mapline';
  readonly kind: 'records-failed';
  readonly integration: string;
  readonly count: number;
  readonly byFlow: Readonly<Record<string, number>>;
  /** The first few, so the message says what kind of failure it is. */
  readonly sample: readonly Omit<RecordFailedMessage, 'source' | 'kind' | 'integration'>[];
  readonly log: LogReference;
  readonly fix: Fix;
}

export interface CycleFailedMessage {
  readonly source: 'mapline';
  readonly kind: 'cycle-failed';
  readonly integration: string;
  readonly reason: string;
  readonly errors: readonly { readonly flow: string; readonly message: string }[];
  readonly at: string;
  readonly log: LogReference;
  readonly fix: Fix;
}

export interface CycleRecoveredMessage {
  readonly source: 'mapline';
  readonly kind: 'cycle-recovered';
  readonly integration: string;
  readonly failedSince: string;
  readonly at: string;
}

const SAMPLE_SIZE = 5;

export function recordFailed(entry: QuarantineEntry, context: NotifyContext): RecordFailedMessage {
  return { source: 'mapline', kind: 'record-failed', integration: context.integration, ...recordFields(entry, context) };
}

export function failuresSummary(entries: readonly QuarantineEntry[], context: NotifyContext): FailuresSummaryMessage {
  const byFlow: Record<string, number> = {};
  for (const e of entries) byFlow[e.flow] = (byFlow[e.flow] ?? 0) + 1;
  return {
    source: 'mapline',
    kind: 'records-failed',
    integration: context.integration,
    count: entries.length,
    byFlow,
    sample: entries.slice(0, SAMPLE_SIZE).map((e) => recordFields(e, context)),
    log: { command: 'mapline logs --failed' },
    fix: {
      advice: 'Correct what each reason names (the .map file at its line, or the record in its system), then retry the failed records.',
      ...retry(context),
    },
  };
}

export function cycleFailed(facts: { reason: string; errors: CycleFailedMessage['errors']; at: Date; runId?: string }, context: NotifyContext): CycleFailedMessage {
  return {
    source: 'mapline',
    kind: 'cycle-failed',
    integration: context.integration,
    reason: facts.reason,
    errors: facts.errors,
    at: facts.at.toISOString(),
    log: { runId: facts.runId ?? null, command: facts.runId ? `mapline logs` : 'the output of mapline run --watch' },
    fix: {
      advice: 'The integration could not run at all: correct the cause above (credentials refused: renew them; an API down: nothing, the next run tries again). A message follows when it runs again.',
      command: context.retryCommand.replace(/ --retry-failed\b/, ''),
      ...(context.dashboardUrl ? { url: `${context.dashboardUrl}#control` } : {}),
    },
  };
}

export function cycleRecovered(failedSince: string, at: Date, context: NotifyContext): CycleRecoveredMessage {
  return { source: 'mapline', kind: 'cycle-recovered', integration: context.integration, failedSince, at: at.toISOString() };
}

function recordFields(entry: QuarantineEntry, context: NotifyContext): Omit<RecordFailedMessage, 'source' | 'kind' | 'integration'> {
  const location = locationOf(entry.reason);
  return {
    flow: entry.flow,
    recordId: entry.sourceId,
    reason: entry.reason,
    location,
    attempts: entry.attempts,
    failedAt: entry.updatedAt,
    log: { quarantineId: entry.id, runId: entry.runId, command: `mapline logs --flow ${entry.flow} --record ${entry.sourceId}` },
    fix: {
      advice: location
        ? `Correct ${location.file} at line ${location.line} (or record ${entry.sourceId} in its system), then retry the record.`
        : `Correct what the reason names, then retry the record.`,
      ...retry(context, entry.flow),
    },
  };
}

function retry(context: NotifyContext, flow?: string): { command: string; url?: string } {
  return {
    command: flow ? `${context.retryCommand} --flow ${flow}` : context.retryCommand,
    ...(context.dashboardUrl ? { url: `${context.dashboardUrl}#failures/${encodeURIComponent(context.integration)}` } : {}),
  };
}
