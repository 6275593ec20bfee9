import type { RecordChange, SandboxRecord } from '../../sandbox/store.js';

/**
 * Which webhook events a change to the shop's records raises, and what each posts (§4 webhook events). Derived
 * from the change itself, whoever made it (an API write, the merchant through the control API, a test putting
 * records), so every path raises the same events.
 *
 * Payloads [G: the notes only know that receivers read `id` for every `orders.*` event and `status`,
 * `previous_status` and `order_number` for `orders.updated.status`]: `{id}` plus the fields the event is about.
 * `order_number` is the integer order number (EMS looks the order up with `?ordernumber=` from it).
 */
export interface ShopEvent {
  readonly event: string;
  readonly payload: SandboxRecord;
}

export function eventsOf(change: RecordChange): ShopEvent[] {
  const { before, after } = change;
  switch (change.entity) {
    case 'orders':
      return orderEvents(before, after);
    case 'products':
    case 'categories':
      return [{ event: `${change.entity}.${!before ? 'created' : !after ? 'deleted' : 'updated'}`, payload: { id: idOf(after ?? before) } }];
    case 'invoices':
      return before && after && before.status !== after.status
        ? [{ event: 'invoices.updated.status', payload: { id: idOf(after), status: after.status, previous_status: before.status, order_id: after.order_id } }]
        : [];
    default:
      return [];
  }
}

function orderEvents(before: SandboxRecord | undefined, after: SandboxRecord | undefined): ShopEvent[] {
  if (!after) return before ? [{ event: 'orders.deleted', payload: orderPayload(before) }] : [];
  // A basket is an order too (is_completed false), but the shop announces an order when it is placed.
  if (after.is_completed === true && before?.is_completed !== true) return [{ event: 'orders.created', payload: orderPayload(after) }];
  if (!before || after.is_completed !== true) return [];
  const events: ShopEvent[] = [];
  if (before.status !== after.status) {
    events.push({ event: 'orders.updated.status', payload: { ...orderPayload(after), status: after.status, previous_status: before.status } });
  }
  if (before.paid !== after.paid) events.push({ event: 'orders.updated.ispaid', payload: { ...orderPayload(after), paid: after.paid } });
  if (before.track_and_trace_code !== after.track_and_trace_code) {
    events.push({
      event: 'orders.updated.trackandtrace',
      payload: { ...orderPayload(after), track_and_trace_code: after.track_and_trace_code, track_and_trace_carrier: after.track_and_trace_carrier ?? null },
    });
  }
  return events;
}

function orderPayload(order: SandboxRecord): SandboxRecord {
  return { id: idOf(order), order_number: order.ordernumber ?? null };
}

function idOf(record: SandboxRecord | undefined): unknown {
  return record?.id;
}
