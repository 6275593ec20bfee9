import type { RunningSandboxes } from '../../../connectors/sandbox/index.js';
import type { QuarantineEntry } from '../../../runtime/state/store.js';
import { createdRecords } from '../../helpers/created.js';

type Rec = Record<string, unknown>;

/** The `orders` flow's filter as written in `mappings/orders.map` with its default settings. */
const SENT_STATUSES = [1, 2, 5, 6, 7];
export function isEligibleOrder(order: Rec): boolean {
  return order.is_completed === true && order.paid === true && SENT_STATUSES.includes(order.status as number);
}

/** The `customers` flow's filter: every completed order with an e-mail. */
export function hasBookableCustomer(order: Rec): boolean {
  return order.is_completed === true && typeof (order.customer as Rec | null)?.email === 'string';
}

/** Quarantine reasons that say the record itself is wrong; anything else (5xx, network, unknown outcome) is not. */
const DATA_REASONS = [/no eaccounting\.\w+ with /, /validation|invalid|required|must|too long|schema/i, /guardrail|sequence|depth|timed out/i];
export function isDataFailure(reason: string): boolean {
  return !/may or may not|not shown up|HTTP 5\d\d|status 5\d\d|ECONN|socket|network|timeout after|429|rate limit|connect\/token|invalid_grant|HTTP 401/i.test(reason) && DATA_REASONS.some((r) => r.test(reason));
}

export interface Expectation {
  /** Order numbers (`ordernumber_full`) the orders flow must book exactly once. */
  readonly mustBook: ReadonlySet<string>;
  /** Eligible orders that may legitimately fail for data (a row whose product is no accounting article). */
  readonly mayFailForData: ReadonlySet<string>;
  /** Order numbers that must never be booked (the filter excludes them). */
  readonly mustNotBook: ReadonlySet<string>;
  /** E-mails (lower case) that must exist exactly once as accounting customers. */
  readonly customers: ReadonlySet<string>;
  /** Order numbers the audit leaves to the caller (checked by the test itself). */
  readonly ignored?: ReadonlySet<string>;
}

/**
 * What a correct sync of the default flows leaves in eAccounting, computed from the shop's records and the
 * accounting articles alone (not from anything Mapline did): the oracle of the crash and fault proofs.
 */
export function expectedBooks(sandboxes: RunningSandboxes, accountingCustomersBefore = accountingEmails(sandboxes)): Expectation {
  const articles = new Set(sandboxes.eaccounting.control.records('articles').map((a) => String(a.Number).toLowerCase()));
  const rowsByOrder = new Map<unknown, Rec[]>();
  for (const row of sandboxes.ccvshop.control.records('orderrows')) {
    rowsByOrder.set(row.order_id, [...(rowsByOrder.get(row.order_id) ?? []), row]);
  }
  const mustBook = new Set<string>();
  const mayFailForData = new Set<string>();
  const mustNotBook = new Set<string>();
  const customers = new Set<string>();
  for (const order of sandboxes.ccvshop.control.records('orders')) {
    const number = String(order.ordernumber_full);
    if (hasBookableCustomer(order)) customers.add(String((order.customer as Rec).email).toLowerCase());
    if (!isEligibleOrder(order)) {
      mustNotBook.add(number);
      continue;
    }
    const rows = rowsByOrder.get(order.id) ?? [];
    const allArticlesKnown = rows.every((row) => articles.has(String(row.product_number).toLowerCase()));
    (allArticlesKnown ? mustBook : mayFailForData).add(number);
  }
  for (const email of accountingCustomersBefore) customers.add(email);
  return { mustBook, mayFailForData, mustNotBook, customers };
}

/** The e-mails (lower case) of the customers eAccounting holds now. */
export function accountingEmails(sandboxes: RunningSandboxes): Set<string> {
  const emails = new Set<string>();
  for (const customer of sandboxes.eaccounting.control.records('customers')) {
    if (typeof customer.EmailAddress === 'string') emails.add(customer.EmailAddress.toLowerCase());
  }
  return emails;
}

/**
 * Compares eAccounting with the expectation; returns every problem as a readable line (empty = the books are
 * right): an order booked twice or never, a non-eligible order booked, a customer twice or missing, an open
 * quarantine entry that is not a data problem, a create still pending.
 */
export function auditBooks(
  sandboxes: RunningSandboxes,
  expected: Expectation,
  state: { quarantine: readonly QuarantineEntry[]; pendingWrites: number },
): string[] {
  const problems: string[] = [];
  // What the runs booked: the orders created through the API (the sandbox's seeded orders are the merchant's own).
  const booked = countBy(createdRecords(sandboxes.eaccounting.control, 'orders'), (o) => String(o.YourReference));
  for (const [number, n] of booked) {
    if (expected.ignored?.has(number)) continue;
    if (n > 1) problems.push(`order ${number} booked ${n} times`);
    if (expected.mustNotBook.has(number)) problems.push(`order ${number} booked although the filter excludes it`);
    if (!expected.mustBook.has(number) && !expected.mayFailForData.has(number) && !expected.mustNotBook.has(number)) problems.push(`unknown order ${number} booked`);
  }
  for (const number of expected.mustBook) if (!expected.ignored?.has(number) && !booked.has(number)) problems.push(`order ${number} is eligible but was never booked`);
  const quarantinedOrders = new Set(state.quarantine.filter((q) => q.flow === 'orders').map((q) => String((q.sourceRecord as Rec | null)?.ordernumber_full)));
  for (const number of expected.mayFailForData) {
    if (expected.ignored?.has(number)) continue;
    if (!booked.has(number) && !quarantinedOrders.has(number)) problems.push(`order ${number} (unknown article) is neither booked nor quarantined`);
  }
  const customers = countBy(sandboxes.eaccounting.control.records('customers'), (c) => String(c.EmailAddress).toLowerCase());
  for (const [email, n] of customers) if (n > 1) problems.push(`customer ${email} exists ${n} times`);
  for (const email of expected.customers) if (!customers.has(email)) problems.push(`customer ${email} is missing`);
  for (const entry of state.quarantine) {
    if (!isDataFailure(entry.reason)) problems.push(`quarantined for a non-data reason: ${entry.flow} ${entry.sourceId}: ${entry.reason}`);
  }
  if (state.pendingWrites > 0) problems.push(`${state.pendingWrites} create intent(s) still pending`);
  return problems;
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}
