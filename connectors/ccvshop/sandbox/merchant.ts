import { getEntity } from '../../registry.js';
import { ControlError } from '../../sandbox/control.js';
import type { PlanCustomer, PlanOrder, SeedPlan } from '../../sandbox/seed-plan.js';
import type { SandboxRecord } from '../../sandbox/store.js';
import type { CcvContext } from './context.js';
import { CCV_ID_BASE } from './ids.js';
import { orderRowRecord, type RowProduct } from './order-totals.js';
import { patchedOrder } from './routes/orders.js';
import { ccvNow, isVatFree, orderRecord } from './seed.js';
import { createInvoice } from './shop-rules.js';

/**
 * What the merchant (or a customer at the checkout) does in the shop itself, for tests and the demo to set off
 * what a real shop would: change an order in the backend (pay it, set its status, add a track-and-trace code),
 * or place a new order. The changes go through the same code as the API's, so they raise the same webhooks.
 */
export interface PlaceOrderInput {
  /** E-mail of one of the seed's customers; the first one when absent. */
  readonly customer?: string;
  readonly rows: readonly { readonly product_id: number; readonly count: number; readonly discount?: number }[];
  readonly paymethod_id?: number;
  readonly paid?: boolean;
  /** Order status 1..14; 1 (New) when paid, else 4 (Wait for payment). */
  readonly status?: number;
  readonly deliver_method?: 'shipping' | 'delivery' | 'pickup';
  /** Shipping costs incl. VAT; 4.95, or 0 for a pickup. */
  readonly shipping?: number;
}

const TAX_RATES: Readonly<Record<string, number>> = { normal: 21, reduced: 9, zero: 0 };

export class CcvMerchant {
  constructor(
    private readonly ctx: CcvContext,
    private readonly plan: SeedPlan,
  ) {}

  /** Changes an order as the shop's backend does: any order PATCH field (`paid`, `status`, ...), validated alike. */
  changeOrder(id: string | number, change: unknown): SandboxRecord {
    const order = this.ctx.store.get('orders', String(id));
    if (!order) throw new ControlError(`order ${String(id)} does not exist`);
    const schema = getEntity('ccvshop', 'orders')?.schemas.update;
    const errors = schema ? this.ctx.validator.validate(schema, change) : [];
    if (errors.length > 0) throw new ControlError(`order change does not match the orders update schema: ${errors.map((e) => `${e.field || 'body'}: ${e.message}`).join('; ')}`);
    this.ctx.store.put('orders', patchedOrder(order, change as SandboxRecord));
    return this.ctx.store.get('orders', String(id)) as SandboxRecord;
  }

  /** Places a completed order (raising `orders.created`), with an invoice when it is paid. */
  placeOrder(input: PlaceOrderInput): SandboxRecord {
    const customerIndex = input.customer === undefined ? 0 : this.plan.customers.findIndex((c) => c.email === input.customer);
    const customer = this.plan.customers[customerIndex] as PlanCustomer | undefined;
    if (!customer) throw new ControlError(`customer: no customer with e-mail ${String(input.customer)} in the seed`);
    if (!Array.isArray(input.rows) || input.rows.length === 0) throw new ControlError('rows: an order needs at least one row {product_id, count}');
    const paymethod = input.paymethod_id ?? this.plan.paymethods[0]?.id ?? 0;
    if (!this.plan.paymethods.some((m) => m.id === paymethod)) throw new ControlError(`paymethod_id: no paymethod ${paymethod}`);
    const status = input.status ?? (input.paid ? 1 : 4);
    if (!Number.isInteger(status) || status < 1 || status > 14) throw new ControlError(`status must be an order status 1..14, got ${String(status)}`);

    const id = this.ctx.nextId('orders', CCV_ID_BASE.orders);
    const firstRowId = this.ctx.nextId('orderrows', CCV_ID_BASE.orderrows);
    const exVat = isVatFree(customer);
    const rows = input.rows.map((row, k) => {
      const product = this.ctx.store.get('products', String(row.product_id));
      if (!product) throw new ControlError(`rows[${k}].product_id: product ${String(row.product_id)} does not exist`);
      if (!(typeof row.count === 'number' && row.count > 0)) throw new ControlError(`rows[${k}].count must be a number above 0`);
      return orderRowRecord(firstRowId + k, id, rowProductOf(product), { count: row.count, discount: row.discount ?? Number(product.discount ?? 0) }, exVat);
    });
    const deliverMethod = input.deliver_method ?? 'shipping';
    const planOrder: PlanOrder = {
      index: this.ctx.store.list('orders').length,
      customer: customerIndex,
      createdAt: ccvNow(this.ctx.services.clock.now()),
      completed: true,
      paid: input.paid === true,
      status,
      deliverMethod,
      paymethod,
      shipping: input.shipping ?? (deliverMethod === 'pickup' ? 0 : 4.95),
      coupon: null,
      rows: [],
    };
    const ordernumber = this.ctx.store.list('orders').reduce<number>((max, o) => Math.max(max, Number(o.ordernumber) || 0), CCV_ID_BASE.ordernumber) + 1;
    for (const row of rows) this.ctx.store.put('orderrows', row);
    const order = orderRecord(this.plan, planOrder, id, rows, ordernumber, null);
    this.ctx.store.put('orders', order);
    if (order.paid === true) createInvoice(this.ctx, order);
    return this.ctx.store.get('orders', String(id)) as SandboxRecord;
  }
}

/** A stored product as a new order row sees it (shop prices include VAT). */
function rowProductOf(product: SandboxRecord): RowProduct {
  const vatRate = typeof product.vatrate === 'number' ? product.vatrate : (TAX_RATES[String(product.taxtariff)] ?? 21);
  return {
    id: Number(product.id),
    name: String(product.name ?? ''),
    number: String(product.productnumber ?? ''),
    priceIncl: Number(product.price ?? 0),
    purchasePrice: Number(product.purchaseprice ?? 0),
    vatRate,
    weight: Number(product.weight ?? 0),
  };
}
