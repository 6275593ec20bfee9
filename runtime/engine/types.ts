import type { Json } from '../../compiler/artifact.js';

export type RecordAction = 'create' | 'update' | 'skip' | 'fail';

/** What the engine did (or, in a dry run, would do) with one source record, and why. */
export interface RecordOutcome {
  readonly sourceId: string;
  readonly action: RecordAction;
  readonly reason: string;
  readonly targetId: string | null;
  /** The mapped payload sent (or that would be sent); null when the record never got that far. */
  readonly payload: Json | null;
  /** Upserts the record needed (customers created or updated on the way), in order. */
  readonly upserts: readonly UpsertOutcome[];
  /** What the target answered to the write (or refused it with), for the activity log. */
  readonly response?: Json | null;
}

export interface UpsertOutcome {
  readonly entity: string;
  readonly key: string;
  readonly value: Json;
  readonly action: 'create' | 'update' | 'unchanged';
  readonly payload: Json;
  /** Set when an earlier record of the run settled this record (no call made): that record's source id. */
  readonly settledBy?: string;
}

export interface FlowSummary {
  readonly read: number;
  readonly created: number;
  readonly updated: number;
  readonly skipped: number;
  readonly failed: number;
  /** HTTP calls to both connectors during this flow. */
  readonly calls: number;
}

export interface FlowResult {
  readonly flow: string;
  readonly dryRun: boolean;
  /** Exact counts over every record of the run. */
  readonly summary: FlowSummary;
  /**
   * What was done with each record, for the first `OUTCOMES_KEPT` records and every failure up to that many
   * again; the activity log has them all. Bounded so a run's memory does not grow with the size of the shop.
   */
  readonly records: readonly RecordOutcome[];
  /** Records done but not listed in `records` (0 for all but very large runs). */
  readonly omitted: number;
  /** The run was asked to stop (Ctrl-C) before every record was read: the cursor was not moved. */
  readonly stopped?: boolean;
  /** The run's `maxRecords` budget was reached with records left unread: the next run goes on (the cursor stayed). */
  readonly more?: boolean;
}

/** The record could not be synced; the message names the record and, where it applies, the `.map` place. */
export class RecordFailure extends Error {
  constructor(
    message: string,
    readonly payload: Json | null = null,
    readonly response: Json | null = null,
  ) {
    super(message);
    this.name = 'RecordFailure';
  }
}
