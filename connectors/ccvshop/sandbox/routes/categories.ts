import { emptyResponse, jsonResponse } from '../../../sandbox/http-types.js';
import type { Router } from '../../../sandbox/router.js';
import type { SandboxRecord } from '../../../sandbox/store.js';
import type { CcvContext } from '../context.js';
import { CcvErrors } from '../errors.js';
import { pagedCollection } from '../paging.js';
import { render } from '../render.js';
import { childCollection, type ChildCollection } from '../children.js';
import { CCV_ID_BASE } from '../ids.js';
import { categoryRecord, ccvNow } from '../seed.js';
import { deleteWithChildren } from './children.js';

const SUBCATEGORIES = childCollection('categories', 'categories') as ChildCollection;

/** Categories, the category tree and the product<->category links (`/producttocategories`). */
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
    const badParent = parentProblem(ctx, category, parentcategory_id);
    if (badParent) return CcvErrors.badRequest(badParent);
    const updated: SandboxRecord = { ...category, ...fields };
    if (parentcategory_id !== undefined) updated.parentcategory = parentcategory_id ? { id: parentcategory_id } : null;
    ctx.store.put('categories', updated);
    return emptyResponse(204);
  });

  // Its product links and subcategories go with it [G].
  router.add('DELETE', `${prefix}/categories/{id}`, (_request, { id = '' }) =>
    deleteWithChildren(ctx, 'categories', id) ? emptyResponse(204) : CcvErrors.notFound('categories', id),
  );

  // `/categorytree`: the root categories with their subcategories nested as `children` (JDK model Categorytree).
  router.add('GET', `${prefix}/categorytree`, (request) => {
    const all = ctx.store.list('categories');
    const byPosition = (a: SandboxRecord, b: SandboxRecord) => Number(a.position ?? 0) - Number(b.position ?? 0) || Number(a.id) - Number(b.id);
    const node = (category: SandboxRecord): unknown => {
      const { href, id, name, description, position, show_on_website, deeplink } = render.category(ctx.base(request), category) as SandboxRecord;
      const children = ctx.childrenOf(SUBCATEGORIES, category.id).sort(byPosition).map(node);
      return { href, id, name, description, position, show_on_website, deeplink, children };
    };
    const known = new Set(all.map((category) => String(category.id)));
    const roots = all.filter((category) => !known.has(String(SUBCATEGORIES.parentOf(category)))).sort(byPosition);
    return jsonResponse(200, { href: `${ctx.base(request)}/categorytree/`, root_categories: roots.map(node) });
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
    if (existing) return CcvErrors.alreadyExists(`product ${String(product_id)} is already in category ${String(category_id)}`);
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

/** Why `parentcategory_id` cannot be the category's parent: it does not exist, or it is the category or below it. */
function parentProblem(ctx: CcvContext, category: SandboxRecord, parentId: unknown): string | undefined {
  if (parentId === undefined || parentId === null) return undefined;
  if (!ctx.store.get('categories', String(parentId))) return `parentcategory_id: category ${String(parentId)} does not exist`;
  const seen = new Set<string>();
  for (let at: unknown = parentId; at !== undefined && at !== null && !seen.has(String(at)); at = SUBCATEGORIES.parentOf(ctx.store.get('categories', String(at)) ?? {})) {
    if (String(at) === String(category.id)) return `parentcategory_id: category ${String(parentId)} is category ${String(category.id)} itself or one of its subcategories`;
    seen.add(String(at));
  }
  return undefined;
}
