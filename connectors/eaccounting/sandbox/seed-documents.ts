import { SeededRandom } from '../../sandbox/rng.js';
import { isoSeconds, type SeedPlan } from '../../sandbox/seed-plan.js';
import { RecordStore, type EntityRecords, type SandboxRecord } from '../../sandbox/store.js';
import { BodyValidator } from '../../sandbox/validation.js';
import { EaRecords, checkWriteBody, eaIdField, inContractShape } from './context.js';
import { customerInvoiceDrafts, customerInvoices, orders, quotes } from './entities/documents.js';
import { isError, type EaResource } from './entities/types.js';
import { EaErrors } from './errors.js';
import { DISCOUNT_ARTICLE_NUMBER, SHIPPING_ARTICLE_NUMBER } from './reference-data.js';

/**
 * The sales documents a merchant already has in eAccounting before Mapline runs: orders, quotes, invoice
 * drafts and invoices the bookkeeper entered by hand for the customers that exist there, dated over the four
 * months before the anchor (drafts over the last three weeks). Each is a valid POST body for its kind, checked
 * against the contract and built by the API's own builders (`entities/documents.ts`), so totals, numbers and
 * copied customer fields are what a client would have got; then it is aged with what happens later (an order
 * shipped or invoiced, a quote approved, an invoice paid).
 *
 * Their references are the customers' own purchase-order numbers (`PO-2026-0412`) or none, never a shop order
 * number (`WEB-1001`): the flows that find their documents by `YourReference = ordernumber_full` never match a
 * seeded one, so a first run still creates every shop order's document.
 */
export function seedDocuments(plan: SeedPlan, records: EntityRecords): EntityRecords {
  const none: EntityRecords = { orders: [], quotes: [], customerinvoicedrafts: [], customerinvoices: [] };
  const customers = records['customers'] ?? [];
  const goods = goodsArticles(records);
  if (customers.length === 0 || goods.length === 0) return none;
  const random = SeededRandom.derive(plan.seed, 'eaccounting-documents');
  const store = new RecordStore(records, eaIdField);
  let at = Date.parse(plan.anchor);
  const ctx = new EaRecords(store, random, new EaErrors(SeededRandom.derive(plan.seed, 'eaccounting-documents-errors')), () => at);
  const shipping = (records['articles'] ?? []).find((article) => article.Number === SHIPPING_ARTICLE_NUMBER);
  const draw: Draw = { random, customers, goods, shipping, deliveryCodes: (records['deliverymethods'] ?? []).map((method) => String(method.Code)) };
  const count = documentsPerKind(plan);
  const anchorMs = Date.parse(plan.anchor);

  const out: EntityRecords = { ...none };
  for (const kind of KINDS) {
    for (const day of spreadDays(random, count, kind.days)) {
      at = anchorMs - day * DAY_MS + random.int(8 * 3600, 17 * 3600) * 1000;
      const customer = random.pick(customers);
      const body = kind.body(draw, customer, isoSeconds(at).slice(0, 10));
      const checked = checkWriteBody(validator, ctx.errors, kind.resource.name, 'create', body);
      if (checked.error) throw new Error(`eAccounting seed: a seeded ${kind.resource.name} body breaks the contract: ${checked.error.body ?? ''}`);
      const built = kind.resource.create!(ctx, checked.body);
      if (isError(built)) throw new Error(`eAccounting seed: a seeded ${kind.resource.name} was refused: ${built.error.body ?? ''}`);
      const record = inContractShape(kind.resource.name, kind.age(draw, inContractShape(kind.resource.name, built), day));
      store.put(kind.resource.name, record);
      out[kind.resource.name]!.push(record);
    }
  }
  return out;
}

const DAY_MS = 86_400_000;

/** Compiled once per process: every sandbox start checks its seeded bodies against the same schemas. */
const validator = new BodyValidator();

