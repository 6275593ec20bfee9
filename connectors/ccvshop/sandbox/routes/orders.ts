import { emptyResponse, jsonResponse, type SandboxRequest, type SandboxResponse } from '../../../sandbox/http-types.js';
import type { Router } from '../../../sandbox/router.js';
import type { SandboxRecord } from '../../../sandbox/store.js';
import type { CcvContext } from '../context.js';
import { CcvErrors } from '../errors.js';
import { orderTotals, repriceRow } from '../order-totals.js';
import { pagedCollection } from '../paging.js';
import { render } from '../render.js';
import { applyOrderBy, firstProblem, parseBoolean, parseDateBound, parseInteger, type QueryProblem } from '../query.js';

const ORDER_SORT_FIELDS = ['id', 'ordernumber', 'create_date', 'deliver_date'];

/**
 * `GET /orders` with the §2 filters, `GET|PATCH /orders/{id}`, `GET|PATCH|DELETE /orderrows/{id}`. The rows of an
 * order (`/orders/{id}/orderrows`) are served with the other child collections (`children.ts`).
 */
export function orderRoutes(router: Router, ctx: CcvContext, prefix: string): void {
  router.add('GET', `${prefix}/orders`, (request) => {
    const filtered = filterOrders(request, ctx.store.list('orders'));
    if ('problem' in filtered) return CcvErrors.badRequest(filtered.problem);
    const sorted = applyOrderBy(request, filtered.items, ORDER_SORT_FIELDS);
    if ('problem' in sorted) return CcvErrors.badRequest(sorted.problem);
    return pagedCollection(request, sorted.items, (order) => render.order(ctx.base(request), order));
  });

  router.add('GET', `${prefix}/orders/{id}`, (request, { id }) => {
    const order = ctx.store.get('orders', id ?? '');
    return order ? jsonResponse(200, render.order(ctx.base(request), order)) : CcvErrors.notFound('orders', id ?? '');
  });

  router.add('PATCH', `${prefix}/orders/{id}`, (request, { id }) => {
    const order = ctx.store.get('orders', id ?? '');
    if (!order) return CcvErrors.notFound('orders', id ?? '');
    const result = ctx.readBody(request, 'orders', 'update');
    if (result.error) return result.error;
    ctx.store.put('orders', patchedOrder(order, result.body));
    return emptyResponse(204);
  });

  router.add('GET', `${prefix}/orderrows/{id}`, (request, { id }) => {
    const row = ctx.store.get('orderrows', id ?? '');
    return row ? jsonResponse(200, render.orderrow(ctx.base(request), row)) : CcvErrors.notFound('orderrows', id ?? '');
  });

  router.add('PATCH', `${prefix}/orderrows/{id}`, (request, { id = '' }) => {
    const found = editableRow(ctx, id, 'PATCH');
    if ('error' in found) return found.error;
    const result = ctx.readBody(request, 'orderrows', 'update');
    if (result.error) return result.error;
    ctx.store.put('orderrows', repriceRow(found.row, result.body as { count?: number; price?: number; discount?: number }));
    recomputeOrder(ctx, found.order);
    return emptyResponse(204);
  });

  router.add('DELETE', `${prefix}/orderrows/{id}`, (_request, { id = '' }) => {
    const found = editableRow(ctx, id, 'DELETE');
    if ('error' in found) return found.error;
    ctx.store.delete('orderrows', id);
    recomputeOrder(ctx, found.order);
    return emptyResponse(204);
  });
}

/**
 * A row and its order, when the row may be changed: §4 says row PATCH works on orders that are not completed
 * only, and the sandbox holds DELETE to the same rule (a completed order has an order number and may have an
 * invoice). Otherwise CCV's MethodNotAllowedOnResource (500.70).
 */
function editableRow(ctx: CcvContext, id: string, method: string): { row: SandboxRecord; order: SandboxRecord } | { error: SandboxResponse } {
  const row = ctx.store.get('orderrows', id);
  if (!row) return { error: CcvErrors.notFound('orderrows', id) };
  const order = ctx.store.get('orders', String(row.order_id));
  if (!order) return { error: CcvErrors.notFound('orders', String(row.order_id)) };
  if (order.is_completed) {
    return { error: CcvErrors.notAllowedOnResource(`${method} orderrows/${id}: order ${String(order.id)} is completed; rows can be changed only while an order is not completed`) };
  }
  return { row, order };
}

/** Stores the order with the totals its rows now add up to. */
function recomputeOrder(ctx: CcvContext, order: SandboxRecord): void {
  ctx.store.put('orders', { ...order, ...orderTotals(ctx.rowsOf(order.id), order) });
}

function filterOrders(request: SandboxRequest, orders: SandboxRecord[]): { items: SandboxRecord[] } | QueryProblem {
  const q = request.query;
  const completed = parseBoolean(q, 'is_completed', true);
  const paid = parseBoolean(q, 'is_paid');
  const status = parseInteger(q, 'status');
  const ordernumber = parseInteger(q, 'ordernumber');
  const paymethod = parseInteger(q, 'paymethod_id');
  const minDate = parseDateBound(q, 'min_create_date', 'start');
  const maxDate = parseDateBound(q, 'max_create_date', 'end');
  const problem = firstProblem(completed, paid, status, ordernumber, paymethod, minDate, maxDate);
  if (problem) return problem;
  const transaction = q.get('transaction_id');
  const items = orders.filter((order) => {
    const created = Date.parse(String(order.create_date));
    return (
      (completed === undefined || order.is_completed === completed) &&
      (paid === undefined || order.paid === paid) &&
      (status === undefined || order.status === status) &&
      (ordernumber === undefined || order.ordernumber === ordernumber) &&
      (paymethod === undefined || order.paymethod_id === paymethod) &&
      (transaction === null || order.transaction_id === transaction) &&
      (minDate === undefined || created >= (minDate as number)) &&
      (maxDate === undefined || created <= (maxDate as number))
    );
  });
  return { items };
}

/**
 * The order with a PATCH body (already validated) merged in, deep for `customer`. Row replacement and e-mails
 * are not simulated: `orderrows` and `mail`/`note` are accepted and ignored. The merchant's changes through the
 * control API go through here too.
 */
export function patchedOrder(order: SandboxRecord, body: SandboxRecord): SandboxRecord {
  const { orderrows: _rows, mail: _mail, note: _note, customer, ...fields } = body;
  const updated: SandboxRecord = { ...order, ...fields };
  if (customer && typeof customer === 'object') updated.customer = mergeDeep(order.customer as SandboxRecord, customer as SandboxRecord);
  return updated;
}

function mergeDeep(target: SandboxRecord, patch: SandboxRecord): SandboxRecord {
  const out: SandboxRecord = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    const current = out[key];
    out[key] =
      value && typeof value === 'object' && !Array.isArray(value) && current && typeof current === 'object' && !Array.isArray(current)
        ? mergeDeep(current as SandboxRecord, value as SandboxRecord)
        : value;
  }
  return out;
}
