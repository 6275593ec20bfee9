import { SeededRandom } from '../../sandbox/rng.js';
import { round2, type PlanCustomer, type PlanProduct, type SeedPlan } from '../../sandbox/seed-plan.js';
import type { EntityRecords, SandboxRecord } from '../../sandbox/store.js';
import { inContractShape } from './context.js';
import {
  DISCOUNT_ARTICLE_NUMBER,
  EA_IDS,
  SHIPPING_ARTICLE_NUMBER,
  articleAccountCodings,
  articleLabels,
  countries,
  deliveryMethods,
  deliveryTerms,
  termsOfPayments,
  units,
  vatCodes,
} from './reference-data.js';
import { seedDocuments } from './seed-documents.js';

/**
 * Shipping and discount articles per VAT rate: a coupon is booked per rate of the goods it discounts and
 * shipping at the shop's shipping rate, each on an article whose coding carries that rate (the mappings'
 * `shipping_articles` and `discount_articles` tables name them).
 */
const RATE_ARTICLES = [
  { Number: `${SHIPPING_ARTICLE_NUMBER}-9`, Name: 'Verzendkosten 9%', NameEnglish: 'Shipping costs 9%', coding: EA_IDS.codings.shipping9 },
  { Number: `${SHIPPING_ARTICLE_NUMBER}-0`, Name: 'Verzendkosten 0%', NameEnglish: 'Shipping costs 0%', coding: EA_IDS.codings.shipping0 },
  { Number: `${DISCOUNT_ARTICLE_NUMBER}-9`, Name: 'Korting 9%', NameEnglish: 'Discount 9%', coding: EA_IDS.codings.goods9 },
  { Number: `${DISCOUNT_ARTICLE_NUMBER}-0`, Name: 'Korting 0%', NameEnglish: 'Discount 0%', coding: EA_IDS.codings.goods0 },
] as const;

/**
 * Turns the shared plan into eAccounting records: the shop's products as articles, known customers, reference
 * data, and the documents the merchant already has (`seed-documents.ts`). Every record in the contract's shape.
 */
export function eaccountingSeed(plan: SeedPlan): EntityRecords {
  const random = SeededRandom.derive(plan.seed, 'eaccounting');
  const codings = articleAccountCodings();
  const unitList = units();
  const labels = articleLabels();
  const terms = termsOfPayments();
  const articles = plan.products.map((product) => articleRecord(random, product, codings, unitList, labels));
  articles.push(serviceArticle(random, plan.anchor, codings, unitList, EA_IDS.codings.shipping21, { Number: SHIPPING_ARTICLE_NUMBER, Name: 'Verzendkosten', NameEnglish: 'Shipping costs', NetPrice: 4.09, GrossPrice: 4.95 }));
  const customers = plan.customers
    .filter((customer) => customer.accountingNumber !== null)
    .map((customer) => customerRecord(random, customer, terms, plan.anchor));
  // Last, so adding them kept every other seeded id the same.
  articles.push(serviceArticle(random, plan.anchor, codings, unitList, EA_IDS.codings.goods21, { Number: DISCOUNT_ARTICLE_NUMBER, Name: 'Korting', NameEnglish: 'Discount', NetPrice: 0, GrossPrice: 0 }));
  for (const { coding, ...fields } of RATE_ARTICLES) articles.push(serviceArticle(random, plan.anchor, codings, unitList, coding, { ...fields, NetPrice: 0, GrossPrice: 0 }));
  const records = inContractShapes({
    customers,
    articles,
    articlelabels: labels,
    articleaccountcodings: codings,
    units: unitList,
    termsofpayments: terms,
    vatcodes: vatCodes(),
    deliverymethods: deliveryMethods(),
    deliveryterms: deliveryTerms(),
    countries: countries(),
  });
  return { ...records, ...seedDocuments(plan, records) };
}

function inContractShapes(records: EntityRecords): EntityRecords {
  return Object.fromEntries(Object.entries(records).map(([entity, list]) => [entity, list.map((record) => inContractShape(entity, record))]));
}

function codingFor(rate: number): string {
  return rate === 21 ? EA_IDS.codings.goods21 : rate === 9 ? EA_IDS.codings.goods9 : EA_IDS.codings.goods0;
}

