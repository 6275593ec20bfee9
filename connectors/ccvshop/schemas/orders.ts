import type { JsonSchema } from '../../json-schema.js';
import {
  arrayOf, boolean, closed, dateTime, document, guess, integer, link, nullable, number, object, resourceIdentity, string,
} from './fields.js';
import { personalinfoRead, personalinfoWrite } from './personalinfo.js';

/** Order (`vnd.verto.webshop.resource.orders.v1`), ccvshop.md §4: names [H] SDK, types and descriptions [M] JDK. */

const STATUS_TEXT =
  'Order status: 1 New, 2 In process, 3 Wait for manufacturer, 4 Wait for payment, 5 Sent, 6 Delivered, ' +
  '7 Completed, 8 Cancelled, 9 Wait for supplier, 10 Is being packaged, 11 Ready to be collected, ' +
  '12 Is being assembled, 13 Backorder, 14 Reserved';
const STATUSES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14];

const deliverMethod = guess(string('How the order is delivered: shipping, delivery or pickup (exact casing unknown)'));

export const orderRead: JsonSchema = document('CCV Shop order (read)', 'An order as GET /orders/{id} returns it', object('Order', {
  ...resourceIdentity,
  ordernumber_prefix: nullable(string('Order number prefix; null while is_completed is false')),
  ordernumber: nullable(integer('Order number; null while is_completed is false')),
  ordernumber_full: nullable(string('Order number with dash if the prefix is available (e.g. "WEB-1042"); null while is_completed is false')),
  invoicenumber: nullable(integer('Invoice number; null until the order is completed')),
  transaction_id: nullable(string('Latest payment service provider transaction id')),
  create_date: dateTime('Date the order was created'),
  deliver_method: deliverMethod,
  deliver_date: nullable(dateTime('Delivery date')),
  take_out_window: nullable(object('Take-out time window', {
    start: nullable(dateTime('Start of the window')),
    end: nullable(dateTime('End of the window')),
  })),
  is_platform_sale: boolean('Whether the order came from a sales platform'),
  orderedinlng: string('Language the order was placed in, e.g. "nl"'),
  status: nullable(integer(STATUS_TEXT, { enum: STATUSES })),
  is_completed: boolean('false = an unfinished basket (GET /orders hides these by default)'),
  basket_href: nullable(string('Link to the basket; only when not completed')),
  checkout_href: nullable(string('Link to the checkout; only when not completed')),
  paid: boolean('Whether the order is paid'),
  safety_deposit_returned: boolean('Whether the safety deposit was returned'),
  paymethod_id: integer('Id of the payment method'),
  paymethod: string('Payment method: the paymethods combined_name (e.g. "ccvonlinepayments_ideal")'),
  paymethod_label: string('Label of the payment method (e.g. "iDEAL")'),
  taxes_included: boolean('Whether prices include VAT'),
  order_row_taxes_included: boolean('Whether order row prices include VAT'),
  shipping_taxes_included: boolean('Whether the shipping costs include VAT'),
  shipping_tax_percentage: number('VAT percentage on shipping'),
  is_intra_community_order: boolean('Whether this is an intra-community (EU) order'),
  total_orderrow_price: number('Total of the order rows'),
  total_shipping: number('Shipping costs'),
  total_discounts: number('Total discounts'),
  total_price: number('Total price of the order'),
  total_tax: number('Total VAT; there are no per-rate tax rows, see orderrows[].tax'),
  total_weight: number('Total weight in kg'),
  currency: string('Currency, ISO 4217 (e.g. "EUR")'),
  extra_payment_option: string('Extra payment option'),
  extra_payment_option_price: nullable(number('Price of the extra payment option')),
  extra_payment_option_no_sentprice: boolean('Extra payment option: no sent price'),
  extra_payment_option_pay_on_pickup: boolean('Extra payment option: pay on pickup'),
  extra_price: number('Deprecated: see paymethod_costs and credit_point_discount'),
  paymethod_costs: number('Costs of the payment method'),
  credit_point_discount: number('Discount from credit points'),
  extra_costs: number('Extra costs'),
  extra_costs_description: string('Description of the extra costs'),
  track_and_trace_code: string('Track and trace code'),
  track_and_trace_carrier: nullable(string('Track and trace carrier')),
  track_and_trace_deeplink: string('Track and trace link'),
  reservationnumber: nullable(string('Reservation number')),
  delivery_option: nullable(string('Delivery option, e.g. PG, PGE, DHDLE')),
  user: object('The shop account that placed the order', {
    id: nullable(integer('User id; null for a guest order')),
    discount_percentage: number('Discount percentage of the user'),
    href: nullable(string('Link to the user')),
  }),
  discountcoupon: nullable(object('Discount coupon used on the order', {
    code: string('Coupon code'),
    discount: number('Coupon discount'),
    type: guess(string('Coupon type (e.g. "fixed")')),
    enddate: nullable(string('End date of the coupon')),
    onetimeuse: boolean('Whether the coupon can be used once'),
    givesfreeshipping: boolean('Whether the coupon gives free shipping'),
    minimumprice: number('Minimum order price for the coupon'),
  })),
  customer: personalinfoRead,
  pickup_address: nullable(object('Pickup point address', {
    city: nullable(string('City')),
    code: nullable(string('Pickup point code')),
    company: nullable(string('Company')),
    country: nullable(string('Country')),
    housenumber: nullable(guess(string('House number'))),
    street: nullable(string('Street')),
    housenumber_suffix: nullable(string('House number suffix')),
    zipcode: nullable(string('Postal code')),
  })),
  packing_slip_deeplink: nullable(string('Link to the packing slip PDF')),
  orderrows: link('Link to the order rows; the rows themselves are the orderrows entity (children)'),
  ordernotes: link('Link to the order notes'),
  ordermessages: link('Link to the order messages'),
  ordernotifications: link('Link to the order notifications'),
  orderaffiliatenetworks: link('Link to the order affiliate networks'),
  orderlabels: link('Link to the order labels'),
  invoices: link('Link to the invoices of this order'),
}, { required: ['href', 'id'] }));

