import { round2 } from '../../sandbox/seed-plan.js';
import type { SandboxRecord } from '../../sandbox/store.js';

/**
 * An order's invoice (`/invoices`, `/orders/{id}/invoices`), made from the order as it is when the invoice is
 * created: the seed for every paid order, `POST /orders/{id}/invoices`, and the shop itself when an order is
 * paid (see `shop-rules.ts`). Field names as CCV's invoice schema has them (JDK model); `status` 1 paid, 2 unpaid,
 * 3 reimbursed (§4). Stored with the order's id in `order_id`; rendered as the `order` link.
 */
export function invoiceRecord(order: SandboxRecord, id: number, invoicenumber: number, createDate: string): SandboxRecord {
  const total = Number(order.total_price);
  const tax = Number(order.total_tax);
  const included = order.taxes_included !== false;
  return {
    id,
    order_id: order.id,
    invoicenumber_prefix: null,
    invoicenumber,
    invoicenumber_full: String(invoicenumber),
    ordernumber_prefix: order.ordernumber_prefix ?? null,
    ordernumber: order.ordernumber ?? null,
    ordernumber_full: order.ordernumber_full ?? null,
    create_date: createDate,
    status: order.paid ? 1 : 2,
    type: 'debit',
    payment_link_sent: null,
    taxes_included: order.taxes_included,
    invoice_row_taxes_included: order.order_row_taxes_included,
    is_intra_community_order: order.is_intra_community_order,
    shipping_taxes_included: order.shipping_taxes_included,
    shipping_tax_percentage: order.shipping_tax_percentage,
    total_shipping: order.total_shipping,
    total_discounts: order.total_discounts,
    total_price_inc_tax: included ? total : round2(total + tax),
    total_price_exc_tax: included ? round2(total - tax) : total,
    total_price: total,
    total_tax: tax,
    currency: order.currency,
    extra_payment_option: order.extra_payment_option ?? '',
    extra_payment_option_price: order.extra_payment_option_price ?? null,
    paymethod_costs: order.paymethod_costs ?? 0,
    credit_point_discount: order.credit_point_discount ?? 0,
    extra_costs: order.extra_costs ?? 0,
    extra_costs_description: order.extra_costs_description ?? '',
    external_reference: null,
    customer: order.customer,
    discountcoupon: order.discountcoupon ?? null,
  };
}

/** The invoice status that follows from the order being paid; a reimbursed invoice stays reimbursed. */
export function invoiceStatusFor(paid: boolean, current: unknown): number {
  if (current === 3) return 3;
  return paid ? 1 : 2;
}
