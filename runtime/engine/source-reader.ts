import type { Json } from '../../compiler/artifact.js';
import type { EntityDefinition } from '../../connectors/definition.js';
import { isObject } from './lookup-cache.js';
import type { ConnectorClient } from './ports.js';

export interface SourceRead {
  /** The records, a page at a time as the API sends them. */
  readonly pages: AsyncIterable<Json[]>;
  /** The cursor to store after a successful run (known once every page was read); undefined keeps the old one. */
  nextCursor(): string | undefined;
}

/**
 * Incremental, gap-free reading. With a stored cursor the read starts a little before it (the overlap window;
 * for `created-since` cursors the whole re-poll window, so orders created earlier but paid since are seen
 * again); records read twice are recognised later by their link and content hash. Without a cursor (first run)
 * or a cursor spec, everything is read. `since` (from `--since`) starts exactly there. Pages are handed on as
 * they arrive, so a run holds one page of the source at a time. The order of the pages does not matter to the
 * cursor (the newest stamp over every page read), so a newest-first read keeps it exact.
 */
export function readSource(
  client: ConnectorClient,
  entityName: string,
  entity: EntityDefinition,
  storedCursor: string | undefined,
  since: Date | undefined,
  newestFirst = false,
): SourceRead {
  const spec = entity.cursor;
  let from: Date | undefined;
  if (since !== undefined) from = spec ? since : undefined;
  else if (spec && storedCursor !== undefined) {
    const back = spec.style === 'created-since' ? Math.max(spec.overlapMs, spec.repollWindowMs) : spec.overlapMs;
    from = new Date(parseUtc(storedCursor) - back);
  }
  let newest = storedCursor !== undefined ? parseUtc(storedCursor) : Number.NEGATIVE_INFINITY;
  async function* pages(): AsyncIterable<Json[]> {
    for await (const page of client.pages(entityName, from, newestFirst)) {
      if (spec) {
        for (const record of page) {
          const stamp = isObject(record) ? record[spec.field] : undefined;
          const millis = typeof stamp === 'string' ? parseUtc(stamp) : Number.NaN;
          if (!Number.isNaN(millis) && millis > newest) newest = millis;
        }
      }
      yield page;
    }
  }
  return {
    pages: pages(),
    nextCursor: () => (spec && Number.isFinite(newest) ? new Date(newest).toISOString() : storedCursor),
  };
}

/** API stamps are UTC; some come without a zone designator (`2026-03-13T16:40:02`), which JS would read as local. */
export function parseUtc(stamp: string): number {
  const zoned = /T.*([Zz]|[+-]\d{2}:?\d{2})$/.test(stamp) || !stamp.includes('T') ? stamp : `${stamp}Z`;
  return Date.parse(zoned);
}
