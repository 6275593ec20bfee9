import type { SandboxRecord } from '../../sandbox/store.js';

/** Adds the absolute `href`s and child links CCV puts on every resource (§2: ids are ints, links absolute). */
export const render = {
  order: (base: string, order: SandboxRecord) => {
    const self = `${base}/orders/${String(order.id)}/`;
    const user = (order.user ?? {}) as SandboxRecord;
    return {
      href: self,
      ...order,
      basket_href: order.is_completed ? null : `${base.replace(/\/api\/rest\/v1$/, '')}/basket/?order=${String(order.id)}`,
      checkout_href: order.is_completed ? null : `${base.replace(/\/api\/rest\/v1$/, '')}/checkout/?order=${String(order.id)}`,
      user: { ...user, href: user.id ? `${base}/users/${String(user.id)}/` : null },
      orderrows: { href: `${self}orderrows/` },
      ordernotes: { href: `${self}ordernotes/` },
      ordermessages: { href: `${self}ordermessages/` },
      ordernotifications: { href: `${self}ordernotifications/` },
      orderlabels: { href: `${self}orderlabels/` },
      invoices: { href: `${self}invoices/` },
    };
  },
  orderrow: (base: string, row: SandboxRecord) => ({
    href: `${base}/orderrows/${String(row.id)}/`,
    ...row,
    product_href: row.product_id ? `${base}/products/${String(row.product_id)}/` : null,
    parent: { href: `${base}/orders/${String(row.order_id)}/` },
  }),
  product: (base: string, product: SandboxRecord) => {
    const self = `${base}/products/${String(product.id)}/`;
    const pkg = product.package as { id?: number } | null;
    return {
      href: self,
      ...product,
      package: pkg?.id ? { href: `${base}/packages/${pkg.id}/`, id: pkg.id } : null,
      productphotos: { href: `${self}productphotos/` },
      producttocategories: { href: `${self}producttocategories/` },
      attributecombinations: { href: `${self}attributecombinations/` },
    };
  },
  category: (base: string, category: SandboxRecord) => {
    const self = `${base}/categories/${String(category.id)}/`;
    const parentId = (category.parentcategory as { id?: number } | null)?.id;
    return {
      href: self,
      ...category,
      deeplink: `${base.replace(/\/api\/rest\/v1$/, '')}/${String(category.alias ?? category.id)}`,
      parentcategory: parentId ? { id: parentId, href: `${base}/categories/${parentId}/` } : null,
      producttocategories: { href: `${self}producttocategories/` },
      categories: { href: `${self}categories/` },
    };
  },
  producttocategory: (base: string, link: SandboxRecord) => ({
    href: `${base}/producttocategories/${String(link.id)}/`,
    ...link,
    product_href: `${base}/products/${String(link.product_id)}/`,
    category_href: `${base}/categories/${String(link.category_id)}/`,
  }),
  paymethod: (base: string, method: SandboxRecord) => ({ href: `${base}/paymethods/${String(method.id)}/`, ...method }),
  webhook: (base: string, webhook: SandboxRecord) => ({ href: `${base}/webhooks/${String(webhook.id)}/`, ...webhook }),
};
