import type { Json } from '../../compiler/artifact.js';

/**
 * The artifact's evaluation contract: object keys whose value is JSON `null` are removed (recursively), so
 * "absent" and "null" are one thing, as the language says. Array elements are kept as they are, nulls included,
 * so positions (`each ... at i`) do not shift.
 *
 * Copy on write: a value without null-valued keys is returned as it is (no copy), so normalising a record that is
 * already normal (the common case, and every evaluation after the first of the same record) allocates nothing.
 * Evaluation never changes its input, so sharing it is safe.
 */
export function dropNulls(value: Json): Json {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let copy: Json[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const element = value[i]!;
      const normal = element !== null && typeof element === 'object' ? dropNulls(element) : element;
      if (copy === undefined && normal !== element) copy = value.slice(0, i);
      copy?.push(normal);
    }
    return copy ?? value;
  }
  // `for...in` rather than `Object.keys`: no key array per object (JSON objects have no inherited enumerable keys).
  const object = value as { [key: string]: Json };
  let copy: { [key: string]: Json } | undefined;
  let seen = 0;
  for (const key in object) {
    const field = object[key];
    const normal = field === null || field === undefined ? undefined : typeof field === 'object' ? dropNulls(field) : field;
    if (copy === undefined) {
      if (normal === field) {
        seen++;
        continue;
      }
      copy = {};
      let j = 0;
      for (const earlier in object) {
        if (j++ === seen) break;
        setField(copy, earlier, object[earlier]!);
      }
    }
    if (normal !== undefined) setField(copy, key, normal);
  }
  return copy ?? value;
}

/**
 * What `JSON.parse(JSON.stringify(value))` gives, without the text in between: evaluation results can hold
 * JSONata sequences (arrays with flags), objects without a prototype, functions and `undefined`; the result is
 * plain, fresh JSON (no part shared with the input), with JSON's rules: `undefined` and functions are left out
 * of objects and become `null` in arrays, non-finite numbers become `null`, `-0` becomes `0`.
 */
export function toJson(value: unknown): Json | undefined {
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return undefined;
  return plain(value);
}

function plain(value: unknown): Json {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? (value === 0 ? 0 : value) : null;
    case 'object': {
      if (value === null) return null;
      const withToJson = value as { toJSON?: unknown };
      if (typeof withToJson.toJSON === 'function') return toJson((withToJson.toJSON as () => unknown)()) ?? null;
      if (Array.isArray(value)) {
        const out: Json[] = new Array<Json>(value.length);
        for (let i = 0; i < value.length; i++) {
          const element: unknown = value[i];
          out[i] = element === undefined || typeof element === 'function' || typeof element === 'symbol' ? null : plain(element);
        }
        return out;
      }
      const out: { [key: string]: Json } = {};
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        const field = record[key];
        if (field === undefined || typeof field === 'function' || typeof field === 'symbol') continue;
        setField(out, key, plain(field));
      }
      return out;
    }
    default:
      // bigint: JSON.stringify throws on it; no evaluation produces one.
      throw new TypeError(`cannot turn a ${typeof value} into JSON`);
  }
}

/** `out[key] = value`, also for the key `__proto__` (which JSON.parse keeps as an ordinary field). */
function setField(out: { [key: string]: Json }, key: string, value: Json): void {
  if (key !== '__proto__') out[key] = value;
  else defineProto(out, value);
}

function defineProto(out: { [key: string]: Json }, value: Json): void {
  Object.defineProperty(out, '__proto__', { value, enumerable: true, writable: true, configurable: true });
}
