/**
 * The coupon and VAT cases of issue 12 item 5, one source for the golden mapping tests (written by
 * gen-vat-mapping-tests.ts) and the end-to-end test over both sandboxes (test/e2e/document-vat.test.ts).
 *
 * Each case is a shop order as CCV returns it, with the totals the shop computes (by hand here: per VAT rate,
 * the goods including VAT less that rate's share of the coupon plus shipping, the VAT in it rounded half away
 * from zero), and the document rows the mappings must send, worked out by hand: these numbers are the golden
 * values, nothing here computes them. The e-mail addresses are unlike any seeded shopper's, so the e2e test can
 * add these orders to a seeded shop and find each document by its customer.
 */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** An article both the fixtures and the e2e test provide; `rate` is its coding's VAT rate in percent. */
export interface VatCaseArticle {
  readonly Id: string;
  readonly Number: string;
  readonly Name: string;
  readonly rate: 21 | 9 | 0;
  /** A service article (shipping) or goods. */
  readonly service?: boolean;
}

export const VAT_CASE_ARTICLES: readonly VatCaseArticle[] = [
  { Id: '5b0c7f3e-1d2a-4e6b-8c9d-0a1b2c3d4e60', Number: 'KB-1000', Name: 'Koffiebonen 1kg', rate: 9 },
  { Id: '5b0c7f3e-1d2a-4e6b-8c9d-0a1b2c3d4e61', Number: 'EG-1100', Name: 'Earl Grey 100g', rate: 9 },
  { Id: '5b0c7f3e-1d2a-4e6b-8c9d-0a1b2c3d4e62', Number: 'MK-2000', Name: 'Koffiemok steengoed', rate: 21 },
  { Id: '5b0c7f3e-1d2a-4e6b-8c9d-0a1b2c3d4e63', Number: 'MS-2100', Name: 'Melkopschuimer', rate: 21 },
  { Id: '5b0c7f3e-1d2a-4e6b-8c9d-0a1b2c3d4e64', Number: 'FP-2200', Name: 'French Press 1L', rate: 21 },
  { Id: '5b0c7f3e-1d2a-4e6b-8c9d-0a1b2c3d4e65', Number: 'CB-3000', Name: 'Cadeaubon', rate: 0 },
  { Id: '5b0c7f3e-1d2a-4e6b-8c9d-0a1b2c3d4e70', Number: 'VERZEND', Name: 'Verzendkosten', rate: 21, service: true },
  { Id: '5b0c7f3e-1d2a-4e6b-8c9d-0a1b2c3d4e71', Number: 'VERZEND-9', Name: 'Verzendkosten 9%', rate: 9, service: true },
  { Id: '5b0c7f3e-1d2a-4e6b-8c9d-0a1b2c3d4e72', Number: 'VERZEND-0', Name: 'Verzendkosten 0%', rate: 0, service: true },
  { Id: '5b0c7f3e-1d2a-4e6b-8c9d-0a1b2c3d4e73', Number: 'KORTING', Name: 'Korting', rate: 21 },
  { Id: '5b0c7f3e-1d2a-4e6b-8c9d-0a1b2c3d4e74', Number: 'KORTING-9', Name: 'Korting 9%', rate: 9 },
  { Id: '5b0c7f3e-1d2a-4e6b-8c9d-0a1b2c3d4e75', Number: 'KORTING-0', Name: 'Korting 0%', rate: 0 },
];

export interface VatCaseCustomer {
  readonly email: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly company: string | null;
  readonly btw: string | null;
  readonly street: string;
  readonly housenumber: number;
  readonly zipcode: string;
  readonly city: string;
  readonly country: string;
  readonly countryCode: string;
}

/** A shop order row: `price` and `discount` per unit, on the order's basis (incl. VAT when taxes are included). */
export interface VatCaseRow {
  readonly number: string;
  readonly count: number;
  readonly price: number;
  readonly discount?: number;
  readonly tax: number;
  readonly total: number;
}

