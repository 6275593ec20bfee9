/**
 * `mappings/orders.map` written by hand in TypeScript: the same payloads for the same shop order, without
 * JSONata. The transform benchmark compares its speed with the compiled mapping, and the incumbent-style
 * baseline uses it to build what it sends. Keep it in step with the .map file (the bench checks both agree).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- shop JSON, read loosely on purpose, as a hand-written script would
type Rec = Record<string, any>;

export const ORDER_SETTINGS = {
  statuses: [1, 2, 5, 6, 7],
  only_paid: true,
  shipping_article: 'VERZEND',
  discount_article: 'KORTING',
  our_reference: 'Webshop',
};

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

/** The order payload; `articleId` answers the mapping's `find eaccounting.articles by Number` (throws when absent). */
export function orderByHand(order: Rec, rows: readonly Rec[], customerId: string, articleId: (number: string) => string): Rec {
  const delivery = order.customer.deliveryaddress;
  const taxed = order.order_row_taxes_included;
  const payloadRows: Rec[] = rows.map((row, i) => {
    const vat = taxed ? 1 + row.tax / 100 : 1;
    return dropAbsent({
      LineNumber: i + 1,
      IsTextRow: false,
      IsWorkCost: false,
      EligibleForReverseChargeOnVat: false,
      ArticleId: articleId(row.product_number),
      Text: truncate(row.product_name, 2000),
      Quantity: row.count,
      UnitPrice: round(row.price / vat, 2),
      DiscountPercentage: row.price > 0 ? round(row.discount / row.price, 4) : 0,
    });
  });
  if (order.total_shipping > 0) {
    const net = order.shipping_taxes_included ? order.total_shipping / (1 + order.shipping_tax_percentage / 100) : order.total_shipping;
    payloadRows.push({ LineNumber: rows.length + 1, IsTextRow: false, IsWorkCost: false, EligibleForReverseChargeOnVat: false, ArticleId: articleId(ORDER_SETTINGS.shipping_article), Quantity: 1, UnitPrice: round(net, 2) });
  }
  if (order.total_discounts > 0) {
    payloadRows.push({
      LineNumber: rows.length + 2,
      IsTextRow: false,
      IsWorkCost: false,
      EligibleForReverseChargeOnVat: false,
      ArticleId: articleId(ORDER_SETTINGS.discount_article),
      Text: `Korting ${order.discountcoupon?.code ?? ''}`,
      Quantity: -1,
      UnitPrice: round(taxed ? order.total_discounts / 1.21 : order.total_discounts, 2),
    });
  }
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
