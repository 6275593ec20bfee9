import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEnv, type Env } from '../runtime/engine/helpers.js';
import { createdRecords } from '../helpers/created.js';

/**
 * The shop-orders flows end to end over real HTTP: CCV Shop sandbox -> Mapline -> eAccounting sandbox, one test
 * per behaviour a merchant relies on. Small seeds, rate limits off (the limits have their own tests).
 */
type Rec = Record<string, unknown>;
const sandbox = { seed: 'documents', sizes: { orders: 24, customers: 12, products: 12 } };
const STATUSES = [1, 2, 5, 6, 7];
const eligible = (o: Rec): boolean => o.is_completed === true && o.paid === true && STATUSES.includes(o.status as number);

describe.each([
  ['quotes', 'quotes'],
  ['invoicedrafts', 'customerinvoicedrafts'],
  ['invoices', 'customerinvoices'],
  ['orders', 'orders'],
])('mappings/orders.map with document = %s', (document, entity) => {
  let env: Env;
  beforeAll(async () => {
    env = await startEnv(['mappings/orders.map'], { sandbox, settings: { document } });
  });
  afterAll(async () => env?.close());

  it(`books every eligible shop order as one ${entity} document, and a rerun books nothing more`, async () => {
    const shopOrders = env.sandboxes.ccvshop.control.records('orders');
    const first = await env.sync();
    const summary = first.flows[0]!.summary;
    expect(first.errors).toEqual([]);
    expect(first.flows.map((f) => f.flow)).toEqual([document]);
    expect(summary.failed).toBe(0);
    expect(summary.created).toBeGreaterThan(0);
    expect(summary.created).toBe(shopOrders.filter(eligible).length);
    expect(createdRecords(env.sandboxes.eaccounting.control, entity).length).toBe(summary.created);
    const again = await env.sync();
    expect(again.flows[0]!.summary.created).toBe(0);
    expect(createdRecords(env.sandboxes.eaccounting.control, entity).length).toBe(summary.created);
  });
});

describe('the orders flow, per behaviour', () => {
  let env: Env;
  let shopOrders: Rec[];
  let documents: Rec[];
  let articles: Rec[];
  beforeAll(async () => {
    env = await startEnv(['mappings/orders.map'], { sandbox });
    shopOrders = env.sandboxes.ccvshop.control.records('orders');
    await env.sync();
    documents = createdRecords(env.sandboxes.eaccounting.control, 'orders');
    articles = env.sandboxes.eaccounting.control.records('articles');
  });
  afterAll(async () => env?.close());

  const documentOf = (order: Rec): Rec | undefined => documents.find((d) => d.YourReference === order.ordernumber_full);
  const articleId = (number: string): unknown => articles.find((a) => a.Number === number)?.Id;

  it('sends only completed, paid orders in the chosen statuses', () => {
    for (const order of shopOrders) expect(documentOf(order) !== undefined, `order ${String(order.id)}`).toBe(eligible(order));
  });

  it('books shipping costs as their own row on the shipping article of the shipping VAT rate', () => {
    const shipped = shopOrders.filter((o) => eligible(o) && (o.total_shipping as number) > 0);
    expect(shipped.length).toBeGreaterThan(0);
    for (const order of shipped) {
      const rows = documentOf(order)!.Rows as Rec[];
      const article = order.shipping_tax_percentage === 0 ? 'VERZEND-0' : 'VERZEND';
      expect(rows.filter((r) => r.ArticleId === articleId(article)).map((r) => r.Quantity)).toEqual([1]);
    }
  });

  it('keeps the coupon as negative rows on the discount articles of the VAT rates in the basket', () => {
    const withCoupon = shopOrders.filter((o) => eligible(o) && (o.total_discounts as number) > 0);
    expect(withCoupon.length).toBeGreaterThan(0);
    const discountArticles = new Map([[21, 'KORTING'], [9, 'KORTING-9'], [0, 'KORTING-0']].map(([rate, number]) => [articleId(number as string), rate]));
    for (const order of withCoupon) {
      const rows = documentOf(order)!.Rows as Rec[];
      const discount = rows.filter((r) => discountArticles.has(r.ArticleId));
      const rates = new Set(env.sandboxes.ccvshop.control.records('orderrows').filter((r) => r.order_id === order.id).map((r) => r.tax));
      expect(new Set(discount.map((r) => discountArticles.get(r.ArticleId)))).toEqual(rates);
      for (const row of discount) {
        expect(row.Quantity).toBe(-1);
        expect(row.UnitPrice as number).toBeGreaterThan(0);
      }
    }
  });

  it('books each order on the customer with its e-mail: a company with its contact person, or a private person', () => {
    const customers = env.sandboxes.eaccounting.control.records('customers');
    let companies = 0;
    let persons = 0;
    for (const order of shopOrders.filter(eligible)) {
      const shopper = order.customer as Rec;
      const billing = shopper.billingaddress as Rec;
      const customer = customers.find((c) => c.Id === documentOf(order)!.CustomerId)!;
      expect(customer.EmailAddress).toBe(shopper.email);
      if (billing.company) {
        companies++;
        expect(customer).toMatchObject({ IsPrivatePerson: false, ContactPersonName: billing.full_name });
      } else {
        persons++;
        expect(customer.IsPrivatePerson).toBe(true);
      }
    }
    expect(companies).toBeGreaterThan(0);
    expect(persons).toBeGreaterThan(0);
    const emails = customers.map((c) => c.EmailAddress).filter(Boolean);
    expect(new Set(emails).size).toBe(emails.length);
  });

  it('skips an order already sent, also when the link is lost, by finding its order number in the accounting', async () => {
    const fresh = await startEnv(['mappings/orders.map'], { sandbox });
    try {
      // Same shop, an accounting system that already holds one of the orders, and no Mapline state at all.
      const order = shopOrders.find(eligible)!;
      fresh.sandboxes.eaccounting.control.putRecords('orders', [{ ...documentOf(order)!, CustomerId: fresh.sandboxes.eaccounting.control.records('customers')[0]!.Id }]);
      const result = await fresh.sync();
      const outcome = result.flows[0]!.records.find((r) => r.sourceId === String(order.id))!;
      expect(outcome.action).toBe('skip');
      expect(fresh.sandboxes.eaccounting.control.records('orders').filter((d) => d.YourReference === order.ordernumber_full)).toHaveLength(1);
    } finally {
      await fresh.close();
    }
  });
});

