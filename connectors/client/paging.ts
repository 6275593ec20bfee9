import type { PagingSpec } from '../definition.js';
import { ProtocolError } from './errors.js';
import { type QueryParams, withQuery } from './url.js';

/**
 * Walks a collection page by page as the definition's paging style says:
 * - `offset` (CCV): `start`/`size`, then follow the envelope's `next` link (kept byte for byte, it is signed)
 *   until it is null;
 * - `page` (eAccounting): `$page`/`$pagesize` from `firstPage` until `CurrentPage >= TotalNumberOfPages`;
 * - `none`: one response holds everything.
 */
export interface Page<T = ApiRecord> {
  readonly items: readonly T[];
  /** 1 for the first page read. */
  readonly number: number;
  /** Total pages, when the API tells (page style). */
  readonly totalPages?: number;
}

export type ApiRecord = Readonly<Record<string, unknown>>;

/** Fetches one path+query (relative to the origin, base path included) and returns the parsed JSON body. */
export type FetchPage = (path: string) => Promise<unknown>;

export interface PageWalk {
  readonly connector: string;
  readonly paging: PagingSpec;
  /** Collection path, base path included, without query. */
  readonly path: string;
  readonly params: QueryParams;
  readonly pageSize: number | undefined;
  /** The base URL's origin, to turn absolute `next` links into paths. */
  readonly origin: string;
}

export async function* walkPages(walk: PageWalk, fetchPage: FetchPage): AsyncGenerator<Page> {
  const { paging } = walk;
  if (paging.style === 'none') {
    const body = await fetchPage(withQuery(walk.path, walk.params));
    yield { items: itemsOf(walk, body, paging.itemsField, walk.path), number: 1 };
    return;
  }
  const size = Math.min(walk.pageSize ?? paging.maxSize, paging.maxSize);
  if (paging.style === 'offset') {
    let next: string | undefined = withQuery(walk.path, { ...walk.params, [paging.startParam]: 0, [paging.sizeParam]: size });
    for (let number = 1; next !== undefined; number++) {
      const body = await fetchPage(next);
      const items = itemsOf(walk, body, paging.itemsField, next);
      yield { items, number };
      const link = (body as Record<string, unknown>)[paging.nextField];
      next = typeof link === 'string' && link !== '' && items.length > 0 ? pathOf(walk, link) : undefined;
    }
    return;
  }
  for (let page = paging.firstPage, number = 1; ; page++, number++) {
    const path = withQuery(walk.path, { ...walk.params, [paging.pageParam]: page, [paging.sizeParam]: size });
    const body = await fetchPage(path);
    const items = itemsOf(walk, body, paging.itemsField, path);
    const meta = (body as Record<string, unknown>)[paging.metaField] as Record<string, unknown> | undefined;
    const current = Number(meta?.[paging.currentPageField]);
    const total = Number(meta?.[paging.totalPagesField]);
    if (!Number.isFinite(current) || !Number.isFinite(total)) {
      throw new ProtocolError(walk.connector, `page ${page} of ${walk.path} has no ${paging.metaField}.${paging.totalPagesField}`);
    }
    yield { items, number, totalPages: total };
    if (current >= total || items.length === 0) return;
  }
}

function itemsOf(walk: PageWalk, body: unknown, field: string, path: string): ApiRecord[] {
  if (Array.isArray(body)) return body as ApiRecord[]; // a bare array is a collection too
  const items = body !== null && typeof body === 'object' ? (body as Record<string, unknown>)[field] : undefined;
  if (!Array.isArray(items)) throw new ProtocolError(walk.connector, `${path} answered without an array in "${field}"`);
  return items as ApiRecord[];
}

/** A `next` link is absolute (CCV); we send its path+query exactly, but only to the origin we were given. */
function pathOf(walk: PageWalk, link: string): string {
  if (link.startsWith('/')) return link;
  const url = new URL(link);
  if (url.origin !== walk.origin) {
    // A proxy or the sandbox may report another host; the path is what matters, the host stays ours.
    return url.pathname + url.search;
  }
  return link.slice(url.origin.length);
}
