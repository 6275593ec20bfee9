import type { JsonSchema } from '../json-schema.js';

/**
 * OData `$filter` literals. Strings are quoted with `'` doubled inside; GUIDs, numbers, booleans and datetimes
 * are bare. Which one a value is comes from the field's schema when known (a string field holding "10042" stays a
 * string), and from the value's own type otherwise.
 */
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function odataLiteral(value: string | number | boolean | Date, fieldSchema?: JsonSchema): string {
  if (value instanceof Date) return value.toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  const schema = fieldSchema as { type?: unknown; format?: unknown } | undefined;
  const types = Array.isArray(schema?.type) ? (schema.type as unknown[]) : [schema?.type];
  if (schema?.format === 'uuid' && GUID.test(value)) return value;
  if (schema?.format === 'date-time' && !Number.isNaN(Date.parse(value))) return value;
  if (types.includes('number') || types.includes('integer')) {
    if (/^-?\d+(\.\d+)?$/.test(value)) return value;
  }
  if (types.includes('boolean') && (value === 'true' || value === 'false')) return value;
  if (schema === undefined && GUID.test(value)) return value;
  return `'${value.replace(/'/g, "''")}'`;
}

/** `Field eq literal` */
export function odataEquals(field: string, value: string | number | boolean | Date, fieldSchema?: JsonSchema): string {
  return `${field} eq ${odataLiteral(value, fieldSchema)}`;
}
