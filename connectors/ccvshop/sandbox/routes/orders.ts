import { emptyResponse, jsonResponse, type SandboxRequest } from '../../../sandbox/http-types.js';
import type { Router } from '../../../sandbox/router.js';
import type { SandboxRecord } from '../../../sandbox/store.js';
import type { CcvContext } from '../context.js';
import { CcvErrors } from '../errors.js';
import { pagedCollection } from '../paging.js';
import { render } from '../render.js';
import { applyOrderBy, parseBoolean, parseDateBound, parseInteger, type QueryProblem } from '../query.js';

const ORDER_SORT_FIELDS = ['id', 'ordernumber', 'create_date', 'deliver_date'];

/** `GET /orders` with the §2 filters, `GET|PATCH /orders/{id}`, `GET /orders/{id}/orderrows`, `GET /orderrows/{id}`. */
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
    // Row replacement and e-mails are not simulated: `orderrows` and `mail`/`note` are accepted and ignored.
    const { orderrows: _rows, mail: _mail, note: _note, customer, ...fields } = result.body;
    const updated: SandboxRecord = { ...order, ...fields };
    if (customer && typeof customer === 'object') updated.customer = mergeDeep(order.customer as SandboxRecord, customer as SandboxRecord);
    ctx.store.put('orders', updated);
    return emptyResponse(204);
  });

  router.add('GET', `${prefix}/orders/{id}/orderrows`, (request, { id }) => {
    const order = ctx.store.get('orders', id ?? '');
    if (!order) return CcvErrors.notFound('orders', id ?? '');
    const rows = ctx.rowsOf(order.id);
    return pagedCollection(request, rows, (row) => render.orderrow(ctx.base(request), row));
  });

  router.add('GET', `${prefix}/orderrows/{id}`, (request, { id }) => {
    const row = ctx.store.get('orderrows', id ?? '');
    return row ? jsonResponse(200, render.orderrow(ctx.base(request), row)) : CcvErrors.notFound('orderrows', id ?? '');
  });
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
  for (const parsed of [completed, paid, status, ordernumber, paymethod, minDate, maxDate]) {
    if (typeof parsed === 'object' && parsed !== null) return parsed;
  }
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
