import { roundHalfUp } from '../../../../compiler/stdlib/bindings.js';
import type { SandboxRecord } from '../../../sandbox/store.js';
import type { EaRecords } from '../context.js';

/**
 * How eAccounting puts VAT on a sales document (order, quote, invoice draft, invoice), as far as the notes tell:
 * the rate comes from each row's article coding (`VatRatePercent`, a fraction here), the treatment from the
 * customer (§ on articleaccountcodings: domestic, EU, outside the EU): a customer in the company's own country
 * pays the coding's VAT; a business in another EU member state (`/v2/countries` `IsEuMember`) with a VAT number
 * is reverse charge (no VAT); a customer outside the EU is export (no VAT). An EU private person, or an EU
 * business without a VAT number, pays domestic VAT (distance sales; OSS is not modelled). `EuThirdParty` and a
 * row's `IsVatFree` also give no VAT.
 *
 * Amounts are summed per VAT rate and the VAT of each rate is rounded half away from zero, once (the invoice's
 * `VatSpecification` is that per-rate summary). Unit prices are excluding VAT unless the document `IncludesVat`:
 * the Swagger says that is set on creation from the company setting "Show prices excl. VAT for private
 * individuals" (`ShowPricesExclVatPC`), so it is true for a private person's document while that setting is off.
 * Then the per-rate amounts are gross and the VAT is taken out of them.
 */

/** The sandbox company is Dutch: its VAT codes and codings are the Dutch ones (reference-data.ts). */
export const COMPANY_COUNTRY = 'NL';

/** The company settings that change how documents are priced (CompanySettingsApi names). */
export interface EaCompanySettings {
  /** "Show prices excl. VAT for private individuals"; off by default, so a private person's prices include VAT. */
  readonly ShowPricesExclVatPC: boolean;
}

export const DEFAULT_COMPANY_SETTINGS: EaCompanySettings = { ShowPricesExclVatPC: false };

export type VatTreatment = 'domestic' | 'eu-reverse-charge' | 'export';

/** What a document's VAT depends on, settled once per document from its customer. */
export interface DocumentVatRules {
  readonly treatment: VatTreatment;
  /** Unit prices on the rows include VAT. */
  readonly includesVat: boolean;
  /** The VAT rate (fraction) a row gets, given its article coding's rate. */
  rateOf(row: SandboxRecord, codingRate: number): number;
}

export function documentVatRules(ctx: EaRecords, customer: SandboxRecord, body: SandboxRecord, company: EaCompanySettings): DocumentVatRules {
  const treatment = vatTreatment(ctx, customer);
  const vatFree = treatment !== 'domestic' || body.EuThirdParty === true;
  return {
    treatment,
    includesVat: customer.IsPrivatePerson === true && !company.ShowPricesExclVatPC,
    rateOf: (row, codingRate) => (vatFree || row.IsVatFree === true ? 0 : codingRate),
  };
}

/**
 * The customer's country decides: the company's own country (or none) is domestic; a code `/v2/countries` does
 * not list is treated as domestic too, so a typo never drops VAT.
 */
export function vatTreatment(ctx: EaRecords, customer: SandboxRecord): VatTreatment {
  const code = typeof customer.InvoiceCountryCode === 'string' && customer.InvoiceCountryCode !== '' ? customer.InvoiceCountryCode.toUpperCase() : COMPANY_COUNTRY;
  if (code === COMPANY_COUNTRY) return 'domestic';
  const country = ctx.store.get('countries', code);
  if (!country) return 'domestic';
  if (country.IsEuMember !== true) return 'export';
  const hasVatNumber = typeof customer.VatNumber === 'string' && customer.VatNumber.trim() !== '';
  return customer.IsPrivatePerson !== true && hasVatNumber ? 'eu-reverse-charge' : 'domestic';
}

/** One row's amount (on the document's price basis) and the VAT rate it gets. */
export interface VatLine {
  readonly amount: number;
  readonly rate: number;
}

export interface RateTotal {
  readonly rate: number;
  /** Excluding VAT. */
  readonly net: number;
  readonly vat: number;
}

export interface DocumentTotals {
  /** Excluding VAT: the document's `Amount` / `TotalAmount`. */
  readonly net: number;
  readonly vat: number;
  /** Per VAT rate, highest rate first. */
  readonly perRate: readonly RateTotal[];
}

/** The document's totals: per rate the amounts summed, the VAT of the sum rounded half away from zero. */
export function documentTotals(lines: readonly VatLine[], includesVat: boolean): DocumentTotals {
  const byRate = new Map<number, number>();
  for (const line of lines) byRate.set(line.rate, (byRate.get(line.rate) ?? 0) + line.amount);
  const perRate = [...byRate.entries()]
    .sort(([a], [b]) => b - a)
    .map(([rate, sum]): RateTotal => {
      const amount = cents(sum);
      const vat = cents(includesVat ? (amount * rate) / (1 + rate) : amount * rate);
      return { rate, net: includesVat ? cents(amount - vat) : amount, vat };
    });
  return {
    net: cents(perRate.reduce((sum, r) => sum + r.net, 0)),
    vat: cents(perRate.reduce((sum, r) => sum + r.vat, 0)),
    perRate,
  };
}

/** Half away from zero to the cent, as the notes say eAccounting rounds amounts. */
export function cents(value: number): number {
  return roundHalfUp(value, 2) ?? 0;
}
