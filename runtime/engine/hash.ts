import { createHash } from 'node:crypto';
import type { Json } from '../../compiler/artifact.js';

/** JSON with object keys sorted, so equal payloads give equal text whatever order their keys were built in. */
export function canonicalJson(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k]!)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The content hash of a mapped payload: a record whose payload hashes the same as last time is not rewritten. */
export function contentHash(payload: Json): string {
  return createHash('sha256').update(canonicalJson(payload)).digest('hex');
}
