import type { Json } from '../../compiler/artifact.js';

/**
 * What `$find`, `$findOptional` and `$upsert` need from whoever runs the flow. The engine implements it over
 * prefetched target data (and real writes); the playground over sample records. The find/upsert semantics
 * themselves (absent key, no match, ambiguous match) live in `lookups.ts`, once, for both.
 */
export interface LookupHost {
  /** Every record of `entity` (`connector.entity`) whose field `key` equals `value`. */
  lookup(entity: string, key: string, value: Json): Promise<readonly Json[]>;
  /**
   * Find the record of `entity` with `key` = `value`; create it from `payload` when there is none, else update
   * it with `updatePayload` (when the upsert has `on create`/`on update` rules) or `payload`. Returns the
   * record as it now is (at least its id).
   */
  upsert(entity: string, key: string, value: Json, payload: Json, updatePayload?: Json): Promise<Json>;
  /**
   * Optional: `lookup` answered without waiting, when the host knows the answer already (prefetched data, an
   * earlier search); undefined when only `lookup` can tell. Lets the JavaScript backend evaluate a record in one
   * synchronous pass. Must agree with `lookup`.
   */
  lookupNow?(entity: string, key: string, value: Json): readonly Json[] | undefined;
  /** Optional: `upsert` answered without waiting, or undefined when only `upsert` can do it. Must agree with `upsert`. */
  upsertNow?(entity: string, key: string, value: Json, payload: Json, updatePayload?: Json): Json | undefined;
}

/** A lookup failed the record: names the entity, the key and the value (e.g. the SKU of a missing article). */
export class LookupError extends Error {
  constructor(
    message: string,
    readonly entity: string,
    readonly key: string,
    readonly value: Json | undefined,
    readonly kind: 'absent-key' | 'missing' | 'ambiguous',
  ) {
    super(message);
    this.name = 'LookupError';
  }
}
