import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectEaccountingSandbox, startSandboxes, type RunningSandboxes } from '../../connectors/sandbox/index.js';
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

  it('reports an order booked twice, an excluded order booked, and pending intents', async () => {
    const orders = sandboxes.ccvshop.control.records('orders');
    const eligible = orders.find(isEligibleOrder)!;
    const excluded = orders.find((o) => !isEligibleOrder(o))!;
    // Booked as a run books: through the API (the sandbox's seeded orders are the merchant's own, not bookings).
    const { access_token } = await connectEaccountingSandbox(sandboxes);
    const customer = sandboxes.eaccounting.control.records('customers')[0]!;
    const book = async (reference: unknown) => {
      const order = { CustomerId: customer.Id, CurrencyCode: 'EUR', OrderDate: '2026-01-02', Status: 2, EuThirdParty: false, ReverseChargeOnConstructionServices: false, RotReducedInvoicingType: 0, YourReference: reference, Rows: [] };
      const answer = await fetch(`${sandboxes.eaccounting.baseUrl}/orders`, { method: 'POST', headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' }, body: JSON.stringify(order) });
      expect(answer.status).toBe(201);
    };
    await book(eligible.ordernumber_full);
    await book(eligible.ordernumber_full);
    await book(excluded.ordernumber_full);
    const problems = auditBooks(sandboxes, expectedBooks(sandboxes), { quarantine: [], pendingWrites: 2 });
    expect(problems).toContain(`order ${String(eligible.ordernumber_full)} booked 2 times`);
    expect(problems).toContain(`order ${String(excluded.ordernumber_full)} booked although the filter excludes it`);
    expect(problems).toContain('2 create intent(s) still pending');
  });
});
