import { allocate, roundHalfUp } from '../../../compiler/stdlib/bindings.js';
import { isoSeconds, round2, type PlanCustomer, type PlanOrder, type PlanProduct, type SeedPlan } from '../../sandbox/seed-plan.js';
import type { EntityRecords, SandboxRecord } from '../../sandbox/store.js';

/** First ids per entity, in the ranges the notes' examples show. */
export const CCV_ID_BASE = {
  orders: 781000,
  orderrows: 5550000,
  products: 320000,
  categories: 5000,
  producttocategories: 610000,
  webhooks: 70,
  ordernumber: 1000,
  invoicenumber: 2024000,
} as const;

const PACKAGE = { id: 80831, name: 'Standaard' };
const EU_COUNTRIES = new Set(['NL', 'BE', 'DE', 'FR', 'IE', 'LU', 'AT', 'ES', 'IT']);
const SHOP_PICKUP = { city: 'Utrecht', code: 'WINKEL', company: 'Koffie & Co', country: 'Nederland', housenumber: '1', street: 'Oudegracht', housenumber_suffix: null, zipcode: '3511 AA' };

/** Turns the shared plan into CCV Shop records (stored without `href`s: those depend on the host asked). */
export function ccvSeed(plan: SeedPlan): EntityRecords {
  const products = plan.products.map((p) => productRecord(p));
  const categories = plan.categories.map((c, i) => categoryRecord(c.name, CCV_ID_BASE.categories + 1 + i, i + 1, plan.anchor));
  const links: SandboxRecord[] = [];
  plan.products.forEach((product) => {
    const categoryIndex = plan.categories.findIndex((c) => c.key === product.category);
    links.push({ id: CCV_ID_BASE.producttocategories + links.length + 1, position: product.index + 1, product_id: CCV_ID_BASE.products + 1 + product.index, category_id: CCV_ID_BASE.categories + 1 + categoryIndex });
  });
  const orders: SandboxRecord[] = [];
  const orderrows: SandboxRecord[] = [];
  let ordernumber: number = CCV_ID_BASE.ordernumber;
  let invoicenumber: number = CCV_ID_BASE.invoicenumber;
  for (const order of plan.orders) {
    const id = CCV_ID_BASE.orders + 1 + order.index;
    const customer = plan.customers[order.customer] as PlanCustomer;
    const rows = order.rows.map((row, k) => orderRowRecord(CCV_ID_BASE.orderrows + orderrows.length + k + 1, id, plan.products[row.product] as PlanProduct, row, isVatFree(customer)));
    orderrows.push(...rows);
    orders.push(orderRecord(plan, order, id, rows, order.completed ? ++ordernumber : null, order.completed && order.paid ? ++invoicenumber : null));
  }
  return {
    orders,
    orderrows,
    products,
    categories,
    producttocategories: links,
    paymethods: plan.paymethods.map((m) => ({ id: m.id, psp: m.psp, method: m.method, combined_name: m.combinedName, label: m.label, extra_costs: false, extra_costs_fixed: 0, extra_costs_percentage: 0, apppsp: null, apppsppaymethod: null })),
    webhooks: [],
  };
}

export function productRecord(p: PlanProduct): SandboxRecord {
  return {
    id: CCV_ID_BASE.products + 1 + p.index,
    is_active: p.active,
    createdate: p.createdAt,
    modifydate: p.changedAt,
    productnumber: p.number,
    eannumber: p.ean,
    mpnnumber: '',
    is_multishop_product: false,
    multishop_href: null,
    name: p.name,
    shortdescription: '',
    description: `<p>${p.name}</p>`,
    vatrate: p.vatRate,
    taxtariff: p.vatRate === 21 ? 'normal' : p.vatRate === 9 ? 'reduced' : 'zero',
    price: p.priceIncl,
    discount: 0,
    purchaseprice: p.purchasePrice,
    container_deposit_price: 0,
    safety_deposit_price: 0,
    unit: 'stuk',
    stockenabled: true,
    stocktype: 'Product',
    stock: p.stock,
    stocklocation: null,
    ordering_without_stock: 'global_setting',
    weight: p.weight,
    brand: null,
    decimal_amount: 0,
    minimal_order_amount: 1,
    show_order_button: 'Y',
    package: { id: PACKAGE.id },
    supplier: null,
    is_visible: true,
    can_be_ordered: p.active && p.stock > 0,
  };
}

