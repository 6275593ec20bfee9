import { emptyResponse, jsonResponse } from '../../../sandbox/http-types.js';
import type { Router } from '../../../sandbox/router.js';
import type { SandboxRecord } from '../../../sandbox/store.js';
import type { CcvContext } from '../context.js';
import { CcvErrors } from '../errors.js';
import { pagedCollection } from '../paging.js';
import { render } from '../render.js';
import { CCV_ID_BASE, categoryRecord, ccvNow } from '../seed.js';

/** Categories and the product<->category links (`/producttocategories`). */
export function categoryRoutes(router: Router, ctx: CcvContext, prefix: string): void {
  router.add('GET', `${prefix}/categories`, (request) =>
    pagedCollection(request, ctx.store.list('categories'), (category) => render.category(ctx.base(request), category)),
  );

  router.add('POST', `${prefix}/categories`, (request) => {
    const result = ctx.readBody(request, 'categories', 'create');
    if (result.error) return result.error;
    const { parentcategory_id, ...fields } = result.body;
    if (parentcategory_id !== undefined && parentcategory_id !== null && !ctx.store.get('categories', String(parentcategory_id))) {
      return CcvErrors.badRequest(`parentcategory_id: category ${String(parentcategory_id)} does not exist`);
    }
    const id = ctx.nextId('categories', CCV_ID_BASE.categories);
    const category: SandboxRecord = {
      ...categoryRecord(String(fields.name ?? ''), id, ctx.store.list('categories').length + 1, ccvNow(ctx.services.clock.now())),
      ...fields,
      parentcategory: parentcategory_id ? { id: parentcategory_id } : null,
    };
    ctx.store.put('categories', category, { created: true });
    return jsonResponse(201, render.category(ctx.base(request), category));
  });

  router.add('GET', `${prefix}/categories/{id}`, (request, { id }) => {
    const category = ctx.store.get('categories', id ?? '');
    return category ? jsonResponse(200, render.category(ctx.base(request), category)) : CcvErrors.notFound('categories', id ?? '');
  });

  router.add('PATCH', `${prefix}/categories/{id}`, (request, { id }) => {
    const category = ctx.store.get('categories', id ?? '');
    if (!category) return CcvErrors.notFound('categories', id ?? '');
    const result = ctx.readBody(request, 'categories', 'update');
    if (result.error) return result.error;
    const { parentcategory_id, ...fields } = result.body;
    const updated: SandboxRecord = { ...category, ...fields };
    if (parentcategory_id !== undefined) updated.parentcategory = parentcategory_id ? { id: parentcategory_id } : null;
    ctx.store.put('categories', updated);
    return emptyResponse(204);
  });

  router.add('DELETE', `${prefix}/categories/{id}`, (_request, { id }) =>
    ctx.store.delete('categories', id ?? '') ? emptyResponse(204) : CcvErrors.notFound('categories', id ?? ''),
  );

  router.add('GET', `${prefix}/categories/{id}/producttocategories`, (request, { id }) => {
    if (!ctx.store.get('categories', id ?? '')) return CcvErrors.notFound('categories', id ?? '');
    const links = ctx.store.list('producttocategories').filter((link) => String(link.category_id) === id);
    return pagedCollection(request, links, (link) => render.producttocategory(ctx.base(request), link));
  });

  router.add('GET', `${prefix}/products/{id}/producttocategories`, (request, { id }) => {
    if (!ctx.store.get('products', id ?? '')) return CcvErrors.notFound('products', id ?? '');
    const links = ctx.store.list('producttocategories').filter((link) => String(link.product_id) === id);
    return pagedCollection(request, links, (link) => render.producttocategory(ctx.base(request), link));
  });

  router.add('GET', `${prefix}/producttocategories`, (request) =>
    pagedCollection(request, ctx.store.list('producttocategories'), (link) => render.producttocategory(ctx.base(request), link)),
  );

  router.add('POST', `${prefix}/producttocategories`, (request) => {
    const result = ctx.readBody(request, 'producttocategories', 'create');
    if (result.error) return result.error;
    const { product_id, category_id, position } = result.body;
    if (!ctx.store.get('products', String(product_id))) return CcvErrors.badRequest(`product_id: product ${String(product_id)} does not exist`);
    if (!ctx.store.get('categories', String(category_id))) return CcvErrors.badRequest(`category_id: category ${String(category_id)} does not exist`);
    const existing = ctx.store.list('producttocategories').find((link) => String(link.product_id) === String(product_id) && String(link.category_id) === String(category_id));
    // CCV's PropertyAlreadyExists (500.40) is the closest documented code for a duplicate link.
    if (existing) return duplicateLink(product_id, category_id);
    const link: SandboxRecord = { id: ctx.nextId('producttocategories', CCV_ID_BASE.producttocategories), position: position ?? 1, product_id, category_id };
    ctx.store.put('producttocategories', link, { created: true });
    return jsonResponse(201, render.producttocategory(ctx.base(request), link));
  });

  router.add('GET', `${prefix}/producttocategories/{id}`, (request, { id }) => {
    const link = ctx.store.get('producttocategories', id ?? '');
    return link ? jsonResponse(200, render.producttocategory(ctx.base(request), link)) : CcvErrors.notFound('producttocategories', id ?? '');
  });

  router.add('DELETE', `${prefix}/producttocategories/{id}`, (_request, { id }) =>
    ctx.store.delete('producttocategories', id ?? '') ? emptyResponse(204) : CcvErrors.notFound('producttocategories', id ?? ''),
  );
}

function duplicateLink(productId: unknown, categoryId: unknown) {
  return jsonResponse(500, {
    status: 500,
    code: '500.40',
    developermessage: `Property already exists: product ${String(productId)} is already in category ${String(categoryId)}`,
  });
}
