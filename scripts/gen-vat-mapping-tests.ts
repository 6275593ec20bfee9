/**
 * Writes the golden VAT mapping tests of the four order-document mappings (`mappings/tests/*-vat.test.json`)
 * from the cases in vat-cases.ts: per case the shop order, and the exact payload the mapping must send, built
 * from the case's golden rows plus the document's fixed fields. `node --import tsx scripts/gen-vat-mapping-tests.ts`;
 * `--check` compares instead of writing and exits 1 when a file would change (a test runs the same check).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { VAT_CASE_ARTICLES, VAT_CASES, articleOf, vatCaseOrder, type GoldenRow, type VatCase } from './vat-cases.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Fields = Record<string, Json>;

export const mappingTestsDir = resolve(fileURLToPath(import.meta.url), '../../mappings/tests');

/** What each document type of orders.map writes besides the rows, and the flags each of its rows carries. */
interface DocumentKind {
  /** The test file's name: `mappings/tests/<file>-vat.test.json`. */
  readonly file: string;
  /** The variant's flow name, which is also its value of the `document` setting. */
  readonly flow: string;
  readonly header: (c: VatCase) => Fields;
  /** Fields every row gets (before ArticleId), given its position (0-based). */
  readonly rowFlags: (position: number) => Fields;
  /** Fields every row gets after the rest. */
  readonly rowTail: Fields;
}

const TERMS: Record<string, string> = {
  ccvonlinepayments_ideal: '17fc695a-07a0-4a6e-8822-e8f36c031199',
  paypal_paypal: '17fc695a-07a0-4a6e-8822-e8f36c031199',
  manual_banktransfer: 'bdd640fb-0667-4ad1-9c80-317fa3b1799d',
};
const DELIVERY_CODES = { shipping: 'POST', pickup: 'AFHALEN' } as const;

function delivery(c: VatCase): Fields {
  const p = c.customer;
  return {
    DeliveryCustomerName: p.company ?? `${p.firstName} ${p.lastName}`,
    DeliveryAddress1: `${p.street} ${p.housenumber}`,
    DeliveryPostalCode: p.zipcode,
    DeliveryCity: p.city,
    DeliveryCountryCode: p.countryCode,
  };
}

const date = (c: VatCase) => c.createDate.slice(0, 10);
const customerId = (c: VatCase) => `(new eaccounting.customers EmailAddress=${JSON.stringify(c.customer.email)})`;

export const DOCUMENT_KINDS: readonly DocumentKind[] = [
  {
    file: 'orders', flow: 'orders',
    header: (c) => ({
      CustomerId: customerId(c), CurrencyCode: 'EUR', OrderDate: date(c), Status: 2, YourReference: `WEB-${c.ordernumber}`, OurReference: 'Webshop',
      EuThirdParty: false, ReverseChargeOnConstructionServices: false, RotReducedInvoicingType: 0, DeliveryMethodCode: DELIVERY_CODES[c.deliverMethod], ...delivery(c),
    }),
    rowFlags: (position) => ({ LineNumber: position + 1, IsTextRow: false, IsWorkCost: false, EligibleForReverseChargeOnVat: false }),
    rowTail: {},
  },
  {
    file: 'invoice-drafts', flow: 'invoicedrafts',
    header: (c) => ({
      CustomerId: customerId(c), InvoiceDate: date(c), YourReference: `WEB-${c.ordernumber}`, OurReference: 'Webshop', EuThirdParty: false,
      RotReducedInvoicingType: 0, DeliveryMethodCode: DELIVERY_CODES[c.deliverMethod], ...delivery(c),
    }),
    rowFlags: (position) => ({ LineNumber: position + 1, IsTextRow: false, ReversedConstructionServicesVatFree: false }),
    rowTail: {},
  },
  {
    file: 'invoices', flow: 'invoices',
    header: (c) => ({
      CustomerId: customerId(c), InvoiceDate: date(c), YourReference: `WEB-${c.ordernumber}`, OurReference: 'Webshop',
      TermsOfPaymentId: TERMS[c.paymethod]!, EuThirdParty: false, RotReducedInvoicingType: 0, ...delivery(c),
    }),
    rowFlags: () => ({}),
    rowTail: { IsVatFree: false },
  },
  {
    file: 'quotes', flow: 'quotes',
    header: (c) => ({
      CustomerId: customerId(c), QuoteDate: date(c),
      DueDate: new Date(Date.parse(c.createDate) + 30 * 86_400_000).toISOString().slice(0, 10), EuThirdParty: false, RotReducedInvoicingType: 0,
    }),
    rowFlags: () => ({}),
    rowTail: {},
  },
];