describe('the orders flow with a default customer', () => {
  it('books every order on the configured customer and touches no customer', async () => {
    const probe = await startEnv(['mappings/orders.map'], { sandbox });
    const known = probe.sandboxes.eaccounting.control.records('customers')[0]!;
    await probe.close();
    const env = await startEnv(['mappings/orders.map'], { sandbox, settings: { default_customer: known.CustomerNumber } });
    try {
      const before = env.sandboxes.eaccounting.control.records('customers');
      const result = await env.sync();
      expect(result.flows[0]!.summary.created).toBeGreaterThan(0);
      const documents = createdRecords(env.sandboxes.eaccounting.control, 'orders');
      expect(new Set(documents.map((d) => d.CustomerId))).toEqual(new Set([known.Id]));
      expect(env.sandboxes.eaccounting.control.records('customers')).toEqual(before);
    } finally {
      await env.close();
    }
  });
});

describe('the customers flow', () => {
  it('creates a shopper once by e-mail, then updates that customer when the shop has new details', async () => {
    const env = await startEnv(['mappings/customers.map'], { sandbox });
    try {
      const first = await env.sync();
      expect(first.flows[0]!.summary.failed).toBe(0);
      const customers = env.sandboxes.eaccounting.control.records('customers');
      const emails = customers.map((c) => c.EmailAddress).filter(Boolean);
      expect(new Set(emails).size).toBe(emails.length);
      // The shopper of the newest completed order moves: the next run updates their customer, creates none.
      const order = env.sandboxes.ccvshop.control.records('orders').filter((o) => o.is_completed).sort((a, b) => String(b.create_date).localeCompare(String(a.create_date)))[0]!;
      const shopper = order.customer as Rec;
      const moved = { ...shopper, billingaddress: { ...(shopper.billingaddress as Rec), city: 'Zwolle', zipcode: '8011 AA' } };
      env.sandboxes.ccvshop.control.putRecords('orders', [{ ...order, customer: moved }]);
      const second = await env.sync({ since: new Date(Date.parse(String(order.create_date)) - 1000) });
      expect(second.flows[0]!.summary.created).toBe(0);
      expect(second.flows[0]!.summary.updated).toBeGreaterThanOrEqual(1);
      const updated = env.sandboxes.eaccounting.control.records('customers').find((c) => c.EmailAddress === shopper.email)!;
      expect(updated).toMatchObject({ InvoiceCity: 'Zwolle', InvoicePostalCode: '8011 AA' });
      expect(env.sandboxes.eaccounting.control.records('customers')).toHaveLength(customers.length);
    } finally {
      await env.close();
    }
  });
});
