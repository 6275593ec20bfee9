import { ordernoteCreate } from '../../schemas/ordernotes.js';
import { ordernotificationCreate } from '../../schemas/ordernotifications.js';
import { invoiceCreate } from '../../schemas/invoices.js';
import type { JsonSchema } from '../../../json-schema.js';
import { jsonResponse, type SandboxRequest } from '../../../sandbox/http-types.js';
import type { Router } from '../../../sandbox/router.js';
import type { SandboxRecord } from '../../../sandbox/store.js';
import type { CcvContext } from '../context.js';
import { CcvErrors } from '../errors.js';
import { CCV_ID_BASE } from '../ids.js';
import { createInvoice } from '../shop-rules.js';
import { pagedCollection } from '../paging.js';
import { INVOICE_STATUS_NAMES, render, renderRecord } from '../render.js';
import { applyOrderBy, firstProblem, parseDateBound, parseInteger, type QueryProblem } from '../query.js';
import { ccvNow } from '../seed.js';

/** JDK `SortableFields` for invoices (§2). */
const INVOICE_SORT_FIELDS = ['id', 'invoicenumber', 'invoicenumber_full', 'ordernumber', 'ordernumber_full', 'create_date', 'status', 'total_price'];

/**
 * The records an API client adds to an order (§4): `POST /orders/{id}/ordernotes`, `POST
 * /orders/{id}/ordernotifications` and `POST /orders/{id}/invoices`, each answering 201 with the record; and
 * `GET /invoices` with its filters. Listing them under their order is `children.ts`'s job.
 */
export function orderRecordRoutes(router: Router, ctx: CcvContext, prefix: string): void {
  // A POST makes an internal note [G]; the notes of the shop's own backend may be external too.
  addToOrder(router, ctx, `${prefix}/orders/{id}/ordernotes`, 'ordernotes', ordernoteCreate, (body) => ({ note: body.note, type: 'internal' }));
  // The sandbox sends no e-mail; the notification is recorded and listed, as the API lists the ones it made.
  addToOrder(router, ctx, `${prefix}/orders/{id}/ordernotifications`, 'ordernotifications', ordernotificationCreate, (body) => ({ type: body.type }));

  router.add('POST', `${prefix}/orders/{id}/invoices`, (request, { id = '' }) => {
    const order = ctx.store.get('orders', id);
    if (!order) return CcvErrors.notFound('orders', id);
    const result = ctx.readBody(request, 'invoices', 'create', invoiceCreate);
    if (result.error) return result.error;
    if (!order.is_completed) return CcvErrors.notAllowedOnResource(`POST orders/${id}/invoices: order ${id} is not completed (a basket has no invoice)`);
    if (ctx.store.list('invoices').some((invoice) => String(invoice.order_id) === id)) {
      return CcvErrors.alreadyExists(`order ${id} already has an invoice`);
    }
    const invoice = createInvoice(ctx, order, { created: true, ...(result.body.status !== undefined ? { status: result.body.status as number } : {}), externalReference: result.body.external_reference });
    return jsonResponse(201, render.invoice(ctx.base(request), invoice));
  });

  router.add('GET', `${prefix}/invoices`, (request) => {
    const filtered = filterInvoices(request, ctx.store.list('invoices'));
    if ('problem' in filtered) return CcvErrors.badRequest(filtered.problem);
    const sorted = applyOrderBy(request, filtered.items, INVOICE_SORT_FIELDS);
    if ('problem' in sorted) return CcvErrors.badRequest(sorted.problem);
    return pagedCollection(request, sorted.items, (invoice) => render.invoice(ctx.base(request), invoice));
  });
}

/** `POST` of a record of `entity` under an order: `{id, order_id, ...fields(body), create_date}`, answered 201. */
function addToOrder(router: Router, ctx: CcvContext, pattern: string, entity: 'ordernotes' | 'ordernotifications', schema: JsonSchema, fields: (body: SandboxRecord) => SandboxRecord): void {
  router.add('POST', pattern, (request, { id = '' }) => {
    const order = ctx.store.get('orders', id);
    if (!order) return CcvErrors.notFound('orders', id);
    const result = ctx.readBody(request, entity, 'create', schema);
    if (result.error) return result.error;
    const record = { id: ctx.nextId(entity, CCV_ID_BASE[entity]), order_id: order.id, ...fields(result.body), create_date: ccvNow(ctx.services.clock.now()) };
    ctx.store.put(entity, record, { created: true });
    return jsonResponse(201, renderRecord(entity, ctx.base(request), record));
  });
}

/** §2 invoices filters; `status` takes the names `paid`, `unpaid`, `reimbursed` (or their numbers 1, 2, 3). */
function filterInvoices(request: SandboxRequest, invoices: SandboxRecord[]): { items: SandboxRecord[] } | QueryProblem {
  const q = request.query;
  const invoicenumber = parseInteger(q, 'invoicenumber');
  const ordernumber = parseInteger(q, 'ordernumber');
  const minDate = parseDateBound(q, 'min_create_date', 'start');
  const maxDate = parseDateBound(q, 'max_create_date', 'end');
  const problem = firstProblem(invoicenumber, ordernumber, minDate, maxDate);
  if (problem) return problem;
  const statusRaw = q.get('status');
  const status = statusRaw === null || statusRaw === '' ? undefined : Object.entries(INVOICE_STATUS_NAMES).find(([n, name]) => name === statusRaw || n === statusRaw)?.[0];
  if (statusRaw && status === undefined) return { problem: `Parameter status must be paid, unpaid or reimbursed, got '${statusRaw}'` };
  const full = { invoicenumber_full: q.get('invoicenumber_full'), ordernumber_full: q.get('ordernumber_full') };
  const items = invoices.filter((invoice) => {
    const created = Date.parse(String(invoice.create_date));
    return (
      (invoicenumber === undefined || invoice.invoicenumber === invoicenumber) &&
      (ordernumber === undefined || invoice.ordernumber === ordernumber) &&
      (full.invoicenumber_full === null || invoice.invoicenumber_full === full.invoicenumber_full) &&
      (full.ordernumber_full === null || invoice.ordernumber_full === full.ordernumber_full) &&
      (status === undefined || String(invoice.status) === status) &&
      (minDate === undefined || created >= (minDate as number)) &&
      (maxDate === undefined || created <= (maxDate as number))
    );
  });
  return { items };
}
