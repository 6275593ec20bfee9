import type { Json } from '../../compiler/artifact.js';

/**
 * True when writing `payload` over `existing` would change nothing: every field the payload sets already holds
 * that value (objects compared field by field, arrays element by element; a payload `null` matches an absent
 * field). Read records carry more fields than a payload sets; those do not count.
 */
export function covers(existing: Json | undefined, payload: Json): boolean {
  if (payload === null) return existing === null || existing === undefined;
  if (Array.isArray(payload)) {
    return Array.isArray(existing) && existing.length === payload.length && payload.every((item, i) => covers(existing[i], item));
  }
  if (typeof payload === 'object') {
    if (existing === null || existing === undefined || typeof existing !== 'object' || Array.isArray(existing)) return false;
    return Object.entries(payload).every(([key, value]) => covers(existing[key], value));
  }
  if (typeof payload === 'number' && typeof existing === 'number') return Math.abs(payload - existing) < 1e-9;
  return existing === payload;
}
