import { emptyResponse, jsonResponse, type SandboxRequest } from '../../../sandbox/http-types.js';
import type { Router } from '../../../sandbox/router.js';
import type { SandboxRecord } from '../../../sandbox/store.js';
import type { CcvContext } from '../context.js';
import { CcvErrors } from '../errors.js';
import { pagedCollection } from '../paging.js';
import { render } from '../render.js';
import { applyOrderBy, parseBoolean, type QueryProblem } from '../query.js';
import { deleteWithChildren, expanded, parseExpand } from './children.js';
import { CCV_ID_BASE } from '../ids.js';
import { ccvNow } from '../seed.js';

const PRODUCT_SORT_FIELDS = ['id', 'name', 'createdate', 'modifydate'];

/**
 * `GET|POST /products`, `GET|PATCH|DELETE /products/{id}`, with `expand` on both GETs. GET returns `is_active`;
 * POST and PATCH take `active` (§5 pitfall 4), which the sandbox stores as `is_active`.
 */
export function productRoutes(router: Router, ctx: CcvContext, prefix: string): void {
  router.add('GET', `${prefix}/products`, (request) => {
    const filtered = filterProducts(request, ctx.store.list('products'));
    if ('problem' in filtered) return CcvErrors.badRequest(filtered.problem);
    const sorted = applyOrderBy(request, filtered.items, PRODUCT_SORT_FIELDS);
    if ('problem' in sorted) return CcvErrors.badRequest(sorted.problem);
    const expand = parseExpand(request);
    if ('problem' in expand) return CcvErrors.badRequest(expand.problem);
    return pagedCollection(request, sorted.items, (product) => expanded(ctx, request, product, render.product(ctx.base(request), product), expand));
  });

  router.add('POST', `${prefix}/products`, (request) => {
    const result = ctx.readBody(request, 'products', 'create');
    if (result.error) return result.error;
    const now = ccvNow(ctx.services.clock.now());
    const { active, package_id, brand_id: _brand, condition_id: _condition, color_id: _color, supplier_id: _supplier, ...fields } = result.body;
    const product: SandboxRecord = {
      id: ctx.nextId('products', CCV_ID_BASE.products),
      is_active: active ?? true,
      createdate: now,
      modifydate: now,
      ...defaultProduct(),
      ...fields,
      package: { id: package_id ?? 80831 },
    };
    ctx.store.put('products', product, { created: true });
    return jsonResponse(201, render.product(ctx.base(request), product));
  });

  router.add('GET', `${prefix}/products/{id}`, (request, { id }) => {
    const product = ctx.store.get('products', id ?? '');
    if (!product) return CcvErrors.notFound('products', id ?? '');
    const expand = parseExpand(request);
    if ('problem' in expand) return CcvErrors.badRequest(expand.problem);
    return jsonResponse(200, expanded(ctx, request, product, render.product(ctx.base(request), product), expand));
  });

  router.add('PATCH', `${prefix}/products/{id}`, (request, { id }) => {
    const product = ctx.store.get('products', id ?? '');
    if (!product) return CcvErrors.notFound('products', id ?? '');
    const result = ctx.readBody(request, 'products', 'update');
    if (result.error) return result.error;
    const { active, package_id, brand_id: _brand, condition_id: _condition, color_id: _color, supplier_id: _supplier, ...fields } = result.body;
    const updated: SandboxRecord = { ...product, ...fields, modifydate: ccvNow(ctx.services.clock.now()) };
    if (active !== undefined) updated.is_active = active;
    if (package_id !== undefined) updated.package = { id: package_id };
    ctx.store.put('products', updated);
    return emptyResponse(204);
  });

  // The product's photos and category links go with it.
  router.add('DELETE', `${prefix}/products/{id}`, (_request, { id = '' }) =>
    deleteWithChildren(ctx, 'products', id) ? emptyResponse(204) : CcvErrors.notFound('products', id),
  );
}

function filterProducts(request: SandboxRequest, products: SandboxRecord[]): { items: SandboxRecord[] } | QueryProblem {
  const q = request.query;
  const active = parseBoolean(q, 'active');
  if (typeof active === 'object') return active;
  const productname = q.get('productname');
  // §2: the name filter is a LIKE match that needs at least 3 characters.
  if (productname !== null && productname.length < 3) return { problem: 'Parameter productname must be at least 3 characters' };
  const exact: [string, string][] = [];
  for (const field of ['productnumber', 'eannumber', 'mpnnumber'] as const) {
    const value = q.get(field);
    if (value !== null) exact.push([field, value]);
  }
  const items = products.filter(
    (product) =>
      exact.every(([field, value]) => String(product[field] ?? '') === value) &&
      (active === undefined || product.is_active === active) &&
      (productname === null || String(product.name ?? '').toLowerCase().includes(productname.toLowerCase())),
  );
  return { items };
}

function defaultProduct(): SandboxRecord {
  return {
    productnumber: '',
    eannumber: '',
    mpnnumber: '',
    is_multishop_product: false,
    multishop_href: null,
    shortdescription: '',
    description: '',
    discount: 0,
    purchaseprice: 0,
    unit: 'stuk',
    stockenabled: true,
    stocktype: 'Product',
    stock: 0,
    ordering_without_stock: 'global_setting',
    weight: 0,
    brand: null,
    supplier: null,
    is_visible: true,
    can_be_ordered: true,
  };
}