/**
 * Line numbers as the mappings give them: product rows 1..n, shipping n + 1, the k-th coupon rate n + 2 + k (so
 * an order without shipping leaves n + 1 unused).
 */
function lineOf(c: VatCase, row: GoldenRow, index: number): number {
  const products = c.rows.length;
  if (index < products) return index;
  if (row.article.startsWith('VERZEND')) return products;
  const coupons = c.expected.filter((r) => r.article.startsWith('KORTING'));
  return products + 1 + coupons.indexOf(row);
}

function payloadOf(kind: DocumentKind, c: VatCase): Fields {
  const rows = c.expected.map((row, index): Fields => {
    const article = articleOf(row.article);
    const isProduct = index < c.rows.length;
    return {
      ...kind.rowFlags(lineOf(c, row, index)),
      ArticleId: article.Id,
      ...(isProduct ? { Text: article.Name } : row.text ? { Text: row.text } : {}),
      Quantity: row.quantity,
      UnitPrice: row.unitPrice,
      ...kind.rowTail,
    };
  });
  return { ...kind.header(c), Rows: rows };
}

export function vatMappingTests(kind: DocumentKind): Json {
  return {
    flow: kind.flow,
    files: ['../orders.map'],
    settings: { document: kind.flow },
    data: { 'eaccounting.articles': VAT_CASE_ARTICLES.map((a) => ({ Id: a.Id, Number: a.Number, Name: a.Name, IsActive: true })) },
    cases: [
      ...VAT_CASES.map((c): Json => ({
        name: c.name,
        source: vatCaseOrder(c),
        ...(c.settings ? { settings: c.settings } : {}),
        expect: { action: 'create', upserts: [{ entity: 'eaccounting.customers', action: 'create' }], payload: payloadOf(kind, c) },
      })),
      {
        name: 'a coupon on goods of a VAT rate that discount_articles does not list fails the order at that lookup',
        source: { ...vatCaseOrder(VAT_CASES[0]!), orderrows: [{ ...(vatCaseOrder(VAT_CASES[0]!).orderrows as Fields[])[0]!, tax: 6 }] },
        expect: { action: 'fail', reason: 'cannot look up eaccounting.articles by Number: the key value is absent' },
      },
    ],
  };
}

export function generateVatMappingTests(): Map<string, string> {
  return new Map(DOCUMENT_KINDS.map((kind) => [join(mappingTestsDir, `${kind.file}-vat.test.json`), `${JSON.stringify(vatMappingTests(kind), null, 2)}\n`]));
}

/** The files whose committed text differs from what the generator writes. */
export function staleVatMappingTests(files: Map<string, string>): string[] {
  return [...files].filter(([path, text]) => {
    try {
      return readFileSync(path, 'utf8') !== text;
    } catch {
      return true;
    }
  }).map(([path]) => path);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const files = generateVatMappingTests();
  if (process.argv.includes('--check')) {
    const stale = staleVatMappingTests(files);
    for (const path of stale) process.stderr.write(`would change: ${path}\n`);
    process.exit(stale.length > 0 ? 1 : 0);
  }
  for (const [path, text] of files) writeFileSync(path, text);
}
