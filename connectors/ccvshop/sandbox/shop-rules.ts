import type { RecordChange, SandboxRecord } from '../../sandbox/store.js';
import type { CcvContext } from './context.js';
import { CCV_ID_BASE } from './ids.js';
import { invoiceRecord, invoiceStatusFor } from './invoices.js';
import { ccvNow } from './seed.js';

/**
 * What the shop does by itself when an order changes, whoever changed it (API, merchant, test): the order's
 * invoices follow its payment (paid 1 / unpaid 2, reimbursed stays), and a completed order that becomes paid
 * without an invoice gets one, as the seed has an invoice for every paid order [G: a shop set to invoice on
 * payment].
 */
export function applyShopRules(ctx: CcvContext, change: RecordChange): void {
  const { before, after } = change;
  if (change.entity !== 'orders' || !before || !after || before.paid === after.paid) return;
  const invoices = ctx.store.list('invoices').filter((invoice) => String(invoice.order_id) === String(after.id));
  for (const invoice of invoices) {
    const status = invoiceStatusFor(after.paid === true, invoice.status);
    if (status !== invoice.status) ctx.store.put('invoices', { ...invoice, status });
  }
  if (after.paid === true && after.is_completed === true && invoices.length === 0) createInvoice(ctx, after);
}

export interface InvoiceOptions {
  /** Made through the API (listed by the control API's `created`). */
  readonly created?: boolean;
  readonly status?: number;
  readonly externalReference?: unknown;
}

/** Stores a new invoice for the order with the next invoice number, and writes that number on the order. */
export function createInvoice(ctx: CcvContext, order: SandboxRecord, options: InvoiceOptions = {}): SandboxRecord {
  const invoicenumber = typeof order.invoicenumber === 'number' ? order.invoicenumber : nextInvoiceNumber(ctx);
  const invoice: SandboxRecord = {
    ...invoiceRecord(order, ctx.nextId('invoices', CCV_ID_BASE.invoices), invoicenumber, ccvNow(ctx.services.clock.now())),
    ...(options.status !== undefined ? { status: options.status } : {}),
    ...(options.externalReference !== undefined ? { external_reference: options.externalReference } : {}),
  };
  ctx.store.put('invoices', invoice, options.created ? { created: true } : {});
  if (order.invoicenumber !== invoicenumber) ctx.store.put('orders', { ...(ctx.store.get('orders', String(order.id)) ?? order), invoicenumber });
  return invoice;
}

function nextInvoiceNumber(ctx: CcvContext): number {
  const highest = (records: SandboxRecord[], start: number) => records.reduce((max, record) => Math.max(max, Number(record.invoicenumber) || 0), start);
  return highest(ctx.store.list('orders'), highest(ctx.store.list('invoices'), CCV_ID_BASE.invoicenumber)) + 1;
}
