import type { JsonSchema } from '../../json-schema.js';
import { closed, dateTime, document, guess, link, object, resourceIdentity, string } from './fields.js';

/**
 * Order notes (`GET|POST /orders/{id}/ordernotes`, §4): the merchant's notes on an order. Fields as CCV's schema
 * has them (JDK model `Ordernotes`): `note`, `type` (external notes are shown to the customer too), `create_date`.
 * A POST takes only `note` and makes an internal note [G].
 */
export const ordernoteRead: JsonSchema = document('CCV Shop order note (read)', 'A note as GET /orders/{id}/ordernotes lists it', object('Order note', {
  ...resourceIdentity,
  note: string('The text of the note'),
  type: guess(string('Type of the note: internal, or external (also visible to the customer)')),
  create_date: dateTime('Date the note was created'),
  parent: link('Link to the order'),
}, { required: ['href', 'id'] }));

export const ordernoteCreate: JsonSchema = document('CCV Shop order note (create)', 'POST /orders/{id}/ordernotes', closed('Order note', {
  note: string('The text of the note', { minLength: 1 }),
}, ['note']));
