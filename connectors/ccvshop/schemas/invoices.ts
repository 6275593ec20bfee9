import type { JsonSchema } from '../../json-schema.js';
import { boolean, closed, dateTime, document, guess, integer, nullable, number, object, resourceIdentity, string } from './fields.js';
import { personalinfoRead } from './personalinfo.js';

/**
 * Invoice (`GET /invoices`, `GET|POST /orders/{id}/invoices`), §4: `status` 1 paid, 2 unpaid, 3 reimbursed [M];
 * the other names as CCV's invoice schema has them (JDK model `Invoices`).
 */
const STATUS = integer('Invoice status: 1 paid, 2 unpaid, 3 reimbursed', { enum: [1, 2, 3] });

export const invoiceRead: JsonSchema = document('CCV Shop invoice (read)', 'An invoice as GET /invoices/{id} returns it', object('Invoice', {
  ...resourceIdentity,
  invoicenumber_prefix: nullable(string('Prefix of the invoice number')),
  invoicenumber: integer('Invoice number'),
  invoicenumber_full: string('Invoice number as the shop shows it, with a dash if there is a prefix'),
  ordernumber_prefix: nullable(string('Prefix of the order number')),
  ordernumber: nullable(integer('Order number of the order this invoice is part of')),
  ordernumber_full: nullable(string('Order number as the shop shows it')),
  create_date: dateTime('Date the invoice was created'),
  status: STATUS,
  status_name: nullable(string('Name of the status: paid, unpaid or reimbursed')),
  type: guess(string('Debit or credit invoice (e.g. "debit")')),
  payment_link_sent: nullable(dateTime('When the payment link was sent to the customer')),
  taxes_included: boolean('Whether the prices include VAT'),
  invoice_row_taxes_included: boolean('Whether invoice row prices include VAT'),
  is_intra_community_order: boolean('Whether this is an intra-community (EU) sale, with 0% VAT on every row'),
  shipping_taxes_included: boolean('Whether the shipping costs include VAT'),
  shipping_tax_percentage: number('VAT percentage on shipping'),
  total_shipping: number('Shipping costs'),
  total_discounts: number('Total discount, coupons included'),
  total_price_inc_tax: number('Total price including VAT'),
  total_price_exc_tax: number('Total price excluding VAT'),
  total_price: number('Total price'),
  total_tax: number('Total VAT'),
  currency: string('Currency, ISO 4217'),
  extra_payment_option: string('Payment option name'),
  extra_payment_option_price: nullable(number('Payment option price')),
  paymethod_costs: number('Costs of the payment method'),
  credit_point_discount: nullable(number('Discount from credit points')),
  extra_costs: number('Extra costs'),
  extra_costs_description: string('Description of the extra costs'),
  external_reference: nullable(string('Reference to the invoice number at a third party')),
  deeplink: string('Direct download link of the invoice'),
  customer: personalinfoRead,
  discountcoupon: nullable(object('Discount coupon used, as on the order', {})),
  order: nullable(string('Link to the order of this invoice')),
}, { required: ['href', 'id'] }));

/** `POST /orders/{id}/invoices`: makes the order's invoice; both fields optional [G]. */
export const invoiceCreate: JsonSchema = document('CCV Shop invoice (create)', 'POST /orders/{id}/invoices', closed('Invoice', {
  status: STATUS,
  external_reference: nullable(string('Reference to the invoice number at a third party')),
}));
