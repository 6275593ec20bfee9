import type { JsonSchema } from '../../json-schema.js';
import { closed, dateTime, document, guess, link, object, resourceIdentity, string } from './fields.js';

/**
 * Order notifications (`POST /orders/{id}/ordernotifications`, §4): an e-mail the shop sends about the order.
 * `type` is "<destination>_<document>" (customer, merchant or printer, then the document, JDK model); the values
 * are not known [G], so any text is taken. GET lists the notifications created through the API.
 */
const TYPE = guess(string('Destination and document, e.g. customer_orderconfirmation (the values are not known)'));

export const ordernotificationRead: JsonSchema = document('CCV Shop order notification (read)', 'A notification as GET /orders/{id}/ordernotifications lists it', object('Order notification', {
  ...resourceIdentity,
  type: TYPE,
  create_date: dateTime('Date the notification was created'),
  parent: link('Link to the order'),
}, { required: ['href', 'id'] }));

export const ordernotificationCreate: JsonSchema = document('CCV Shop order notification (create)', 'POST /orders/{id}/ordernotifications', closed('Order notification', {
  type: { ...TYPE, minLength: 1 },
}, ['type']));
