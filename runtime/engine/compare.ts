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

/**
 * `covers` for a payload in the API's write shape against a record in its read shape: fields the API returns
 * under another name (the entity's `readBack`, e.g. CCV `active` -> `is_active`) are compared under that name.
 */
export function holds(existing: Json | undefined, payload: Json, readBack: Readonly<Record<string, string>> = {}): boolean {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return covers(existing, payload);
  const asRead: Record<string, Json> = {};
  for (const [field, value] of Object.entries(payload)) {
    const path = (readBack[field] ?? field).split('.');
    let target = asRead;
    for (const step of path.slice(0, -1)) {
      const next = target[step];
      target = (target[step] = next !== null && typeof next === 'object' && !Array.isArray(next) ? next : {}) as Record<string, Json>;
    }
    target[path[path.length - 1]!] = value;
  }
  return covers(existing, asRead);
}
