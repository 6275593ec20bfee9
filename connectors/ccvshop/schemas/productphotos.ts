import type { JsonSchema } from '../../json-schema.js';
import { boolean, document, integer, link, nullable, object, string } from './fields.js';

/** Product photo (`/products/{id}/productphotos`, `/productphotos/{id}`), §4: `{href, id, filename, alttext, is_mainphoto, deeplink, parent}`. */
export const productphoto: JsonSchema = object('Product photo', {
  href: string('Link to the photo'),
  id: integer('Id of the photo'),
  filename: string('File name'),
  alttext: nullable(string('Alternative text')),
  is_mainphoto: boolean('Whether this is the main photo'),
  deeplink: string('URL of the photo'),
  parent: link('Link to the product'),
});

export const productphotoRead: JsonSchema = document('CCV Shop product photo (read)', 'A photo as GET /products/{id}/productphotos lists it', { ...productphoto, required: ['href', 'id'] });
