import { jsonResponse, type SandboxRequest } from '../../../sandbox/http-types.js';
import type { Router } from '../../../sandbox/router.js';
import type { SandboxRecord } from '../../../sandbox/store.js';
import { CHILD_COLLECTIONS, childCollection, type ChildCollection, type ParentEntity } from '../children.js';
import type { CcvContext } from '../context.js';
import { CcvErrors } from '../errors.js';
import { pagedCollection } from '../paging.js';
import { renderRecord } from '../render.js';

/**
 * Serves every child collection of `children.ts`: `GET /{parent}/{id}/{name}` as a paged collection, and
 * `GET /{entity}/{id}` for each child entity no other route serves yet. Registered after the resources' own
 * routes, so those keep their more specific handling.
 */
export function childRoutes(router: Router, ctx: CcvContext, prefix: string): void {
  const entities = new Set<string>();
  for (const [parent, collections] of Object.entries(CHILD_COLLECTIONS) as [ParentEntity, readonly ChildCollection[]][]) {
    for (const collection of collections) {
      entities.add(collection.entity);
      router.add('GET', `${prefix}/${parent}/{id}/${collection.name}`, (request, { id = '' }) => {
        if (!ctx.store.get(parent, id)) return CcvErrors.notFound(parent, id);
        return pagedCollection(request, ctx.childrenOf(collection, id), (record) => renderRecord(collection.entity, ctx.base(request), record));
      });
    }
  }
  for (const entity of entities) {
    if (router.match('GET', `${prefix}/${entity}/1`).kind !== 'found') recordRoute(router, ctx, prefix, entity);
  }
}

/** `GET /{entity}/{id}`: one stored record as the API shows it, or 404. */
export function recordRoute(router: Router, ctx: CcvContext, prefix: string, entity: string): void {
  router.add('GET', `${prefix}/${entity}/{id}`, (request, { id = '' }) => {
    const record = ctx.store.get(entity, id);
    return record ? jsonResponse(200, renderRecord(entity, ctx.base(request), record)) : CcvErrors.notFound(entity, id);
  });
}

/** Deletes a record and, recursively, the records of its child collections (a product's photos and links). */
export function deleteWithChildren(ctx: CcvContext, entity: string, id: string): boolean {
  const record = ctx.store.get(entity, id);
  if (!record) return false;
  const collections = (CHILD_COLLECTIONS as Record<string, readonly ChildCollection[] | undefined>)[entity] ?? [];
  const children = collections.flatMap((collection) => ctx.childrenOf(collection, id).map((child) => [collection.entity, String(child.id)] as const));
  ctx.store.delete(entity, id);
  for (const [childEntity, childId] of children) deleteWithChildren(ctx, childEntity, childId);
  return true;
}

/** Product child collections `expand` may fill; names the notes list that the sandbox does not hold are ignored. */
const EXPANDABLE = new Set([
  'attributecombinations', 'productattachments', 'productattributesets', 'productkeywords', 'productphotos', 'productrelevant',
  'productreviews', 'productshippingcosts', 'productstaggeredprices', 'producttopropertygroups', 'producttocategories',
  'productvariants', 'productvideos', 'producttaxtariffexceptions',
]);

/** The `expand` names of a products request, or the 400 for a name the API does not know. */
export function parseExpand(request: SandboxRequest): string[] | { problem: string } {
  const raw = request.query.get('expand');
  if (!raw) return [];
  const names = raw.split(',').map((name) => name.trim()).filter((name) => name !== '');
  const unknown = names.find((name) => !EXPANDABLE.has(name));
  return unknown ? { problem: `Parameter expand: unknown child '${unknown}'; one of ${[...EXPANDABLE].join(', ')}` } : names;
}

/** A rendered product with each expanded child link holding its records: `{href, collection: [...]}` (§2). */
export function expanded(ctx: CcvContext, request: SandboxRequest, product: SandboxRecord, rendered: Record<string, unknown>, names: readonly string[]): unknown {
  const out = { ...rendered };
  for (const name of names) {
    const collection = childCollection('products', name);
    const link = out[name] as { href: string } | undefined;
    if (!collection || !link) continue;
    out[name] = { ...link, collection: ctx.childrenOf(collection, product.id).map((record) => renderRecord(collection.entity, ctx.base(request), record)) };
  }
  return out;
}