/** Per kind: a fifth of the shop's order count, at least 6 (a few pages at a small page size), at most 50. */
function documentsPerKind(plan: SeedPlan): number {
  return Math.min(50, Math.max(6, Math.ceil(plan.orders.length / 5)));
}

interface Draw {
  readonly random: SeededRandom;
  readonly customers: readonly SandboxRecord[];
  readonly goods: readonly SandboxRecord[];
  readonly shipping: SandboxRecord | undefined;
  readonly deliveryCodes: readonly string[];
}

interface SeedKind {
  readonly resource: EaResource;
  /** How many days before the anchor the documents are spread over. */
  readonly days: number;
  readonly body: (draw: Draw, customer: SandboxRecord, date: string) => SandboxRecord;
  /** What happened to the document after it was made, `daysAgo` days before the anchor. */
  readonly age: (draw: Draw, record: SandboxRecord, daysAgo: number) => SandboxRecord;
}

const KINDS: readonly SeedKind[] = [
  {
    resource: orders,
    days: 120,
    body: (draw, customer, date) => ({
      CustomerId: customer.Id,
      CurrencyCode: 'EUR',
      OrderDate: date,
      DeliveryDate: addDays(date, draw.random.int(2, 10)),
      Status: 2,
      EuThirdParty: false,
      ReverseChargeOnConstructionServices: false,
      RotReducedInvoicingType: 0,
      YourReference: purchaseOrderReference(draw, customer, date),
      OurReference: OUR_REFERENCE,
      DeliveryMethodCode: draw.random.chance(0.7) ? draw.random.pick(draw.deliveryCodes) : null,
      Rows: lines(draw).map((line, index) => ({ LineNumber: index + 1, IsWorkCost: false, EligibleForReverseChargeOnVat: false, ...line })),
    }),
    // Older orders went out (shipped, often invoiced since); the last weeks' are still ongoing, some drafts.
    age: (draw, record, daysAgo) => {
      const status = daysAgo > 21 ? draw.random.pick([3, 4, 4]) : draw.random.pick([1, 2, 2, 2]);
      if (status < 3) return { ...record, Status: status };
      const rows = (record.Rows as SandboxRecord[]).map((row) => (row.IsTextRow ? row : { ...row, DeliveredQuantity: row.Quantity }));
      return {
        ...record,
        Status: status,
        Rows: rows,
        ShippedDateTime: addDays(String(record.OrderDate), 2),
        DeliveredAmount: record.Amount,
        DeliveredVatAmount: record.VatAmount,
        DeliveredRoundingsAmount: record.RoundingsAmount,
      };
    },
  },
  {
    resource: quotes,
    days: 120,
    body: (draw, customer, date) => ({
      CustomerId: customer.Id,
      QuoteDate: date,
      DueDate: addDays(date, 30),
      EuThirdParty: false,
      RotReducedInvoicingType: 0,
      Rows: articleRows(draw),
    }),
    // 1 Ongoing while valid, then approved (2, some invoiced since: 3) or left to lapse (still 1).
    age: (draw, record, daysAgo) => {
      if (daysAgo <= 30) return { ...record, Status: 1 };
      const status = draw.random.pick([1, 2, 2, 3]);
      return status === 1 ? { ...record, Status: 1 } : { ...record, Status: status, ApprovedDate: addDays(String(record.QuoteDate), draw.random.int(1, 14)) };
    },
  },
  {
    resource: customerInvoiceDrafts,
    days: 21,
    body: (draw, customer, date) => ({
      ...invoiceHead(draw, customer, date),
      DeliveryMethodCode: draw.random.chance(0.5) ? draw.random.pick(draw.deliveryCodes) : null,
      Rows: lines(draw).map((line, index) => ({ LineNumber: index + 1, ReversedConstructionServicesVatFree: false, ...line })),
    }),
    age: (_draw, record) => record,
  },
  {
    resource: customerInvoices,
    days: 120,
    body: (draw, customer, date) => ({ ...invoiceHead(draw, customer, date), Rows: articleRows(draw) }),
    // Most invoices whose due date lies before the anchor (daysAgo days after the invoice date) are paid.
    age: (draw, record, daysAgo) => {
      const dueBeforeAnchor = addDays(String(record.InvoiceDate), daysAgo) > String(record.DueDate).slice(0, 10);
      return dueBeforeAnchor && draw.random.chance(0.85) ? { ...record, RemainingAmount: 0, RemainingAmountInvoiceCurrency: 0 } : record;
    },
  },
];

