/**
 * `mappings/orders.map` written by hand in TypeScript: the same payloads for the same shop order, without
 * JSONata. The transform benchmark compares its speed with the compiled mapping, and the incumbent-style
 * baseline uses it to build what it sends. Keep it in step with the .map file (the bench checks both agree).
 */
import { allocate } from '../../compiler/stdlib/bindings.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- shop JSON, read loosely on purpose, as a hand-written script would
type Rec = Record<string, any>;

export const ORDER_SETTINGS = {
  statuses: [1, 2, 5, 6, 7],
  only_paid: true,
  private_prices_incl_vat: true,
  our_reference: 'Webshop',
};

/** The mapping's `shipping_articles` and `discount_articles` tables: VAT rate -> article number. */
export const SHIPPING_ARTICLES: Record<number, string> = { 21: 'VERZEND', 9: 'VERZEND-9', 0: 'VERZEND-0' };
export const DISCOUNT_ARTICLES: Record<number, string> = { 21: 'KORTING', 9: 'KORTING-9', 0: 'KORTING-0' };

const TERMS_BY_PAYMETHOD: Record<string, string> = {
  ccvonlinepayments_ideal: '17fc695a-07a0-4a6e-8822-e8f36c031199',
  ccvonlinepayments_card: '17fc695a-07a0-4a6e-8822-e8f36c031199',
  ccvonlinepayments_bancontact: '17fc695a-07a0-4a6e-8822-e8f36c031199',
  paypal_paypal: '17fc695a-07a0-4a6e-8822-e8f36c031199',
  manual_banktransfer: 'bdd640fb-0667-4ad1-9c80-317fa3b1799d',
  manual_onpickup: 'bd9c66b3-ad3c-4d6d-9a3d-1fa7bc8960a9',
};
const DEFAULT_TERMS = 'bdd640fb-0667-4ad1-9c80-317fa3b1799d';
const DELIVERY_METHOD_CODES: Record<string, string> = { shipping: 'POST', delivery: 'KOERIER', pickup: 'AFHALEN' };

export function isEligible(order: Rec): boolean {
  return order.is_completed === true && (order.paid === true || !ORDER_SETTINGS.only_paid) && ORDER_SETTINGS.statuses.includes(order.status);
}

const truncate = (text: unknown, n: number): string | undefined => (typeof text === 'string' ? text.slice(0, n) : undefined);
const round = (value: number, decimals: number): number => Number(Math.round(Number(`${value}e${decimals}`)) + `e-${decimals}`);
const street = (a: Rec): string => a.address_line_1 ?? `${a.street} ${a.housenumber}${a.housenumber_suffix ?? ''}`;

/** The `upsert eaccounting.customers by EmailAddress` block of the mapping. */
export function customerByHand(order: Rec): Rec {
  const billing = order.customer.billingaddress;
  return dropAbsent({
    Name: truncate(billing.company ?? billing.full_name, 50),
    IsPrivatePerson: billing.company == null,
    IsActive: true,
    EmailAddress: order.customer.email,
    ContactPersonName: billing.company != null ? billing.full_name : undefined,
    InvoiceAddress1: truncate(street(billing), 50),
    InvoiceAddress2: billing.address_line_2,
    InvoicePostalCode: billing.zipcode,
    InvoiceCity: billing.city,
    InvoiceCountryCode: billing.country_code,
    Telephone: billing.telephone,
    MobilePhone: billing.mobile,
    VatNumber: order.customer.btw,
    CorporateIdentityNumber: order.customer.kvk,
    TermsOfPaymentId: TERMS_BY_PAYMETHOD[order.paymethod] ?? DEFAULT_TERMS,
  });
}

/**
 * The order payload; `articleId` answers the mapping's `find eaccounting.articles by Number` (throws when absent),
 * `privatePerson` is the booked customer's IsPrivatePerson (a private person's prices include VAT).
 */
export function orderByHand(order: Rec, rows: readonly Rec[], customerId: string, privatePerson: boolean, articleId: (number: string) => string): Rec {
  const delivery = order.customer.deliveryaddress;
  const inclusive = privatePerson && ORDER_SETTINGS.private_prices_incl_vat;
  // An amount on the shop's basis (`included`) as the document takes it, at `rate` percent.
  const onDocumentBasis = (amount: number, rate: number, included: boolean): number =>
    round(inclusive === included ? amount : inclusive ? amount * (1 + rate / 100) : amount / (1 + rate / 100), 2);
  const payloadRows: Rec[] = rows.map((row, i) => {
    return dropAbsent({
      LineNumber: i + 1,
      IsTextRow: false,
      IsWorkCost: false,
      EligibleForReverseChargeOnVat: false,
      ArticleId: articleId(row.product_number),
      Text: truncate(row.product_name, 2000),
      Quantity: row.count,
      UnitPrice: onDocumentBasis(row.price - row.discount, row.tax, order.order_row_taxes_included),
    });
  });
  if (order.total_shipping > 0) {
    const rate = order.shipping_tax_percentage;
    payloadRows.push({ LineNumber: rows.length + 1, IsTextRow: false, IsWorkCost: false, EligibleForReverseChargeOnVat: false, ArticleId: articleId(SHIPPING_ARTICLES[rate]!), Quantity: 1, UnitPrice: onDocumentBasis(order.total_shipping, rate, order.shipping_taxes_included) });
  }
  // The coupon per VAT rate of the goods, in proportion to their value, to the cent.
  const rates = [...new Set(rows.map((row) => row.tax as number))];
  const goods = rates.map((rate) => rows.filter((row) => row.tax === rate).reduce((sum, row) => sum + row.total_price, 0));
  const parts = allocate(order.total_discounts, goods) ?? [];
  rates.forEach((rate, k) => {
    if (!(parts[k]! > 0)) return;
    payloadRows.push({
      LineNumber: rows.length + 2 + k,
      IsTextRow: false,
      IsWorkCost: false,
      EligibleForReverseChargeOnVat: false,
      ArticleId: articleId(DISCOUNT_ARTICLES[rate]!),
      Text: `Korting ${order.discountcoupon?.code ?? ''} (${rate}% btw)`,
      Quantity: -1,
      UnitPrice: onDocumentBasis(parts[k]!, rate, order.order_row_taxes_included),
    });
  });
  return dropAbsent({
    CustomerId: customerId,
    CurrencyCode: order.currency,
    OrderDate: typeof order.create_date === 'string' ? order.create_date.slice(0, 10) : undefined,
    Status: 2,
    YourReference: order.ordernumber_full,
    OurReference: ORDER_SETTINGS.our_reference,
    EuThirdParty: false,
    ReverseChargeOnConstructionServices: false,
    RotReducedInvoicingType: 0,
    DeliveryMethodCode: DELIVERY_METHOD_CODES[order.deliver_method],
    DeliveryCustomerName: truncate(delivery.company ?? delivery.full_name, 50),
    DeliveryAddress1: truncate(street(delivery), 50),
    DeliveryPostalCode: delivery.zipcode,
    DeliveryCity: delivery.city,
    DeliveryCountryCode: delivery.country_code,
    Rows: payloadRows,
  });
}

/** The language's rule: an absent or null value leaves the field out. */
function dropAbsent(record: Rec): Rec {
  const out: Rec = {};
  for (const [key, value] of Object.entries(record)) if (value !== undefined && value !== null) out[key] = value;
  return out;
}
