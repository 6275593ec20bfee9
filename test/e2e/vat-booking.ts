import { EA_IDS } from '../../connectors/eaccounting/sandbox/reference-data.js';
import type { EaCompanySettings } from '../../connectors/eaccounting/sandbox/entities/vat.js';
import type { SandboxesOptions } from '../../connectors/sandbox/index.js';
import type { RunResult } from '../../runtime/engine/index.js';
import { VAT_CASE_ARTICLES, VAT_CASES, vatCaseOrder, type VatCase } from '../../scripts/vat-cases.js';
import { createdRecords } from '../helpers/created.js';
import { startEnv } from '../runtime/engine/helpers.js';

/**
 * Books the VAT cases (scripts/vat-cases.ts) together with a seeded shop's orders through one document mapping,
 * over HTTP between the two sandboxes, and answers which document each shop order became. Used by the e2e test
 * and by scripts/vat-totals.ts, which prints the measured totals.
 */
type Rec = Record<string, unknown>;

export interface DocumentFlow {
  readonly file: string;
  /** The `document` setting of orders.map that books this entity (also the flow's name). */
  readonly document: string;
  readonly entity: string;
  readonly amount: string;
  readonly vat: string;
}

export const DOCUMENT_FLOWS: readonly DocumentFlow[] = [
  { file: 'mappings/orders.map', document: 'orders', entity: 'orders', amount: 'Amount', vat: 'VatAmount' },
  { file: 'mappings/orders.map', document: 'invoicedrafts', entity: 'customerinvoicedrafts', amount: 'TotalAmount', vat: 'TotalVatAmount' },
  { file: 'mappings/orders.map', document: 'invoices', entity: 'customerinvoices', amount: 'TotalAmount', vat: 'TotalVatAmount' },
  { file: 'mappings/orders.map', document: 'quotes', entity: 'quotes', amount: 'TotalAmount', vat: 'VatAmount' },
];

/** A document's total including VAT and its VAT, as eAccounting computed them. */
export function documentTotal(kind: DocumentFlow, document: Rec): { total: number; vat: number } {
  const amount = document[kind.amount] as number;
  const vat = document[kind.vat] as number;
  return { total: Math.round((amount + vat) * 100) / 100, vat };
}

export interface BookedVatCases {
  readonly errors: RunResult['errors'];
  /** Reasons of the records that failed. */
  readonly failed: readonly string[];
  /** The seeded shop orders (not the cases). */
  readonly seededOrders: readonly Rec[];
  documentOf(c: VatCase): Rec | undefined;
  documentOfOrder(order: Rec): Rec | undefined;
  customerOf(document: Rec): Rec;
  rowsOf(order: Rec): Rec[];
  /** The VAT rate (a fraction) the article is coded with. */
  codedRateOf(articleId: unknown): number | undefined;
  close(): Promise<void>;
}

const CODING_BY_RATE = { 21: EA_IDS.codings.goods21, 9: EA_IDS.codings.goods9, 0: EA_IDS.codings.goods0 } as const;

export async function bookVatCases(
  kind: DocumentFlow,
  sandbox: SandboxesOptions,
  options: { settings?: Record<string, unknown>; companySettings?: Partial<EaCompanySettings> } = {},
): Promise<BookedVatCases> {
  const env = await startEnv([kind.file], {
    sandbox: { ...sandbox, ...(options.companySettings ? { eaccounting: { companySettings: options.companySettings } } : {}) },
    settings: { document: kind.document, ...options.settings },
  });
  try {
    const shop = env.sandboxes.ccvshop.control;
    const accounting = env.sandboxes.eaccounting.control;
    const seededOrders = shop.records('orders');
    // The cases' goods as articles with the coding of their rate; shipping and discount articles are seeded.
    const template = accounting.records('articles').find((a) => a.IsStock === true)!;
    const codings = accounting.records('articleaccountcodings');
    accounting.putRecords(
      'articles',
      VAT_CASE_ARTICLES.filter((a) => !accounting.records('articles').some((b) => b.Number === a.Number)).map((a) => {
        const coding = codings.find((c) => c.Id === CODING_BY_RATE[a.rate])!;
        return { ...template, Id: a.Id, Number: a.Number, Name: a.Name, CodingId: coding.Id, CodingName: coding.Name, NetPrice: 10, GrossPrice: Math.round(10 * (100 + a.rate)) / 100, Barcodes: [] };
      }),
    );
    // Dated an hour ago on the sandbox clock, so the first run reads them whatever its window.
    const created = new Date(env.sandboxes.clock.now() - 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    for (const c of VAT_CASES) {
      const { orderrows, ...order } = vatCaseOrder(c);
      shop.putRecords('orders', [{ ...order, create_date: created }]);
      shop.putRecords('orderrows', orderrows as Rec[]);
    }
    const result = await env.sync();
    const flow = result.flows[0]!;
    // What the run booked, not the documents the sandbox is seeded with.
    const documents = createdRecords(accounting, kind.entity);
    const customers = accounting.records('customers');
    const customerByEmail = (email: string) => customers.find((x) => x.EmailAddress === email);
    const orderRows = shop.records('orderrows');
    // Quotes carry no order number: a case's quote is found by its customer, whose e-mail no seeded order has.
    const documentOf = (c: VatCase): Rec | undefined =>
      kind.entity === 'quotes'
        ? documents.find((d) => d.CustomerId === customerByEmail(c.customer.email)?.Id)
        : documents.find((d) => d.YourReference === `WEB-${c.ordernumber}`);
    return {
      errors: result.errors,
      failed: flow.records.filter((r) => r.action === 'fail').map((r) => `${r.sourceId}: ${String(r.reason)}`),
      seededOrders,
      documentOf,
      documentOfOrder: (order) => {
        if (kind.entity !== 'quotes') return documents.find((d) => d.YourReference === order.ordernumber_full);
        // A quote carries no order number: it is matched when its customer had just this one order booked.
        const email = (order.customer as Rec).email;
        const booked = flow.records.filter((r) => r.action === 'create').map((r) => seededOrders.find((o) => String(o.id) === r.sourceId));
        const ofCustomer = booked.filter((o) => (o?.customer as Rec | undefined)?.email === email);
        if (ofCustomer.length !== 1 || ofCustomer[0] !== order) return undefined;
        const quotes = documents.filter((d) => d.CustomerId === customerByEmail(String(email))?.Id);
        return quotes.length === 1 ? quotes[0] : undefined;
      },
      customerOf: (document) => customers.find((x) => x.Id === document.CustomerId)!,
      rowsOf: (order) => orderRows.filter((r) => r.order_id === order.id),
      codedRateOf: (articleId) => {
        const article = accounting.records('articles').find((a) => a.Id === articleId);
        const coding = codings.find((c) => c.Id === article?.CodingId);
        return coding === undefined ? undefined : Number(coding.VatRatePercent);
      },
      close: () => env.close(),
    };
  } catch (error) {
    await env.close();
    throw error;
  }
}
