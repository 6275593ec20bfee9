import type { Json } from '../../compiler/artifact.js';
import type { EntityDefinition } from '../../connectors/definition.js';
import { isObject } from './lookup-cache.js';
import type { ConnectorClient } from './ports.js';

export interface SourceRead {
  readonly records: Json[];
  /** The cursor to store after a successful run; undefined keeps the old one. */
  readonly nextCursor: string | undefined;
}

/**
 * Incremental, gap-free reading. With a stored cursor the read starts a little before it (the overlap window;
 * for `created-since` cursors the whole re-poll window, so orders created earlier but paid since are seen
 * again); records read twice are recognised later by their link and content hash. Without a cursor (first run)
 * or a cursor spec, everything is read. `since` (from `--since`) starts exactly there.
 */
export async function readSource(
  client: ConnectorClient,
  entityName: string,
  entity: EntityDefinition,
  storedCursor: string | undefined,
  since: Date | undefined,
): Promise<SourceRead> {
  const spec = entity.cursor;
  let records: Json[];
  if (since !== undefined) {
    records = spec ? await client.listSince(entityName, since) : await client.list(entityName);
  } else if (spec && storedCursor !== undefined) {
    const back = spec.style === 'created-since' ? Math.max(spec.overlapMs, spec.repollWindowMs) : spec.overlapMs;
    records = await client.listSince(entityName, new Date(parseUtc(storedCursor) - back));
  } else {
    records = await client.list(entityName);
  }
  if (!spec) return { records, nextCursor: undefined };
  let newest = storedCursor !== undefined ? parseUtc(storedCursor) : Number.NEGATIVE_INFINITY;
  for (const record of records) {
    const stamp = isObject(record) ? record[spec.field] : undefined;
    const millis = typeof stamp === 'string' ? parseUtc(stamp) : Number.NaN;
    if (!Number.isNaN(millis) && millis > newest) newest = millis;
  }
  return { records, nextCursor: Number.isFinite(newest) ? new Date(newest).toISOString() : storedCursor };
}

/** API stamps are UTC; some come without a zone designator (`2026-03-13T16:40:02`), which JS would read as local. */
export function parseUtc(stamp: string): number {
  const zoned = /T.*([Zz]|[+-]\d{2}:?\d{2})$/.test(stamp) || !stamp.includes('T') ? stamp : `${stamp}Z`;
  return Date.parse(zoned);
}
