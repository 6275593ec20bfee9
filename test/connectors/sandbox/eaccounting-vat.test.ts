import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EA_IDS } from '../../../connectors/eaccounting/sandbox/reference-data.js';
import { startSandboxes, type RunningSandboxes } from '../../../connectors/sandbox/index.js';
import { TERMS_14_DAYS, ea, eaToken } from './helpers.js';

/**
 * How the eAccounting sandbox puts VAT on a document (connectors/eaccounting/sandbox/entities/vat.ts): the rate
 * from each article's coding, the treatment from the customer's country (GET /v2/countries IsEuMember) and VAT
 * number, per-rate sums with the VAT rounded half away from zero once per rate, and unit prices that include VAT
 * on a private person's document unless the company setting ShowPricesExclVatPC is on.
 */
type Rec = Record<string, any>;
let s: RunningSandboxes;
let access: string;
const articles: Record<string, Rec> = {};

beforeAll(async () => {
  s = await startSandboxes({ seed: 'ea-vat', sizes: { products: 10, customers: 4, orders: 2 } });
  access = await eaToken(s);
  const template = s.eaccounting.control.records('articles').find((a) => a.IsStock === true)!;
  const goods = (Number: string, CodingId: string, NetPrice: number, GrossPrice: number) => ({ ...template, Id: `00000000-0000-4000-8000-0000000000${Number.slice(-2)}`, Number, CodingId, NetPrice, GrossPrice });
  s.eaccounting.control.putRecords('articles', [
    goods('VAT-09', EA_IDS.codings.goods9, 27.48, 29.95),
    goods('VAT-21', EA_IDS.codings.goods21, 0.03, 0.04),
  ]);
  for (const a of s.eaccounting.control.records('articles')) articles[String(a.Number)] = a;
});
afterAll(() => s.close());

async function customer(fields: Rec): Promise<Rec> {
  const created = await ea(s, access, 'POST', '/v2/customers', { Name: 'Klant', InvoiceCity: 'Utrecht', InvoicePostalCode: '3512 AB', TermsOfPaymentId: TERMS_14_DAYS, IsActive: true, ...fields });
  expect(created.status, created.text).toBe(201);
  return created.json;
}

async function invoice(customerId: string, rows: readonly [string, number, number?][]): Promise<Rec> {
  const created = await ea(s, access, 'POST', '/v2/customerinvoices', {
    CustomerId: customerId, EuThirdParty: false, RotReducedInvoicingType: 0, InvoiceDate: '2026-03-01',
    Rows: rows.map(([number, quantity, price]) => ({ ArticleId: articles[number]!.Id, Quantity: quantity, ...(price !== undefined ? { UnitPrice: price } : {}) })),
  });
  expect(created.status, created.text).toBe(201);
  return created.json;
}