/** Shown as "our reference": the merchant's own staff, not the webshop flows' `our_reference`. */
const OUR_REFERENCE = 'Verkoop binnendienst';

const TEXT_LINES = ['Levering in overleg', 'Graag bezorgen via de achteringang', 'Prijzen volgens afspraak'];

/** 1-3 article rows, a shipping row on some and a text row on a few, as a bookkeeper types them. */
function lines(draw: Draw): SandboxRecord[] {
  const { random } = draw;
  const out: SandboxRecord[] = [];
  const used = new Set<unknown>();
  for (let count = random.int(1, 3), i = 0; i < count; i++) {
    const article = random.pick(draw.goods);
    if (used.has(article.Id)) continue;
    used.add(article.Id);
    out.push({ IsTextRow: false, ArticleId: article.Id, Quantity: random.chance(0.5) ? random.int(1, 3) : random.int(4, 24), DiscountPercentage: random.chance(0.2) ? random.pick([0.05, 0.1]) : 0 });
  }
  if (draw.shipping && random.chance(0.4)) out.push({ IsTextRow: false, ArticleId: draw.shipping.Id, Quantity: 1, DiscountPercentage: 0 });
  if (random.chance(0.2)) out.push({ IsTextRow: true, Text: random.pick(TEXT_LINES) });
  return out;
}

/** Rows for quotes and invoices, whose rows have no text-row flag of their own (it is read-only): article rows only. */
function articleRows(draw: Draw): SandboxRecord[] {
  return lines(draw).filter((line) => !line.IsTextRow).map(({ IsTextRow: _text, ...line }) => line);
}

/** What an invoice draft and an invoice body begin with. */
function invoiceHead(draw: Draw, customer: SandboxRecord, date: string): SandboxRecord {
  return {
    CustomerId: customer.Id,
    InvoiceDate: date,
    EuThirdParty: false,
    RotReducedInvoicingType: 0,
    YourReference: purchaseOrderReference(draw, customer, date),
    OurReference: OUR_REFERENCE,
  };
}

/** A company's purchase-order number (`PO-2026-0412`) on most of its documents; private persons give none. */
function purchaseOrderReference(draw: Draw, customer: SandboxRecord, date: string): string | null {
  if (customer.IsPrivatePerson === true || draw.random.chance(0.25)) return null;
  return `PO-${date.slice(0, 4)}-${String(draw.random.int(1, 9999)).padStart(4, '0')}`;
}

/** Active stock articles: what the documents sell (the shipping and discount service articles are not goods). */
function goodsArticles(records: EntityRecords): SandboxRecord[] {
  return (records['articles'] ?? []).filter(
    (article) => article.IsActive === true && article.IsStock === true && article.Number !== SHIPPING_ARTICLE_NUMBER && article.Number !== DISCOUNT_ARTICLE_NUMBER,
  );
}

/** `count` distinct-enough days before the anchor, oldest first, so numbers rise with the dates. */
function spreadDays(random: SeededRandom, count: number, days: number): number[] {
  return Array.from({ length: count }, (_, i) => Math.max(1, Math.round(((count - i) / count) * days) - random.int(0, 2)));
}

function addDays(date: string, days: number): string {
  return isoSeconds(Date.parse(date.slice(0, 10)) + days * DAY_MS).slice(0, 10);
}
