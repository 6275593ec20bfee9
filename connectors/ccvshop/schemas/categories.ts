import type { JsonSchema } from '../../json-schema.js';
import { boolean, closed, document, integer, link, nullable, object, resourceIdentity, string } from './fields.js';

/** Category, ccvshop.md §4 [M]. Create needs `name`; the parent is set by `parentcategory_id`. */

const ORDERBY = ['position', 'productname', 'productnumber', 'createdate', 'price', 'price_desc', 'discount_desc'];

const editable: Record<string, JsonSchema> = {
  name: string('Name of the category'),
  description: nullable(string('Description (top of the category page)')),
  description_bottom: nullable(string('Description at the bottom of the category page')),
  searchwords: nullable(string('Search words')),
  position: integer('Position among its siblings'),
  show_on_website: boolean('Whether the category is shown on the website'),
  items_per_page: integer('Products per page'),
  orderby: string('Order of the products in the category', { enum: ORDERBY }),
  alias: nullable(string('Alias used in the URL')),
  meta_description: nullable(string('Meta description')),
  meta_keywords: nullable(string('Meta keywords')),
  page_title: nullable(string('Page title')),
  no_index: boolean('Whether search engines should not index the page'),
  no_follow: boolean('Whether search engines should not follow links on the page'),
  color: nullable(string('Color')),
};

export const categoryRead: JsonSchema = document('CCV Shop category (read)', 'A category as GET /categories/{id} returns it', object('Category', {
  ...resourceIdentity,
  ...editable,
  photo: nullable(string('Photo of the category')),
  deeplink: nullable(string('Link to the category on the website')),
  producttocategories: link('Link to the product-to-category links of this category'),
  categories: link('Link to the subcategories'),
  parentcategory: nullable(object('The parent category', {
    id: integer('Id of the parent category'),
    href: string('Link to the parent category'),
  })),
  parent: nullable(link('Link to the parent resource')),
}, { required: ['href', 'id'] }));

const writable: Record<string, JsonSchema> = {
  ...editable,
  parentcategory_id: nullable(integer('Id of the parent category; sets the parent')),
};

export const categoryCreate: JsonSchema = document('CCV Shop category (create)', 'POST /categories', closed('Category', writable, ['name']));
export const categoryUpdate: JsonSchema = document('CCV Shop category (update)', 'PATCH /categories/{id}: the fields sent are changed', closed('Category', writable));
