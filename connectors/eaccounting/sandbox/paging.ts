import { jsonResponse, type SandboxRequest, type SandboxResponse } from '../../sandbox/http-types.js';
import type { SandboxRecord } from '../../sandbox/store.js';
import { inContractShape, type EaContext } from './context.js';
import { FilterError, parseFilter, parseOrderBy } from './odata.js';

/** Default page size 50 [M]; the maximum is unknown, 1000 is what clients use [G]. */
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;

/**
 * A list endpoint: `$filter`, `$orderby`, then `$page` (1-based) and `$pagesize`, answered in the
 * `{Meta, Data}` envelope. A `$pagesize` above the maximum is clamped; a page past the end is empty.
 */
export function pagedList(ctx: EaContext, request: SandboxRequest, entity: string, records: SandboxRecord[]): SandboxResponse {
  const q = request.query;
  let items = records;
  try {
    const schema = ctx.schema(entity, 'read');
    const filter = q.get('$filter');
    if (filter !== null && filter.trim() !== '') items = items.filter(parseFilter(filter, schema));
    const orderby = q.get('$orderby');
    if (orderby !== null && orderby.trim() !== '') items = [...items].sort(parseOrderBy(orderby, schema));
  } catch (error) {
    if (error instanceof FilterError) return ctx.errors.queryError(error.message);
    throw error;
  }
  const page = positiveInteger(q.get('$page'), 1);
  const requestedSize = positiveInteger(q.get('$pagesize'), DEFAULT_PAGE_SIZE);
  if (page === undefined) return ctx.errors.queryError(`$page must be a positive integer, got '${q.get('$page') ?? ''}'`);
  if (requestedSize === undefined) return ctx.errors.queryError(`$pagesize must be a positive integer, got '${q.get('$pagesize') ?? ''}'`);
  const size = Math.min(requestedSize, MAX_PAGE_SIZE);
  return jsonResponse(200, {
    Meta: {
      CurrentPage: page,
      PageSize: size,
      TotalNumberOfPages: Math.ceil(items.length / size),
      TotalNumberOfResults: items.length,
      ServerTimeUtc: ctx.now(),
    },
    Data: items.slice((page - 1) * size, page * size).map((record) => inContractShape(entity, record)),
  });
}

function positiveInteger(raw: string | null, fallback: number): number | undefined {
  if (raw === null || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) return undefined;
  return Number(raw);
}
