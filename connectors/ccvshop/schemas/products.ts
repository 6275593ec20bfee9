import type { JsonSchema } from '../../json-schema.js';
import {
  boolean, closed, dateTime, document, expandableLink, guess, integer, nullable, number, object, resourceIdentity, string,
} from './fields.js';
import { productphoto } from './productphotos.js';

/**
 * Product (`vnd.verto.webshop.resource.products.v1`), ccvshop.md §4: names [H] SDK, the rest [M] JDK.
 * Read and write shapes differ: GET returns `is_active` and `package{href,id}`, POST/PATCH take `active` and
 * `package_id` (likewise brand_id, condition_id, color_id, supplier_id).
 */

const STOCK_DELIVERY_TYPES = ['days', 'weeks', 'months', 'quarters', 'years', 'outofstock', 'temporarilysoldout', 'ordered', 'onrequest', 'unknown'];

/** Fields with the same name and meaning in the read and the write shape. */
const shared: Record<string, JsonSchema> = {
  productnumber: string('Product number (SKU)', { maxLength: 50 }),
  eannumber: nullable(string('EAN number', { maxLength: 50 })),
  mpnnumber: nullable(string('Manufacturer part number (MPN)')),
  name: string('Name of the product', { maxLength: 200 }),
  shortdescription: nullable(string('Short description', { maxLength: 255 })),
  description: nullable(string('Description (HTML)')),
  taxtariff: string('Tax tariff: "normal" (seen in code); the other values, e.g. "reduced" and "zero", are guesses', { 'x-certainty': 'G' }),
  price: number('Price before discount; the sell price is price − discount'),
  discount: number('Discount; the sell price is price − discount'),
  purchaseprice: number('Purchase price'),
  container_deposit_price: number('Container deposit price'),
  safety_deposit_price: number('Safety deposit price'),
  credit_points_custom: nullable(number('Credit points set by hand')),
  unit: nullable(string('Unit, e.g. "stuk"')),
  stockenabled: boolean('Whether stock is tracked'),
  stocktype: string('Stock is kept per Product or per Attribute (combination)', { enum: ['Product', 'Attribute'] }),
  stock: number('Stock (a float)'),
  stocklocation: nullable(string('Stock location')),
  ordering_without_stock: string('Whether ordering without stock is allowed (e.g. "global_setting")'),
  weight: number('Weight'),
  meta_description: nullable(string('Meta description')),
  meta_keywords: nullable(string('Meta keywords')),
  page_title: nullable(string('Page title')),
  no_index: boolean('Whether search engines should not index the page'),
  no_follow: boolean('Whether search engines should not follow links on the page'),
  alias: nullable(string('Alias used in the URL')),
  specs: nullable(string('Specifications')),
  decimal_amount: number('Number of decimals allowed in the ordered amount'),
  minimal_order_amount: number('Minimal order amount'),
  stock_delivery_number: integer('Delivery time number (1-31), in stock_delivery_type units', { minimum: 1, maximum: 31 }),
  stock_delivery_type: string('Delivery time unit or state', { enum: STOCK_DELIVERY_TYPES }),
  stock_delivery_standard: nullable(string('Standard delivery time text')),
  show_in_template: boolean('Whether the product is shown in the template'),
  show_on_beginpage: boolean('Whether the product is shown on the home page'),
  show_on_facebook: boolean('Whether the product is shown on Facebook'),
  show_order_button: string('Order button: Y, QUOTATION or N', { enum: ['Y', 'QUOTATION', 'N'] }),
  product_layout: integer('Product page layout (1-4)', { minimum: 1, maximum: 4 }),
  photo_size: string('Photo size: NONE, SMALL or BIG', { enum: ['NONE', 'SMALL', 'BIG'] }),
  hide_without_category: string('Visibility without category: YES, NO_DIRECTLINK or NO_SEARCHRESULTS', { enum: ['YES', 'NO_DIRECTLINK', 'NO_SEARCHRESULTS'] }),
  memo: nullable(string('Memo')),
  is_included_for_export_feed: boolean('Whether the product is included in export feeds'),
  fixed_staggered_prices: boolean('Whether staggered prices are fixed'),
};

const related = (what: string): JsonSchema =>
  nullable(object(what, { href: string(`Link to the ${what.toLowerCase()}`), id: integer(`Id of the ${what.toLowerCase()}`), name: string(`Name of the ${what.toLowerCase()}`) }));

export const productRead: JsonSchema = document('CCV Shop product (read)', 'A product as GET /products/{id} returns it', object('Product', {
  ...resourceIdentity,
  is_active: boolean('Whether the product is active (GET returns is_active; write it as active)'),
  createdate: dateTime('Date the product was created'),
  modifydate: dateTime('Date the product was last changed'),
  is_multishop_product: boolean('Whether the product is shared between shops (some properties are then read-only)'),
  multishop_href: nullable(string('Link to the multishop product')),
  vatrate: number('VAT rate (deprecated: use taxtariff)'),
  tradecodesystem: nullable(guess(string('Trade code system'))),
  credit_points_calculated: number('Credit points calculated from the price'),
  maincategory: nullable(guess(string('Main category'))),
  subcategory: nullable(string('Subcategory')),
  brand: related('Brand'),
  condition: guess(related('Condition')),
  color: guess(related('Color')),
  supplier: related('Supplier'),
  productmainphoto: nullable(string('URL of the main photo')),
  deeplink: nullable(string('Link to the product on the website')),
  amount_sold: number('Amount sold'),
  package: nullable(object('Package used for the shipping cost calculation (write it as package_id)', {
    href: string('Link to the package'),
    id: integer('Id of the package'),
  })),
  is_visible: boolean('Whether the product is visible'),
  can_be_ordered: boolean('Whether the product can be ordered'),
  productphotos: expandableLink('Photos of the product (expand=productphotos)', productphoto),
  producttocategories: expandableLink('Categories of the product (expand=producttocategories)'),
  attributecombinations: expandableLink('Variants of the product (expand=attributecombinations)'),
  productshippingcosts: expandableLink('Shipping costs of the product'),
  ...shared,
}, { required: ['href', 'id'] }));

/** Write-only names: the read shape has `is_active` and `brand{...}`, a write sends `active` and `brand_id`. */
const writeOnly: Record<string, JsonSchema> = {
  active: boolean('Whether the product is active (GET returns it as is_active)'),
  package_id: integer('Id of the package used for the shipping cost calculation (GET returns package{href,id})'),
  brand_id: nullable(integer('Id of the brand')),
  condition_id: nullable(integer('Id of the condition')),
  color_id: nullable(integer('Id of the color')),
  supplier_id: nullable(integer('Id of the supplier')),
};

/** The write shape: the notes name only some write fields; the rest are assumed to keep their read name [G]. */
const writable: Record<string, JsonSchema> = {
  ...writeOnly,
  ...Object.fromEntries(
    Object.entries(shared).map(([name, schema]) =>
      [name, ['name', 'price', 'discount', 'taxtariff', 'stock'].includes(name) ? schema : { 'x-certainty': 'G', ...schema }]),
  ),
};

export const productCreate: JsonSchema = document('CCV Shop product (create)', 'POST /products: needs name, price, discount, package_id and a taxtariff', closed('Product', writable, ['name', 'price', 'discount', 'package_id', 'taxtariff']));

export const productUpdate: JsonSchema = document('CCV Shop product (update)', 'PATCH /products/{id}: the fields sent are changed, the rest is kept (e.g. {"stock": 99})', closed('Product', writable));