/** A document row the mappings must send: the article, how many, the unit price, and the text when not the name. */
export interface GoldenRow {
  readonly article: string;
  readonly quantity: number;
  readonly unitPrice: number;
  readonly text?: string;
}

export interface VatCase {
  /** Short label for the report table. */
  readonly label: string;
  readonly name: string;
  readonly id: number;
  readonly ordernumber: number;
  readonly createDate: string;
  readonly deliverMethod: 'shipping' | 'pickup';
  readonly paymethod: string;
  readonly taxesIncluded: boolean;
  readonly intraCommunity: boolean;
  readonly shipping: number;
  readonly shippingTax: number;
  readonly coupon: { readonly code: string; readonly discount: number; readonly type: 'fixed' | 'percentage' } | null;
  readonly customer: VatCaseCustomer;
  readonly rows: readonly VatCaseRow[];
  /** The shop's totals. */
  readonly totals: { readonly orderrows: number; readonly discounts: number; readonly price: number; readonly tax: number };
  /** Setting overrides for this case. */
  readonly settings?: Readonly<Record<string, Json>>;
  readonly expected: readonly GoldenRow[];
  /** One of the six cases issue 12 lists (the others are extra golden cases). */
  readonly issueCase: boolean;
}

const JAN: VatCaseCustomer = { email: 'jan.jansen@klant.example.nl', firstName: 'Jan', lastName: 'Jansen', company: null, btw: null, street: 'Dorpsstraat', housenumber: 12, zipcode: '3512 AB', city: 'Utrecht', country: 'Nederland', countryCode: 'NL' };
const SANNE: VatCaseCustomer = { ...JAN, email: 'sanne.bakker@klant.example.nl', firstName: 'Sanne', lastName: 'Bakker', street: 'Molenweg', housenumber: 7, zipcode: '1017 GA', city: 'Amsterdam' };
const DAAN: VatCaseCustomer = { ...JAN, email: 'daan.visser@klant.example.nl', firstName: 'Daan', lastName: 'Visser', street: 'Havenkade', housenumber: 3, zipcode: '9711 CD', city: 'Groningen' };
const EVA: VatCaseCustomer = { ...JAN, email: 'eva.dejong@klant.example.nl', firstName: 'Eva', lastName: 'de Jong', street: 'Kerkstraat', housenumber: 40, zipcode: '5211 KL', city: "'s-Hertogenbosch" };
const VAN_DAMME: VatCaseCustomer = { email: 'inkoop@vandamme.klant.example.be', firstName: 'Wout', lastName: 'Van Damme', company: 'Brouwerij Van Damme BV', btw: 'BE0123456749', street: 'Veldstraat', housenumber: 88, zipcode: '9000', city: 'Gent', country: 'België', countryCode: 'BE' };
const OLIVER: VatCaseCustomer = { email: 'oliver.smith@klant.example.co.uk', firstName: 'Oliver', lastName: 'Smith', company: null, btw: null, street: 'Baker Street', housenumber: 221, zipcode: 'NW1 6XE', city: 'London', country: 'Verenigd Koninkrijk', countryCode: 'GB' };
const DE_VRIES: VatCaseCustomer = { email: 'inkoop@devries.klant.example.nl', firstName: 'Anna', lastName: 'de Vries', company: 'Bakkerij De Vries B.V.', btw: 'NL123456789B01', street: 'Kerkstraat', housenumber: 12, zipcode: '1017 GA', city: 'Amsterdam', country: 'Nederland', countryCode: 'NL' };

const WELKOM5 = { code: 'WELKOM5', discount: 5, type: 'fixed' as const };
const ZOMER10 = { code: 'ZOMER10', discount: 10, type: 'percentage' as const };

const domestic = { taxesIncluded: true, intraCommunity: false, shippingTax: 21 } as const;