export function categoryRecord(name: string, id: number, position: number, anchor: string): SandboxRecord {
  return {
    id,
    name,
    description: '',
    description_bottom: '',
    searchwords: '',
    photo: null,
    position,
    show_on_website: true,
    items_per_page: 24,
    orderby: 'position',
    alias: name.replace(/[^A-Za-z0-9]+/g, '-'),
    meta_description: '',
    meta_keywords: '',
    page_title: '',
    no_index: false,
    no_follow: false,
    color: null,
    parentcategory: null,
    createdate: anchor.replace(/\.\d{3}Z$/, 'Z'),
  };
}

function isIntraCommunity(customer: PlanCustomer): boolean {
  // EU business customers outside NL with a VAT number are invoiced without VAT (reverse charge).
  return customer.company !== null && customer.vatNumber !== null && customer.countryCode !== 'NL' && EU_COUNTRIES.has(customer.countryCode);
}

/** Sold without VAT: intra-community deliveries, and exports to customers outside the EU (0 %). */
function isVatFree(customer: PlanCustomer): boolean {
  return isIntraCommunity(customer) || !EU_COUNTRIES.has(customer.countryCode);
}

function orderRowRecord(id: number, orderId: number, product: PlanProduct, row: PlanOrder['rows'][number], exVat: boolean): SandboxRecord {
  const factor = exVat ? 1 / (1 + product.vatRate / 100) : 1;
  const price = round2(product.priceIncl * factor);
  const discount = round2(row.discount * factor);
  const selling = round2(price - discount);
  const total = round2(selling * row.count);
  return {
    id,
    order_id: orderId,
    product_type: 'product',
    product_name: product.name,
    product_name_google: product.name,
    product_number: product.number,
    sub_product_number: null,
    sub_sku_number: null,
    sub_ean_number: null,
    product_id: CCV_ID_BASE.products + 1 + product.index,
    count: row.count,
    price,
    product_purchase_price: product.purchasePrice,
    discount,
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
    selling_price: selling,
    price_without_discount: price,
    price_without_discount_with_attributes: price,
    total_price: total,
    total_extra_option_price: 0,
    price_with_attributes: selling,
    total_price_with_attributes: total,
    attributes: [],
    uploads: [],
  };
}

