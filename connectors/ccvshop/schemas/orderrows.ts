import type { JsonSchema } from '../../json-schema.js';
import { arrayOf, boolean, closed, document, guess, integer, link, nullable, number, object, resourceIdentity, string } from './fields.js';

/** Order row (`vnd.verto.webshop.resource.orderrows.v1`), ccvshop.md §4: names [H] SDK. Listed under its order. */
export const orderrowRead: JsonSchema = document('CCV Shop order row (read)', 'A row as GET /orders/{id}/orderrows lists it', object('Order row', {
  ...resourceIdentity,
  order_id: integer('Id of the order this row belongs to'),
  product_type: guess(string('Product type (e.g. "product"); a deposit type forces 0% tax')),
  product_name: string('Product name'),
  product_name_google: nullable(string('Product name for Google')),
  product_number: nullable(string('Product number (SKU)')),
  sub_product_number: nullable(string('Product number of the variant (attribute combination)')),
  sub_sku_number: nullable(string('SKU number of the variant')),
  sub_ean_number: nullable(string('EAN number of the variant')),
  product_id: nullable(guess(integer('Id of the product; null for a free row'))),
  product_href: nullable(string('Link to the product')),
  count: number('Quantity (may be fractional)'),
  price: number('Original unit price'),
  product_purchase_price: number('Purchase price of the product'),
  discount: number('Discount per unit'),
  custom_price: boolean('Whether the price was set by hand'),
  tax: number('VAT percentage of this row'),
  unit: string('Unit, e.g. "stuk"'),
  weight: number('Weight'),
  memo: string('Memo'),
  package_id: integer('Package id'),
  package_name: string('Package name'),
  stock_location: nullable(string('Stock location')),
  supplier: nullable(guess(string('Supplier'))),
  user_discount: number('Discount of the user'),
  original_price: number('Original price'),
  selling_price: number('Selling price'),
  price_without_discount: number('Price without discount'),
  price_without_discount_with_attributes: number('Price without discount, with attributes'),
  total_price: number('Total price of this row'),
  total_extra_option_price: number('Total price of the extra options'),
  price_with_attributes: number('Price with attributes'),
  total_price_with_attributes: number('Total price with attributes'),
  attributes: arrayOf('Chosen attributes', object('Attribute', {
    href: string('Link to the attribute'),
    id: integer('Attribute id'),
    option_name: string('Option name'),
    value_name: string('Value name'),
    price: number('Price of the attribute'),
  })),
  uploads: arrayOf('Files the customer uploaded with this row (description, file name, deeplink)', { type: 'object' }),
  parent: link('Link to the order'),
}, { required: ['href', 'id'] }));

/** `PATCH /orderrows/{id}` `{count, price, discount}` (§4): only while the order is not completed; the totals follow. */
export const orderrowUpdate: JsonSchema = document('CCV Shop order row (update)', 'PATCH /orderrows/{id}: on an order that is not completed', closed('Order row PATCH', {
  count: number('Quantity (may be fractional)', { minimum: 0 }),
  price: number('Unit price (before the discount)', { minimum: 0 }),
  discount: number('Discount per unit', { minimum: 0 }),
}));
