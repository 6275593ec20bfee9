import type { EntityDefinition } from '../definition.js';
import { odataLiteral } from './odata.js';
import type { QueryParams } from './url.js';

/**
 * The query parameters that read "what changed since `sinceMs`", per the entity's cursor style:
 * - `odata-modified`: `<field> ge <since - overlap>` in the OData filter parameter, ANDed with a filter already
 *   given;
 * - `created-since` (CCV orders, no modify-date filter): the create-date parameter set to the earlier of
 *   `since - overlap` and `now - repollWindow`, so recent records are read again and later changes are seen.
 * Returns undefined when the entity has no cursor.
 */
export function cursorParams(entity: EntityDefinition, params: QueryParams, sinceMs: number, nowMs: number): QueryParams | undefined {
  const cursor = entity.cursor;
  if (!cursor) return undefined;
  if (cursor.style === 'odata-modified') {
    const param = entity.search?.style === 'odata' ? entity.search.param : '$filter';
    const condition = `${cursor.field} ge ${odataLiteral(new Date(sinceMs - cursor.overlapMs))}`;
    const existing = params[param];
    return { [param]: existing === undefined ? condition : `(${String(existing)}) and ${condition}` };
  }
  const from = new Date(Math.min(sinceMs - cursor.overlapMs, nowMs - cursor.repollWindowMs)).toISOString();
  return { [cursor.param]: cursor.format === 'date' ? from.slice(0, 10) : from.replace(/\.\d{3}Z$/, 'Z') };
}
