import type { QuarantineEntry } from '../state/store.js';

/** The JSON bodies posted to the webhook; `kind` tells them apart. Documented in docs/operations.md. */
export type Notification = RecordFailedMessage | FailuresSummaryMessage | CycleFailedMessage | CycleRecoveredMessage;

/** Where to read more: the quarantine entry, the run, and the command that shows the record's history. */
export interface LogReference {
  readonly quarantineId?: number;
  readonly runId?: string | null;
  readonly command: string;
}

export interface RecordFailedMessage {
  readonly source: 'mapline';
  readonly kind: 'record-failed';
  readonly flow: string;
  readonly recordId: string;
  readonly reason: string;
  readonly attempts: number;
  readonly failedAt: string;
  readonly log: LogReference;
}

export interface FailuresSummaryMessage {
  readonly source: 'mapline';
  readonly kind: 'records-failed';
  readonly count: number;
  readonly byFlow: Readonly<Record<string, number>>;
  /** The first few, so the message says what kind of failure it is. */
  readonly sample: readonly Omit<RecordFailedMessage, 'source' | 'kind'>[];
  readonly log: LogReference;
}

export interface CycleFailedMessage {
  readonly source: 'mapline';
  readonly kind: 'cycle-failed';
  readonly reason: string;
  readonly errors: readonly { readonly flow: string; readonly message: string }[];
  readonly at: string;
  readonly log: LogReference;
}

export interface CycleRecoveredMessage {
  readonly source: 'mapline';
  readonly kind: 'cycle-recovered';
  readonly failedSince: string;
  readonly at: string;
}

const SAMPLE_SIZE = 5;

export function recordFailed(entry: QuarantineEntry): RecordFailedMessage {
  return { source: 'mapline', kind: 'record-failed', ...recordFields(entry) };
}

export function failuresSummary(entries: readonly QuarantineEntry[]): FailuresSummaryMessage {
  const byFlow: Record<string, number> = {};
  for (const e of entries) byFlow[e.flow] = (byFlow[e.flow] ?? 0) + 1;
  return {
    source: 'mapline',
    kind: 'records-failed',
    count: entries.length,
    byFlow,
    sample: entries.slice(0, SAMPLE_SIZE).map(recordFields),
    log: { command: 'mapline logs --failed' },
  };
}

function recordFields(entry: QuarantineEntry): Omit<RecordFailedMessage, 'source' | 'kind'> {
  return {
    flow: entry.flow,
    recordId: entry.sourceId,
    reason: entry.reason,
    attempts: entry.attempts,
    failedAt: entry.updatedAt,
    log: { quarantineId: entry.id, runId: entry.runId, command: `mapline logs --flow ${entry.flow} --record ${entry.sourceId}` },
  };
}
