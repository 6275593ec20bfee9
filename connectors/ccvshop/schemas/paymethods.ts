import type { JsonSchema } from '../../json-schema.js';
import { boolean, document, integer, nullable, number, object, string } from './fields.js';

/** Payment method (`/paymethods`, not paged), ccvshop.md §4 [M]. */
export const paymethodRead: JsonSchema = document('CCV Shop payment method (read)', 'A payment method as GET /paymethods lists it', object('Payment method', {
  id: integer('Unique id of the payment method'),
  psp: string('Payment service provider'),
  method: string('Payment method at the provider'),
  combined_name: string('Combined name; an order\'s paymethod holds this value'),
  label: string('Label shown to the customer'),
  extra_costs: boolean('Whether the method has extra costs'),
  extra_costs_fixed: nullable(number('Fixed extra costs')),
  extra_costs_percentage: nullable(number('Extra costs as a percentage')),
  apppsp: nullable(string('App payment service provider')),
  apppsppaymethod: nullable(string('Payment method of the app payment service provider')),
}, { required: ['id'] }));
