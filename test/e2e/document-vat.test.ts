import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VAT_CASES, articleOf, vatCaseOrder, type VatCase } from '../../scripts/vat-cases.js';
import { bookVatCases, documentTotal, DOCUMENT_FLOWS, type BookedVatCases } from './vat-booking.js';

/**
 * Issue 12 item 5 over HTTP: the coupon cases (scripts/vat-cases.ts) and every seeded order go from the CCV Shop
 * sandbox through each document mapping into the eAccounting sandbox, which computes the document's VAT itself
 * from the rows it gets, the article codings and the customer (country, VAT number). Each document's total and
 * VAT must equal the shop order's `total_price` and `total_tax` to the cent.
 */
type Rec = Record<string, unknown>;
const cents = (n: number) => Math.round(n * 100);

describe.each(DOCUMENT_FLOWS)('$file with document = $document', (kind) => {
  let booked: BookedVatCases;
  beforeAll(async () => {
    booked = await bookVatCases(kind, { seed: 'document-vat', sizes: { orders: 80, customers: 40, products: 15 } });
  });
  afterAll(async () => booked?.close());

  it('books every case and every eligible seeded order, failing none', () => {
    expect(booked.errors).toEqual([]);
    expect(booked.failed).toEqual([]);
    for (const c of VAT_CASES) expect(booked.documentOf(c), c.label).toBeDefined();
  });

  it.each(VAT_CASES.map((c) => [c.label, c] as const))('%s: the document totals and VAT equal the shop order\'s to the cent', (_label, c) => {
    const totals = documentTotal(kind, booked.documentOf(c)!);
    expect({ total: cents(totals.total), vat: cents(totals.vat) }).toEqual({ total: cents(c.totals.price), vat: cents(c.totals.tax) });
  });

  it('gives each row the VAT of its goods: coupon rows the rate they discount, nothing on reverse charge and export', () => {
    // Only invoice rows document their rate (PercentVat). On the other documents a row's rate is its article's
    // coding, and a customer the VAT does not apply to (reverse charge, export) shows as a document without VAT.
    const rateOf = (c: VatCase, number: string): unknown => {
      const document = booked.documentOf(c)!;
      const row = (document.Rows as Rec[]).find((r) => r.ArticleNumber === number);
      if (row === undefined) return undefined;
      if ('PercentVat' in row) return row.PercentVat;
      return documentTotal(kind, document).vat === 0 ? 0 : booked.codedRateOf(row.ArticleId);
    };
    const [nine, , , mixed, reverse, exported] = VAT_CASES as [VatCase, VatCase, VatCase, VatCase, VatCase, VatCase];
    expect(rateOf(nine, 'KORTING-9')).toBe(0.09);
    expect([rateOf(mixed, 'KORTING-9'), rateOf(mixed, 'KORTING'), rateOf(mixed, 'KORTING-0')]).toEqual([0.09, 0.21, 0]);
    expect(rateOf(mixed, 'VERZEND')).toBe(0.21);
    // KB-1000 is coded 9 %: the customer, not the article, makes these VAT-free.
    expect(articleOf('KB-1000').rate).toBe(9);
    expect(rateOf(reverse, 'KB-1000')).toBe(0);
    expect(rateOf(exported, 'EG-1100')).toBe(0);
  });

  it('matches the shop to the cent for every seeded private person and VAT-free order, and within the rounding of converted prices for companies', () => {
    let exact = 0;
    let converted = 0;
    for (const order of booked.seededOrders) {
      const document = booked.documentOfOrder(order);
      if (!document) continue;
      const totals = documentTotal(kind, document);
      const customer = booked.customerOf(document);
      // A company's document is priced excluding VAT while the shop's prices include it (docs/decisions.md).
      if (customer.IsPrivatePerson !== true && order.order_row_taxes_included === true) {
        converted++;
        const rows = booked.rowsOf(order);
        const rates = new Set(rows.map((r) => r.tax)).size + 1;
        const units = rows.reduce((sum, r) => sum + (r.count as number), 0) + 2;
        const bound = cents(0.005 * units * 1.21) + rates;
        expect(Math.abs(cents(totals.total) - cents(order.total_price as number)), String(order.ordernumber_full)).toBeLessThanOrEqual(bound);
        continue;
      }
      exact++;
      expect({ total: cents(totals.total), vat: cents(totals.vat) }, String(order.ordernumber_full)).toEqual({
        total: cents(order.total_price as number),
        vat: cents(order.total_tax as number),
      });
    }
    expect(exact).toBeGreaterThan(kind.entity === 'quotes' ? 5 : 20);
    expect(converted).toBeGreaterThan(0);
  });

  if (kind.entity === 'customerinvoices') {
    it('summarises an invoice per VAT rate in its VatSpecification', () => {
      const mixed = VAT_CASES[3]!;
      const spec = booked.documentOf(mixed)!.VatSpecification as Rec[];
      expect(spec).toEqual([
        { AmountInvoiceCurrency: 37.52, VatAmountInvoiceCurrency: 7.88, VatPercent: 0.21 },
        { AmountInvoiceCurrency: 49.46, VatAmountInvoiceCurrency: 4.45, VatPercent: 0.09 },
        { AmountInvoiceCurrency: 22.5, VatAmountInvoiceCurrency: 0, VatPercent: 0 },
      ]);
    });
  }
});

describe('a company that shows private persons prices excluding VAT', () => {
  it('gets converted prices from the mapping set to match, and still the shop\'s totals for these cases', async () => {
    // An invoice draft, whose contract (unlike an order's) documents IncludesVat.
    const kind = DOCUMENT_FLOWS.find((k) => k.entity === 'customerinvoicedrafts')!;
    const booked = await bookVatCases(kind, { seed: 'document-vat', sizes: { orders: 4, customers: 4, products: 4 } }, {
      settings: { private_prices_incl_vat: false },
      companySettings: { ShowPricesExclVatPC: true },
    });
    try {
      expect(booked.failed).toEqual([]);
      const nine = VAT_CASES[0]!;
      const document = booked.documentOf(nine)!;
      expect(document.IncludesVat).toBe(false);
      expect((document.Rows as Rec[]).map((r) => r.UnitPrice)).toEqual([27.48, 4.09, 4.59]);
      expect(documentTotal(kind, document)).toEqual({ total: 59.85, vat: 5.39 });
      expect(vatCaseOrder(nine).total_price).toBe(59.85);
    } finally {
      await booked.close();
    }
  });
});
