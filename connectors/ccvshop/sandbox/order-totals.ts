import { allocate, roundHalfUp } from '../../../compiler/stdlib/bindings.js';
import { round2 } from '../../sandbox/seed-plan.js';
import type { SandboxRecord } from '../../sandbox/store.js';

/**
 * The money on an order row and an order, computed one way for the seed and for every later change to the
 * rows (PATCH or DELETE of a row), so a changed order adds up exactly like a seeded one. Shop prices include VAT,
 * except on VAT-free orders (intra-community deliveries and exports), whose rows carry 0% tax.
 */

/** What a row needs to know about its product. */
export interface RowProduct {
  readonly id: number;
  readonly name: string;
  readonly number: string;
  /** Unit price including VAT. */
  readonly priceIncl: number;
  readonly purchasePrice: number;
  readonly vatRate: number;
  readonly weight: number;
}

export const PACKAGE = { id: 80831, name: 'Standaard' } as const;

/** A new order row for `count` units with a per-unit `discount` (incl. VAT); `exVat` rows are priced without VAT. */
export function orderRowRecord(id: number, orderId: number, product: RowProduct, row: { count: number; discount: number }, exVat: boolean): SandboxRecord {
  const factor = exVat ? 1 / (1 + product.vatRate / 100) : 1;
  const price = round2(product.priceIncl * factor);
  const record: SandboxRecord = {
    id,
    order_id: orderId,
    product_type: 'product',
    product_name: product.name,
    product_name_google: product.name,
    product_number: product.number,
    sub_product_number: null,
    sub_sku_number: null,
    sub_ean_number: null,
    product_id: product.id,
    count: row.count,
    price,
    product_purchase_price: product.purchasePrice,
    discount: round2(row.discount * factor),
    custom_price: false,
    tax: exVat ? 0 : product.vatRate,
    unit: 'stuk',
    weight: product.weight,
    memo: '',
    package_id: PACKAGE.id,
    package_name: PACKAGE.name,
    stock_location: null,
    supplier: null,
    user_discount: 0,
    original_price: price,
    attributes: [],
    uploads: [],
  };
  return withRowPrices(record);
}

/** The row with `count`, `price` and `discount` changed (a row PATCH) and its derived prices recomputed. */
export function repriceRow(row: SandboxRecord, change: { count?: number; price?: number; discount?: number }): SandboxRecord {
  const changed: SandboxRecord = { ...row, ...change };
  // A price set by hand is a custom price, as the shop's own backend marks it.
  if (change.price !== undefined && change.price !== row.price) changed.custom_price = true;
  return withRowPrices(changed);
}

/** Fills the fields that follow from `price`, `discount` and `count` (field order kept as the API shows them). */
function withRowPrices(row: SandboxRecord): SandboxRecord {
  const price = Number(row.price);
  const selling = round2(price - Number(row.discount));
  const total = round2(selling * Number(row.count));
  const { attributes, uploads, ...rest } = row;
  return {
    ...rest,
    selling_price: selling,
    price_without_discount: price,
    price_without_discount_with_attributes: price,
    total_price: total,
    total_extra_option_price: 0,
    price_with_attributes: selling,
    total_price_with_attributes: total,
    attributes,
    uploads,
  };
}

/** The order fields that follow from its rows, shipping and coupon. */
export interface OrderTotals {
  readonly total_orderrow_price: number;
  readonly total_discounts: number;
  readonly total_price: number;
  readonly total_tax: number;
  readonly total_weight: number;
}

export function orderTotals(rows: readonly SandboxRecord[], order: SandboxRecord): OrderTotals {
  const rowsTotal = round2(rows.reduce((sum, row) => sum + Number(row.total_price), 0));
  const coupon = order.discountcoupon as { discount?: number; type?: string } | null | undefined;
  const discount = Number(coupon?.discount ?? 0);
  const couponDiscount = !coupon ? 0 : coupon.type === 'fixed' ? Math.min(discount, rowsTotal) : round2((rowsTotal * discount) / 100);
  const shipping = Number(order.total_shipping ?? 0);
  return {
    total_orderrow_price: rowsTotal,
    total_discounts: couponDiscount,
    total_price: round2(rowsTotal + shipping - couponDiscount),
    total_tax: orderTax(rows, couponDiscount, shipping, Number(order.shipping_tax_percentage ?? 0)),
    total_weight: round2(rows.reduce((sum, row) => sum + Number(row.weight) * Number(row.count), 0)),
  };
}

/**
 * The order's VAT as the sandbox shop computes it (CCV's own formula is not documented): per VAT rate, the goods'
 * amounts including VAT, less that rate's share of the coupon (split in proportion to the goods per rate, to the
 * cent), plus the shipping at its rate; the VAT in each rate's amount, rounded half away from zero once per rate.
 */
function orderTax(rows: readonly SandboxRecord[], coupon: number, shipping: number, shippingRate: number): number {
  const rates = [...new Set(rows.map((row) => Number(row.tax)))];
  const goods = rates.map((rate) => rows.filter((row) => Number(row.tax) === rate).reduce((sum, row) => sum + Number(row.total_price), 0));
  const couponParts = allocate(coupon, goods) ?? [];
  const byRate = new Map<number, number>(rates.map((rate, i) => [rate, goods[i]! - (couponParts[i] ?? 0)]));
  byRate.set(shippingRate, (byRate.get(shippingRate) ?? 0) + shipping);
  const tax = [...byRate.entries()].reduce((sum, [rate, amountIncl]) => sum + roundHalfUp(taxPart(amountIncl, rate), 2)!, 0);
  return round2(tax);
}

/** The VAT inside an amount that includes it. */
export function taxPart(amountIncl: number, rate: number): number {
  return (amountIncl * rate) / (100 + rate);
}
