import type { SandboxRecord } from '../../sandbox/store.js';
import { childLinks } from './children.js';

/**
 * Adds the absolute `href`s and child links CCV puts on every resource (§2: ids are ints, links absolute).
 * Records are stored without links (they depend on the host asked); a stored `href` (from a data file) is
 * replaced, so every link points at this server.
 */

/** The shop's website root, for links that are pages rather than API resources (basket, deeplinks). */
const site = (base: string): string => base.replace(/\/api\/rest\/v1$/, '');

/** `{href, ...fields}` with the self link first, as the API orders it, and without the given internal fields. */
function resource(self: string, record: SandboxRecord, internal: readonly string[] = []): SandboxRecord {
  const { href: _stored, ...fields } = record;
  for (const name of internal) delete fields[name];
  return { href: self, ...fields };
}

const selfOf = (base: string, entity: string, record: SandboxRecord) => `${base}/${entity}/${String(record.id)}/`;
const parentLink = (base: string, entity: string, id: unknown) => ({ href: `${base}/${entity}/${String(id)}/` });

/** Invoice `status` 1, 2, 3 (§4) and the names the `status` filter of `GET /invoices` takes. */
export const INVOICE_STATUS_NAMES: Readonly<Record<number, string>> = { 1: 'paid', 2: 'unpaid', 3: 'reimbursed' };

export const render = {
  order: (base: string, order: SandboxRecord) => {
    const user = (order.user ?? {}) as SandboxRecord;
    return {
      ...resource(selfOf(base, 'orders', order), order),
      basket_href: order.is_completed ? null : `${site(base)}/basket/?order=${String(order.id)}`,
      checkout_href: order.is_completed ? null : `${site(base)}/checkout/?order=${String(order.id)}`,
      user: { ...user, href: user.id ? `${base}/users/${String(user.id)}/` : null },
      ...childLinks(base, 'orders', order.id),
    };
  },
  orderrow: (base: string, row: SandboxRecord) => ({
    ...resource(selfOf(base, 'orderrows', row), row),
    product_href: row.product_id ? `${base}/products/${String(row.product_id)}/` : null,
    parent: parentLink(base, 'orders', row.order_id),
  }),
  product: (base: string, product: SandboxRecord) => {
    const pkg = product.package as { id?: number } | null;
    return {
      ...resource(selfOf(base, 'products', product), product),
      package: pkg?.id ? { href: `${base}/packages/${pkg.id}/`, id: pkg.id } : null,
      ...childLinks(base, 'products', product.id),
    };
  },
  category: (base: string, category: SandboxRecord) => {
    const parentId = (category.parentcategory as { id?: number } | null)?.id;
    return {
      ...resource(selfOf(base, 'categories', category), category),
      deeplink: `${site(base)}/${String(category.alias ?? category.id)}`,
      parentcategory: parentId ? { id: parentId, href: `${base}/categories/${parentId}/` } : null,
      ...childLinks(base, 'categories', category.id),
    };
  },
  producttocategory: (base: string, link: SandboxRecord) => ({
    ...resource(selfOf(base, 'producttocategories', link), link),
    product_href: `${base}/products/${String(link.product_id)}/`,
    category_href: `${base}/categories/${String(link.category_id)}/`,
  }),
  paymethod: (base: string, method: SandboxRecord) => resource(selfOf(base, 'paymethods', method), method),
  webhook: (base: string, webhook: SandboxRecord) => resource(selfOf(base, 'webhooks', webhook), webhook),
  /** Notes, messages and notifications of an order: `{href, id, ..., parent: {href}}` (the order id is the parent link). */
  orderChild: (entity: string) => (base: string, record: SandboxRecord) => ({
    ...resource(selfOf(base, entity, record), record, ['order_id']),
    parent: parentLink(base, 'orders', record.order_id),
  }),
  invoice: (base: string, invoice: SandboxRecord) => ({
    ...resource(selfOf(base, 'invoices', invoice), invoice, ['order_id']),
    status_name: INVOICE_STATUS_NAMES[Number(invoice.status)] ?? null,
    deeplink: `${site(base)}/invoice/?id=${String(invoice.id)}`,
    order: `${base}/orders/${String(invoice.order_id)}/`,
  }),
  productphoto: (base: string, photo: SandboxRecord) => ({
    ...resource(selfOf(base, 'productphotos', photo), photo, ['product_id']),
    deeplink: `${site(base)}/Files/productphotos/${String(photo.id)}/${String(photo.filename)}`,
    parent: parentLink(base, 'products', photo.product_id),
  }),
  webshop: (base: string, webshop: SandboxRecord) => ({
    ...resource(selfOf(base, 'webshops', webshop), webshop, ['settings']),
    api_root: `${base}/`,
  }),
  settings: (base: string, webshop: SandboxRecord) => ({
    href: `${base}/webshops/${String(webshop.id)}/settings/`,
    ...((webshop.settings ?? {}) as SandboxRecord),
    parent: parentLink(base, 'webshops', webshop.id),
  }),
};

type Renderer = (base: string, record: SandboxRecord) => unknown;

const RENDERERS: Readonly<Record<string, Renderer>> = {
  orders: render.order,
  orderrows: render.orderrow,
  products: render.product,
  categories: render.category,
  producttocategories: render.producttocategory,
  paymethods: render.paymethod,
  webhooks: render.webhook,
  ordernotes: render.orderChild('ordernotes'),
  ordermessages: render.orderChild('ordermessages'),
  ordernotifications: render.orderChild('ordernotifications'),
  invoices: render.invoice,
  productphotos: render.productphoto,
  webshops: render.webshop,
};

/** Any stored record as the API shows it; an entity without its own shape gets just its self link. */
export function renderRecord(entity: string, base: string, record: SandboxRecord): unknown {
  const renderer = RENDERERS[entity];
  return renderer ? renderer(base, record) : resource(selfOf(base, entity, record), record);
}
