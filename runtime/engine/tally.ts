import type { FlowSummary, RecordOutcome } from './types.js';

/** How many record outcomes a run keeps in detail, and how many failures beyond those. */
export const OUTCOMES_KEPT = 2_000;

/**
 * Counts a run's outcomes exactly while keeping only a bounded number of them in detail (the first ones, then
 * failures, which a person needs most): with the source read a page at a time, this keeps a run's memory flat
 * however large the shop. Every outcome is in the activity log regardless.
 */
export class OutcomeTally {
  read = 0;
  done = 0;
  omitted = 0;
  readonly kept: RecordOutcome[] = [];
  private readonly byAction = { create: 0, update: 0, skip: 0, fail: 0 };
  private failuresKept = 0;

  add(outcome: RecordOutcome): void {
    this.done++;
    this.byAction[outcome.action]++;
    if (this.kept.length < OUTCOMES_KEPT) this.kept.push(outcome);
    else if (outcome.action === 'fail' && this.failuresKept < OUTCOMES_KEPT) {
      this.kept.push(outcome);
      this.failuresKept++;
    } else this.omitted++;
  }

  /** Records created or updated so far: what a `maxRecords` budget counts. */
  written(): number {
    return this.byAction.create + this.byAction.update;
  }

  counts(): Omit<FlowSummary, 'calls'> {
    const { create, update, skip, fail } = this.byAction;
    return { read: this.read, created: create, updated: update, skipped: skip, failed: fail };
  }
}