/** An order row as the order PATCH takes it: an existing product, or a free product with its own price and tax. */
const orderRowInput = guess(closed('Order row input: product_id, or product_name + product_number + price + tax + package_id', {
  product_id: integer('Id of an existing product'),
  product_name: string('Product name (rows without product_id)'),
  product_number: string('Product number (rows without product_id)'),
  price: number('Unit price'),
  tax: number('VAT percentage'),
  package_id: integer('Package id (rows without product_id)'),
  count: number('Quantity'),
  discount: number('Discount per unit'),
}, ['count']));

/** Order PATCH (`internal.resource.orders.patch.v1`) [M]: every field optional, merged into the order, 204. */
export const orderUpdate: JsonSchema = document('CCV Shop order (update)', 'PATCH /orders/{id}: the fields sent are changed, the rest is kept', closed('Order PATCH', {
  invoicenumber: integer('Invoice number'),
  paid: boolean('Whether the order is paid'),
  safety_deposit_returned: boolean('Whether the safety deposit was returned'),
  total_shipping: number('Shipping costs'),
  paymethod_costs: number('Costs of the payment method'),
  extra_costs: number('Extra costs'),
  extra_costs_description: string('Description of the extra costs'),
  taxes_included: boolean('Whether prices include VAT'),
  order_row_taxes_included: boolean('Whether order row prices include VAT'),
  shipping_taxes_included: boolean('Whether the shipping costs include VAT'),
  is_intra_community_order: boolean('Whether this is an intra-community (EU) order'),
  currency: string('Currency, ISO 4217'),
  is_platform_sale: boolean('Whether the order came from a sales platform'),
  orderedinlng: string('Language of the order, e.g. "nl"'),
  status: integer(STATUS_TEXT, { enum: STATUSES }),
  note: string('A note added to the order'),
  track_and_trace_code: string('Track and trace code'),
  track_and_trace_carrier: string('Track and trace carrier'),
  mail: boolean('Whether to e-mail the customer about this change'),
  deliver_date: dateTime('Delivery date'),
  deliver_method: deliverMethod,
  takeoutslot: guess(object('Take-out slot', {})),
  reservationnumber: string('Reservation number'),
  customer: personalinfoWrite,
  orderrows: arrayOf('Replaces all rows of the order and triggers a recalculation', orderRowInput),
}));
