import type { JsonSchema } from '../../json-schema.js';
import { closed, document, integer, object, resourceIdentity, string } from './fields.js';

/** Product-to-category link (`/producttocategories`), ccvshop.md §4 [M]. */
export const producttocategoryRead: JsonSchema = document('CCV Shop product-to-category link (read)', 'A link between a product and a category', object('Product to category', {
  ...resourceIdentity,
  position: integer('Position of the product in the category'),
  product_id: integer('Id of the product'),
  category_id: integer('Id of the category'),
  product_href: string('Link to the product'),
  category_href: string('Link to the category'),
}, { required: ['href', 'id'] }));

export const producttocategoryCreate: JsonSchema = document('CCV Shop product-to-category link (create)', 'POST /producttocategories', closed('Product to category', {
  product_id: integer('Id of the product'),
  category_id: integer('Id of the category'),
  position: integer('Position of the product in the category'),
}, ['product_id', 'category_id']));
