import type { JsonSchema } from '../../json-schema.js';
import { boolean, closed, dateTime, document, object, resourceIdentity, string } from './fields.js';

/** Webhook (`/webhooks`), ccvshop.md §4 [H SDK / M JDK]. */

const EVENTS =
  'Event, e.g. orders.created, orders.updated.status, orders.updated.ispaid (not orders.updated.paid), ' +
  'orders.updated.trackandtrace, orders.deleted, products.created, products.updated, products.deleted, ' +
  'categories.created, invoices.updated.status';

export const webhookRead: JsonSchema = document('CCV Shop webhook (read)', 'A webhook as GET /webhooks/{id} returns it', object('Webhook', {
  ...resourceIdentity,
  createdate: dateTime('Date the webhook was created'),
  event: string(EVENTS),
  address: string('URL the shop POSTs the event to'),
  key: string('Secret key of this webhook, used to calculate a hash'),
  is_active: boolean('Whether the webhook is active'),
}, { required: ['href', 'id'] }));

export const webhookCreate: JsonSchema = document('CCV Shop webhook (create)', 'POST /webhooks; the answer includes the key', closed('Webhook', {
  event: string(EVENTS),
  address: string('URL the shop POSTs the event to'),
  is_active: boolean('Whether the webhook is active'),
}, ['event', 'address']));

export const webhookUpdate: JsonSchema = document('CCV Shop webhook (update)', 'PATCH /webhooks/{id}', closed('Webhook', {
  address: string('URL the shop POSTs the event to'),
  is_active: boolean('Whether the webhook is active'),
}));