describe('eAccounting sandbox: VAT on documents', () => {
  it('takes a private person\'s unit prices including VAT, and the VAT out of each rate\'s sum', async () => {
    const person = await customer({ IsPrivatePerson: true, InvoiceCountryCode: 'NL' });
    const doc = await invoice(person.Id, [['VAT-09', 2], ['VERZEND', 1, 4.95]]);
    expect(doc.IncludesVat).toBe(true);
    expect(doc.Rows[0]).toMatchObject({ UnitPrice: 29.95, PercentVat: 0.09 });
    // 9 %: 59.90 holds 4.95 VAT; 21 %: 4.95 holds 0.86.
    expect({ net: doc.TotalAmount, vat: doc.TotalVatAmount }).toEqual({ net: 59.04, vat: 5.81 });
    expect(doc.RemainingAmount).toBe(64.85);
  });

  it('takes a company\'s unit prices excluding VAT and adds the VAT per rate', async () => {
    const company = await customer({ IsPrivatePerson: false, InvoiceCountryCode: 'NL', VatNumber: 'NL123456789B01' });
    const doc = await invoice(company.Id, [['VAT-09', 2], ['VERZEND', 1, 4.09]]);
    expect(doc.IncludesVat).toBe(false);
    expect({ net: doc.TotalAmount, vat: doc.TotalVatAmount }).toEqual({ net: 59.05, vat: 5.81 });
    expect(doc.VatSpecification).toEqual([
      { AmountInvoiceCurrency: 4.09, VatAmountInvoiceCurrency: 0.86, VatPercent: 0.21 },
      { AmountInvoiceCurrency: 54.96, VatAmountInvoiceCurrency: 4.95, VatPercent: 0.09 },
    ]);
  });

  it('rounds VAT once per rate, not per row', async () => {
    const company = await customer({ IsPrivatePerson: false, InvoiceCountryCode: 'NL' });
    // Per row 0.0063 would round to 0.01 twice; the 21 % sum 0.06 holds 0.0126, which is 0.01.
    const doc = await invoice(company.Id, [['VAT-21', 1], ['VAT-21', 1]]);
    expect({ net: doc.TotalAmount, vat: doc.TotalVatAmount }).toEqual({ net: 0.06, vat: 0.01 });
  });

  it('charges no VAT to an EU business with a VAT number (reverse charge) nor outside the EU (export)', async () => {
    const belgianCompany = await customer({ IsPrivatePerson: false, InvoiceCountryCode: 'BE', VatNumber: 'BE0123456749' });
    const british = await customer({ IsPrivatePerson: true, InvoiceCountryCode: 'GB' });
    for (const who of [belgianCompany, british]) {
      const doc = await invoice(who.Id, [['VAT-09', 2, 27.48], ['VERZEND', 1, 4.09]]);
      expect({ vat: doc.TotalVatAmount, rates: doc.Rows.map((r: Rec) => r.PercentVat) }, who.InvoiceCountryCode).toEqual({ vat: 0, rates: [0, 0] });
      expect(doc.TotalAmount).toBe(59.05);
    }
  });

  it('charges domestic VAT to an EU private person, an EU business without a VAT number, and an unknown country', async () => {
    for (const fields of [{ IsPrivatePerson: true, InvoiceCountryCode: 'BE' }, { IsPrivatePerson: false, InvoiceCountryCode: 'DE' }, { IsPrivatePerson: false, InvoiceCountryCode: 'XX' }]) {
      const who = await customer(fields);
      const doc = await invoice(who.Id, [['VAT-09', 1, fields.IsPrivatePerson ? 29.95 : 27.48]]);
      expect(doc.TotalVatAmount, JSON.stringify(fields)).toBe(2.47); // 9 % of 27.48, or the 9 % in 29.95
    }
  });
});

describe('eAccounting sandbox: a company that shows private persons prices excluding VAT', () => {
  it('takes a private person\'s prices excluding VAT too', async () => {
    const other = await startSandboxes({ seed: 'ea-vat', sizes: { products: 4, customers: 2, orders: 1 }, eaccounting: { companySettings: { ShowPricesExclVatPC: true } } });
    try {
      const token = await eaToken(other);
      const person = (await ea(other, token, 'POST', '/v2/customers', { Name: 'Jan', InvoiceCity: 'Utrecht', InvoicePostalCode: '3512 AB', TermsOfPaymentId: TERMS_14_DAYS, IsActive: true, IsPrivatePerson: true })).json;
      const shipping = other.eaccounting.control.records('articles').find((a) => a.Number === 'VERZEND')!;
      const doc = (await ea(other, token, 'POST', '/v2/customerinvoices', { CustomerId: person.Id, EuThirdParty: false, RotReducedInvoicingType: 0, Rows: [{ ArticleId: shipping.Id, Quantity: 1, UnitPrice: 4.09 }] })).json;
      expect({ includes: doc.IncludesVat, net: doc.TotalAmount, vat: doc.TotalVatAmount }).toEqual({ includes: false, net: 4.09, vat: 0.86 });
    } finally {
      await other.close();
    }
  });
});
