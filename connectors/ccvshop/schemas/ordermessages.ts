import type { JsonSchema } from '../../json-schema.js';
import { dateTime, document, link, object, resourceIdentity, string } from './fields.js';

/** Order messages (`/orders/{id}/ordermessages`, §4 link only): what the customer wrote with the order (JDK model). */
export const ordermessageRead: JsonSchema = document('CCV Shop order message (read)', 'A message as GET /orders/{id}/ordermessages lists it', object('Order message', {
  ...resourceIdentity,
  message: string('The content of the message'),
  create_date: dateTime('Date the message was created'),
  parent: link('Link to the order'),
}, { required: ['href', 'id'] }));
