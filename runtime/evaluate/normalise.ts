import type { Json } from '../../compiler/artifact.js';

/**
 * The artifact's evaluation contract: object keys whose value is JSON `null` are removed (recursively), so
 * "absent" and "null" are one thing, as the language says. Array elements are kept as they are, nulls included,
 * so positions (`each ... at i`) do not shift.
 */
export function dropNulls(value: Json): Json {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (value !== null && typeof value === 'object') {
    const out: { [key: string]: Json } = {};
    for (const [key, field] of Object.entries(value)) {
      if (field !== null && field !== undefined) out[key] = dropNulls(field);
    }
    return out;
  }
  return value;
}
