import { describe, expect, it } from 'vitest';
import { OUTCOMES_KEPT, OutcomeTally } from '../../../runtime/engine/tally.js';
import type { RecordOutcome } from '../../../runtime/engine/types.js';

const outcome = (i: number, action: RecordOutcome['action']): RecordOutcome => ({
  sourceId: String(i), action, reason: action, targetId: null, payload: null, upserts: [],
});

describe('a run keeps a bounded number of record outcomes but counts them all', () => {
  it('counts every outcome exactly, lists the first ones and later failures, and says how many it left out', () => {
    const tally = new OutcomeTally();
    const total = OUTCOMES_KEPT * 3;
    for (let i = 0; i < total; i++) tally.add(outcome(i, i % 10 === 0 ? 'fail' : 'create'));
    expect(tally.done).toBe(total);
    expect(tally.counts()).toMatchObject({ created: total * 0.9, failed: total / 10 });
    expect(tally.kept.length + tally.omitted).toBe(total);
    expect(tally.kept.slice(0, OUTCOMES_KEPT).map((o) => o.sourceId)).toEqual(Array.from({ length: OUTCOMES_KEPT }, (_, i) => String(i)));
    // Every failure after the first OUTCOMES_KEPT records is still listed (there are fewer than OUTCOMES_KEPT of them).
    expect(tally.kept.filter((o) => o.action === 'fail')).toHaveLength(total / 10);
  });
});