function articleRecord(random: SeededRandom, product: PlanProduct, codings: SandboxRecord[], unitList: SandboxRecord[], labels: SandboxRecord[]): SandboxRecord {
  const coding = codings.find((c) => c.Id === codingFor(product.vatRate)) as SandboxRecord;
  const unit = unitList[0] as SandboxRecord;
  const label = labels.find((l) => l.Id === EA_IDS.articleLabels[product.category as keyof typeof EA_IDS.articleLabels]);
  const webshop = labels.find((l) => l.Id === EA_IDS.articleLabels.webshop);
  const net = round2(product.priceIncl / (1 + product.vatRate / 100));
  return {
    Id: random.uuid(),
    IsActive: product.active,
    Number: product.number,
    Name: product.name,
    NameEnglish: null,
    NetPrice: net,
    GrossPrice: round2(net * (1 + product.vatRate / 100)),
    CodingId: coding.Id,
    CodingName: coding.Name,
    UnitId: unit.Id,
    UnitName: unit.Name,
    UnitAbbreviation: unit.Abbreviation,
    StockBalance: product.stock,
    StockBalanceManuallyChangedUtc: null,
    StockBalanceReserved: product.reserved,
    StockBalanceAvailable: product.stock - product.reserved,
    CreatedUtc: product.createdAt,
    ChangedUtc: product.changedAt,
    HouseWorkType: null,
    PurchasePrice: product.purchasePrice,
    PurchasePriceManuallyChangedUtc: null,
    SendToWebshop: true,
    UsesMoss: false,
    ArticleLabels: [label, webshop].filter((l): l is SandboxRecord => l !== undefined).map((l) => ({ Id: l.Id, Name: l.Name, Description: l.Description })),
    IsStock: true,
    StockLocationReference: null,
    FreightCosts: 0,
    FreightCostsManuallyChangedUtc: null,
    UpdateStockPrices: false,
    Barcodes: [{ Barcode: product.ean, BarcodeType: 0 }],
    StockValue: round2(product.stock * product.purchasePrice),
    GreenTechnologyType: 0,
  };
}

/**
 * An article without stock: the shipping costs and the order discount rows are booked on these. Marked "send to
 * webshop" as the API's default leaves a new article, so the products flow must keep them out by their flags.
 */
function serviceArticle(
  random: SeededRandom,
  anchor: string,
  codings: SandboxRecord[],
  unitList: SandboxRecord[],
  codingId: string,
  fields: { Number: string; Name: string; NameEnglish: string; NetPrice: number; GrossPrice: number },
): SandboxRecord {
  const coding = codings.find((c) => c.Id === codingId) as SandboxRecord;
  const unit = unitList[0] as SandboxRecord;
  const created = anchor.replace(/\.\d{3}Z$/, 'Z');
  return {
    Id: random.uuid(),
    IsActive: true,
    ...fields,
    CodingId: coding.Id,
    CodingName: coding.Name,
    UnitId: unit.Id,
    UnitName: unit.Name,
    UnitAbbreviation: unit.Abbreviation,
    StockBalance: 0,
    StockBalanceManuallyChangedUtc: null,
    StockBalanceReserved: 0,
    StockBalanceAvailable: 0,
    CreatedUtc: created,
    ChangedUtc: created,
    HouseWorkType: null,
    PurchasePrice: 0,
    PurchasePriceManuallyChangedUtc: null,
    SendToWebshop: true,
    UsesMoss: false,
    ArticleLabels: [],
    IsStock: false,
    StockLocationReference: null,
    FreightCosts: 0,
    FreightCostsManuallyChangedUtc: null,
    UpdateStockPrices: false,
    Barcodes: [],
    StockValue: 0,
    GreenTechnologyType: 0,
  };
}

function customerRecord(random: SeededRandom, c: PlanCustomer, terms: SandboxRecord[], anchor: string): SandboxRecord {
  const termsId = c.company ? EA_IDS.termsOfPayment.days14 : EA_IDS.termsOfPayment.psp;
  const street = `${c.street} ${c.housenumber}${c.housenumberSuffix ? ` ${c.housenumberSuffix}` : ''}`;
  return {
    ...customerDefaults(),
    Id: random.uuid(),
    CustomerNumber: c.accountingNumber,
    Name: c.company ?? `${c.firstName} ${c.lastName}`,
    IsPrivatePerson: c.company === null,
    IsActive: true,
    EmailAddress: c.email,
    Telephone: c.telephone,
    InvoiceAddress1: street,
    InvoicePostalCode: c.zipcode,
    InvoiceCity: c.city,
    InvoiceCountryCode: c.countryCode,
    ContactPersonName: c.company ? `${c.firstName} ${c.lastName}` : null,
    ContactPersonEmail: c.company ? c.email : null,
    VatNumber: c.vatNumber,
    CorporateIdentityNumber: c.kvk,
    TermsOfPaymentId: termsId,
    TermsOfPayment: terms.find((t) => t.Id === termsId) ?? null,
    ChangedUtc: anchor.replace(/\.\d{3}Z$/, 'Z'),
  };
}

/**
 * What a new customer gets where the contract's defaults (docs/sandbox.md, "Response shape") are not what the
 * API gives: the company's currency and country, and no webshop customer number.
 */
export function customerDefaults(): SandboxRecord {
  return { CurrencyCode: 'EUR', InvoiceCountryCode: 'NL', IsActive: true, WebshopCustomerNumber: null };
}