/** Two bags of 9 % coffee, shipping, the WELKOM5 coupon: the notes' example order, with its totals. */
const COFFEE_BASKET = {
  ...domestic, shipping: 4.95, coupon: WELKOM5,
  rows: [{ number: 'KB-1000', count: 2, price: 29.95, tax: 9, total: 59.9 }],
  // 9 %: 59.90 - 5.00 = 54.90 -> VAT 4.53; 21 %: shipping 4.95 -> VAT 0.86.
  totals: { orderrows: 59.9, discounts: 5, price: 59.85, tax: 5.39 },
} as const;

/** That basket on a document priced excluding VAT: 29.95 / 1.09 = 27.477; 4.95 / 1.21 = 4.091; 5.00 / 1.09 = 4.587. */
const COFFEE_EXCLUDING_VAT: readonly GoldenRow[] = [
  { article: 'KB-1000', quantity: 2, unitPrice: 27.48 },
  { article: 'VERZEND', quantity: 1, unitPrice: 4.09 },
  { article: 'KORTING-9', quantity: -1, unitPrice: 4.59, text: 'Korting WELKOM5 (9% btw)' },
];

export const VAT_CASES: readonly VatCase[] = [
  {
    label: '9 %', issueCase: true, id: 790001, ordernumber: 5001, createDate: '2024-03-01T10:00:00Z', deliverMethod: 'shipping', paymethod: 'ccvonlinepayments_ideal',
    name: 'a 5.00 coupon on 9 % goods is one 9 % discount row; a private person\'s prices include VAT',
    ...COFFEE_BASKET, customer: JAN,
    expected: [
      { article: 'KB-1000', quantity: 2, unitPrice: 29.95 },
      { article: 'VERZEND', quantity: 1, unitPrice: 4.95 },
      { article: 'KORTING-9', quantity: -1, unitPrice: 5, text: 'Korting WELKOM5 (9% btw)' },
    ],
  },
  {
    label: '21 %', issueCase: true, id: 790002, ordernumber: 5002, createDate: '2024-03-01T11:00:00Z', deliverMethod: 'shipping', paymethod: 'ccvonlinepayments_ideal',
    name: 'a 5.00 coupon on 21 % goods is one 21 % discount row',
    ...domestic, shipping: 4.95, coupon: WELKOM5, customer: SANNE,
    rows: [{ number: 'MK-2000', count: 3, price: 8.95, tax: 21, total: 26.85 }],
    // 21 %: 26.85 - 5.00 + 4.95 = 26.80 -> VAT 4.65.
    totals: { orderrows: 26.85, discounts: 5, price: 26.8, tax: 4.65 },
    expected: [
      { article: 'MK-2000', quantity: 3, unitPrice: 8.95 },
      { article: 'VERZEND', quantity: 1, unitPrice: 4.95 },
      { article: 'KORTING', quantity: -1, unitPrice: 5, text: 'Korting WELKOM5 (21% btw)' },
    ],
  },
  {
    label: '0 % / exempt', issueCase: true, id: 790003, ordernumber: 5003, createDate: '2024-03-01T12:00:00Z', deliverMethod: 'pickup', paymethod: 'manual_banktransfer',
    name: 'a 5.00 coupon on 0 % goods is one 0 % discount row, and no shipping row without shipping costs',
    ...domestic, shipping: 0, coupon: WELKOM5, customer: DAAN,
    rows: [{ number: 'CB-3000', count: 2, price: 25, tax: 0, total: 50 }],
    totals: { orderrows: 50, discounts: 5, price: 45, tax: 0 },
    expected: [
      { article: 'CB-3000', quantity: 2, unitPrice: 25 },
      { article: 'KORTING-0', quantity: -1, unitPrice: 5, text: 'Korting WELKOM5 (0% btw)' },
    ],
  },
  {
    label: 'mixed basket', issueCase: true, id: 790004, ordernumber: 5004, createDate: '2024-03-01T13:00:00Z', deliverMethod: 'shipping', paymethod: 'ccvonlinepayments_ideal',
    name: 'a 10 % coupon on a mixed basket is split over 9, 21 and 0 % in proportion to the goods, summing to the coupon',
    ...domestic, shipping: 4.95, coupon: ZOMER10, customer: EVA,
    rows: [
      { number: 'KB-1000', count: 2, price: 29.95, tax: 9, total: 59.9 },
      { number: 'MS-2100', count: 1, price: 49.95, discount: 5, tax: 21, total: 44.95 },
      { number: 'CB-3000', count: 1, price: 25, tax: 0, total: 25 },
    ],
    // Coupon 10 % of 129.85 = 12.99, over 59.90 / 44.95 / 25.00: 5.992 / 4.497 / 2.501 -> 5.99 / 4.49 / 2.50 sums
    // to 12.98, the cent left goes to the part that lost most (21 %): 5.99 / 4.50 / 2.50.
    // 9 %: 59.90 - 5.99 = 53.91 -> VAT 4.45; 21 %: 44.95 - 4.50 + 4.95 = 45.40 -> VAT 7.88; 0 %: 22.50.
    totals: { orderrows: 129.85, discounts: 12.99, price: 121.81, tax: 12.33 },
    expected: [
      { article: 'KB-1000', quantity: 2, unitPrice: 29.95 },
      { article: 'MS-2100', quantity: 1, unitPrice: 44.95 },
      { article: 'CB-3000', quantity: 1, unitPrice: 25 },
      { article: 'VERZEND', quantity: 1, unitPrice: 4.95 },
      { article: 'KORTING-9', quantity: -1, unitPrice: 5.99, text: 'Korting ZOMER10 (9% btw)' },
      { article: 'KORTING', quantity: -1, unitPrice: 4.5, text: 'Korting ZOMER10 (21% btw)' },
      { article: 'KORTING-0', quantity: -1, unitPrice: 2.5, text: 'Korting ZOMER10 (0% btw)' },
    ],
  },
  {
    label: 'reverse charge EU B2B', issueCase: true, id: 790005, ordernumber: 5005, createDate: '2024-03-01T14:00:00Z', deliverMethod: 'shipping', paymethod: 'manual_banktransfer',
    name: 'an intra-community order of an EU business keeps the shop\'s prices excluding VAT; the coupon is one 0 % row',
    taxesIncluded: false, intraCommunity: true, shipping: 4.09, shippingTax: 0, coupon: WELKOM5, customer: VAN_DAMME,
    rows: [
      { number: 'KB-1000', count: 3, price: 27.48, tax: 0, total: 82.44 },
      { number: 'MS-2100', count: 1, price: 41.28, tax: 0, total: 41.28 },
    ],
    totals: { orderrows: 123.72, discounts: 5, price: 122.81, tax: 0 },
    expected: [
      { article: 'KB-1000', quantity: 3, unitPrice: 27.48 },
      { article: 'MS-2100', quantity: 1, unitPrice: 41.28 },
      { article: 'VERZEND-0', quantity: 1, unitPrice: 4.09 },
      { article: 'KORTING-0', quantity: -1, unitPrice: 5, text: 'Korting WELKOM5 (0% btw)' },
    ],
  },
  {
    label: 'export outside the EU', issueCase: true, id: 790006, ordernumber: 5006, createDate: '2024-03-01T15:00:00Z', deliverMethod: 'shipping', paymethod: 'paypal_paypal',
    name: 'an export order outside the EU is sold without VAT; its prices are sent as they are',
    taxesIncluded: false, intraCommunity: false, shipping: 5.74, shippingTax: 0, coupon: ZOMER10, customer: OLIVER,
    rows: [
      { number: 'FP-2200', count: 1, price: 28.88, tax: 0, total: 28.88 },
      { number: 'EG-1100', count: 2, price: 6.38, tax: 0, total: 12.76 },
    ],
    // Coupon 10 % of 41.64 = 4.16.
    totals: { orderrows: 41.64, discounts: 4.16, price: 43.22, tax: 0 },
    expected: [
      { article: 'FP-2200', quantity: 1, unitPrice: 28.88 },
      { article: 'EG-1100', quantity: 2, unitPrice: 6.38 },
      { article: 'VERZEND-0', quantity: 1, unitPrice: 5.74 },
      { article: 'KORTING-0', quantity: -1, unitPrice: 4.16, text: 'Korting ZOMER10 (0% btw)' },
    ],
  },
  {
    label: 'domestic company', issueCase: false, id: 790007, ordernumber: 5007, createDate: '2024-03-01T16:00:00Z', deliverMethod: 'shipping', paymethod: 'manual_banktransfer',
    name: 'a domestic company\'s document takes prices excluding VAT: the shop\'s are converted with each row\'s rate',
    ...COFFEE_BASKET, customer: DE_VRIES, expected: COFFEE_EXCLUDING_VAT,
  },
  {
    label: 'prices excl. VAT setting', issueCase: false, id: 790008, ordernumber: 5008, createDate: '2024-03-01T17:00:00Z', deliverMethod: 'shipping', paymethod: 'ccvonlinepayments_ideal',
    name: 'when the company shows private persons prices excluding VAT, their documents take converted prices too',
    ...COFFEE_BASKET, customer: { ...JAN, email: 'jan.jansen+2@klant.example.nl' }, settings: { private_prices_incl_vat: false },
    expected: COFFEE_EXCLUDING_VAT,
  },
];

