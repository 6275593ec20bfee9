import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxes, type RunningSandboxes } from '../../connectors/sandbox/index.js';
import { auditBooks, expectedBooks, isEligibleOrder } from './harness/books.js';

/** The proofs' audit must be able to fail: it sees a missing order, a double booking and a stray one. */
let sandboxes: RunningSandboxes;
beforeAll(async () => {
  sandboxes = await startSandboxes({ seed: 'audit', sizes: { orders: 12, customers: 6, products: 10 }, rateLimits: { enabled: false } });
});
afterAll(async () => {
  await sandboxes.close();
});

const clean = { quarantine: [], pendingWrites: 0 };

describe('the exactly-once audit', () => {
  it('reports every eligible order missing from empty books, and every missing customer', () => {
    const expected = expectedBooks(sandboxes);
    const problems = auditBooks(sandboxes, expected, clean);
    expect(problems.filter((p) => p.endsWith('was never booked'))).toHaveLength(expected.mustBook.size);
    expect(problems.some((p) => /^customer .* is missing$/.test(p))).toBe(true);
  });

  it('reports an order booked twice, an excluded order booked, and pending intents', () => {
    const orders = sandboxes.ccvshop.control.records('orders');
    const eligible = orders.find(isEligibleOrder)!;
    const excluded = orders.find((o) => !isEligibleOrder(o))!;
    const book = (reference: unknown, id: string) => sandboxes.eaccounting.control.putRecords('orders', [{ Id: id, YourReference: reference }]);
    book(eligible.ordernumber_full, '00000000-0000-4000-8000-000000000001');
    book(eligible.ordernumber_full, '00000000-0000-4000-8000-000000000002');
    book(excluded.ordernumber_full, '00000000-0000-4000-8000-000000000003');
    const problems = auditBooks(sandboxes, expectedBooks(sandboxes), { quarantine: [], pendingWrites: 2 });
    expect(problems).toContain(`order ${String(eligible.ordernumber_full)} booked 2 times`);
    expect(problems).toContain(`order ${String(excluded.ordernumber_full)} booked although the filter excludes it`);
    expect(problems).toContain('2 create intent(s) still pending');
  });
});
