import type { JsonSchema } from '../../json-schema.js';
import { document, link, nullable, object, resourceIdentity, string } from './fields.js';

/** Package (`/packages`, §4: drives the shipping-cost calculation; a product's `package_id`). Fields: JDK model. */
export const packageRead: JsonSchema = document('CCV Shop package (read)', 'A package as GET /packages lists it', object('Package', {
  ...resourceIdentity,
  name: string('Package name, the display name in the merchant\'s backend'),
  parent: nullable(link('Link to the parent resource')),
}, { required: ['href', 'id'] }));