/** The shop order record (as GET /orders/{id} returns it, orderrows inline) of a case. */
export function vatCaseOrder(c: VatCase): Record<string, Json> {
  const person = c.customer;
  const address = (billing: boolean): Json => ({
    gender: '', initials: `${person.firstName[0]}.`,
    ...(billing ? { first_name: person.firstName, last_name: person.lastName } : {}),
    full_name: `${person.firstName} ${person.lastName}`, company: person.company,
    address_line_1: null, address_line_2: null, street: person.street, housenumber: person.housenumber, housenumber_suffix: null,
    zipcode: person.zipcode, city: person.city, province: null, country: person.country, country_code: person.countryCode,
    telephone: '0301234567', mobile: null, comment: null,
  });
  return {
    id: c.id,
    ordernumber_prefix: 'WEB',
    ordernumber: c.ordernumber,
    ordernumber_full: `WEB-${c.ordernumber}`,
    create_date: c.createDate,
    deliver_method: c.deliverMethod,
    status: 1,
    is_completed: true,
    paid: true,
    paymethod: c.paymethod,
    taxes_included: c.taxesIncluded,
    order_row_taxes_included: c.taxesIncluded,
    shipping_taxes_included: c.taxesIncluded,
    shipping_tax_percentage: c.shippingTax,
    is_intra_community_order: c.intraCommunity,
    total_orderrow_price: c.totals.orderrows,
    total_shipping: c.shipping,
    total_discounts: c.totals.discounts,
    total_price: c.totals.price,
    currency: 'EUR',
    total_tax: c.totals.tax,
    discountcoupon: c.coupon ? { ...c.coupon, enddate: null, onetimeuse: false, givesfreeshipping: false, minimumprice: 0 } : null,
    customer: {
      email: person.email, customertype: person.company ? 'business' : 'consumer', btw: person.btw, kvk: null,
      billingaddress: address(true), deliveryaddress: address(false),
    },
    orderrows: c.rows.map((row, i) => ({
      id: c.id * 10 + i, order_id: c.id, product_type: 'product',
      product_name: articleOf(row.number).Name, product_number: row.number,
      count: row.count, price: row.price, discount: row.discount ?? 0, tax: row.tax, unit: 'stuk',
      selling_price: Math.round((row.price - (row.discount ?? 0)) * 100) / 100, total_price: row.total,
    })),
  };
}

export function articleOf(number: string): VatCaseArticle {
  const article = VAT_CASE_ARTICLES.find((a) => a.Number === number);
  if (!article) throw new Error(`vat-cases: no article ${number}`);
  return article;
}