function orderRecord(plan: SeedPlan, order: PlanOrder, id: number, rows: SandboxRecord[], ordernumber: number | null, invoicenumber: number | null): SandboxRecord {
  const customer = plan.customers[order.customer] as PlanCustomer;
  const paymethod = plan.paymethods.find((m) => m.id === order.paymethod) ?? plan.paymethods[0];
  const exVat = isVatFree(customer);
  const rowsTotal = round2(rows.reduce((sum, row) => sum + (row.total_price as number), 0));
  const couponDiscount = !order.coupon ? 0 : order.coupon.type === 'fixed' ? Math.min(order.coupon.discount, rowsTotal) : round2((rowsTotal * order.coupon.discount) / 100);
  const shipping = exVat ? round2(order.shipping / 1.21) : order.shipping;
  const shippingRate = exVat ? 0 : 21;
  const totalPrice = round2(rowsTotal + shipping - couponDiscount);
  const billing = address(customer, true);
  return {
    id,
    ordernumber_prefix: ordernumber === null ? null : 'WEB',
    ordernumber,
    ordernumber_full: ordernumber === null ? null : `WEB-${ordernumber}`,
    invoicenumber,
    transaction_id: order.paid && paymethod?.instant ? `tr_${id.toString(36)}${order.index}` : null,
    create_date: order.createdAt,
    deliver_method: order.deliverMethod,
    deliver_date: null,
    take_out_window: { start: null, end: null },
    is_platform_sale: false,
    orderedinlng: customer.countryCode === 'NL' || customer.countryCode === 'BE' ? 'nl' : 'en',
    status: order.status,
    is_completed: order.completed,
    paid: order.paid,
    safety_deposit_returned: false,
    paymethod_id: paymethod?.id ?? null,
    paymethod: paymethod?.combinedName ?? null,
    paymethod_label: paymethod?.label ?? null,
    taxes_included: !exVat,
    order_row_taxes_included: !exVat,
    shipping_taxes_included: !exVat,
    shipping_tax_percentage: shippingRate,
    is_intra_community_order: isIntraCommunity(customer),
    total_orderrow_price: rowsTotal,
    total_shipping: shipping,
    total_discounts: couponDiscount,
    total_price: totalPrice,
    currency: 'EUR',
    total_tax: orderTax(rows, couponDiscount, shipping, shippingRate),
    total_weight: round2(rows.reduce((sum, row) => sum + (row.weight as number) * (row.count as number), 0)),
    extra_payment_option: '',
    extra_payment_option_price: null,
    extra_payment_option_no_sentprice: false,
    extra_payment_option_pay_on_pickup: order.deliverMethod === 'pickup' && !order.paid,
    extra_price: 0,
    paymethod_costs: 0,
    credit_point_discount: 0,
    extra_costs: 0,
    extra_costs_description: '',
    track_and_trace_code: order.status === 5 || order.status === 6 ? `3SABCD${id}` : '',
    track_and_trace_carrier: order.status === 5 || order.status === 6 ? 'postnl' : null,
    track_and_trace_deeplink: '',
    reservationnumber: null,
    delivery_option: null,
    user: { id: null, discount_percentage: 0 },
    discountcoupon: order.coupon
      ? { code: order.coupon.code, discount: order.coupon.discount, type: order.coupon.type, enddate: null, onetimeuse: false, givesfreeshipping: false, minimumprice: 0 }
      : null,
    customer: {
      email: customer.email,
      customertype: customer.company ? 'business' : 'consumer',
      btw: customer.vatNumber,
      kvk: customer.kvk,
      billingaddress: billing,
      deliveryaddress: address(customer, false),
    },
    pickup_address: order.deliverMethod === 'pickup' ? SHOP_PICKUP : null,
    packing_slip_deeplink: null,
  };
}

/**
 * The order's VAT as the sandbox shop computes it (CCV's own formula is not documented): per VAT rate, the goods'
 * amounts including VAT, less that rate's share of the coupon (split in proportion to the goods per rate, to the
 * cent), plus the shipping at its rate; the VAT in each rate's amount, rounded half away from zero once per rate.
 */
function orderTax(rows: readonly SandboxRecord[], coupon: number, shipping: number, shippingRate: number): number {
  const rates = [...new Set(rows.map((row) => row.tax as number))];
  const goods = rates.map((rate) => rows.filter((row) => row.tax === rate).reduce((sum, row) => sum + (row.total_price as number), 0));
  const couponParts = allocate(coupon, goods) ?? [];
  const byRate = new Map<number, number>(rates.map((rate, i) => [rate, goods[i]! - couponParts[i]!]));
  byRate.set(shippingRate, (byRate.get(shippingRate) ?? 0) + shipping);
  const tax = [...byRate.entries()].reduce((sum, [rate, amountIncl]) => sum + roundHalfUp((amountIncl * rate) / (100 + rate), 2)!, 0);
  return round2(tax);
}

function address(c: PlanCustomer, billing: boolean): SandboxRecord {
  const fullName = `${c.firstName} ${c.lastName}`;
  return {
    gender: '',
    initials: `${c.firstName[0]}.`,
    ...(billing ? { first_name: c.firstName, last_name: c.lastName } : {}),
    full_name: fullName,
    company: c.company,
    address_line_1: null,
    address_line_2: null,
    street: c.street,
    housenumber: c.housenumber,
    housenumber_suffix: c.housenumberSuffix,
    zipcode: c.zipcode,
    city: c.city,
    province: null,
    country: c.countryName,
    country_code: c.countryCode,
    telephone: c.telephone,
    ...(billing ? { fax: null } : {}),
    mobile: null,
    comment: null,
  };
}

/** `now` for records created through the API. */
export function ccvNow(ms: number): string {
  return isoSeconds(ms);
}
