import type { JsonSchema } from '../../json-schema.js';
import { typesOf } from '../../schemas.js';

/**
 * The eAccounting contract (the read schemas generated from the Swagger file) applied to records, in both
 * directions: what the sandbox serves has exactly the documented properties, and what it accepts loses the
 * documented read-only ones before the closed write schema judges the rest.
 */

/**
 * What the API shows for a documented property a record has no value for: what ASP.NET serialises for a fresh
 * object. Lists are empty, flags false, numbers 0 (when 0 is a value the property may take, else null), and
 * strings, GUIDs, dates and nested objects null.
 */
export function contractDefault(schema: JsonSchema): unknown {
  const type = typesOf(schema).find((t) => t !== 'null');
  if (type === 'array') return [];
  if (type === 'boolean') return false;
  if ((type === 'number' || type === 'integer') && admitsZero(schema)) return 0;
  return null;
}

function admitsZero(schema: JsonSchema): boolean {
  return (schema.enum === undefined || schema.enum.includes(0)) && (schema.minimum ?? 0) <= 0 && (schema.maximum ?? 0) >= 0;
}

/**
 * `value` in the shape `schema` documents, at every depth (rows, nested objects): every documented property,
 * in the contract's order, with its value or its `contractDefault`; properties the contract does not know are
 * left out. Values are not converted: a wrong value stays wrong, so the read-schema tests still see it.
 */
export function shapeToContract(schema: JsonSchema, value: unknown): unknown {
  if (Array.isArray(value)) return schema.items ? value.map((item) => shapeToContract(schema.items!, item)) : value;
  if (value === null || typeof value !== 'object' || !schema.properties) return value;
  const record = value as Record<string, unknown>;
  const shaped: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(schema.properties)) {
    shaped[name] = record[name] === undefined ? contractDefault(property) : shapeToContract(property, record[name]);
  }
  return shaped;
}

/**
 * A write body without the properties the read schema marks read-only, at every depth. ASP.NET ignores them,
 * so a client doing GET-modify-PUT may send them back; properties the contract does not know are kept, so the
 * closed write schema refuses them by name.
 */
export function withoutReadOnly(schema: JsonSchema, value: unknown): unknown {
  if (Array.isArray(value)) return schema.items ? value.map((item) => withoutReadOnly(schema.items!, item)) : value;
  if (value === null || typeof value !== 'object' || !schema.properties) return value;
  const properties = schema.properties;
  // fromEntries, not assignment: a `__proto__` key in a body stays a plain (unknown, so refused) property.
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([name]) => !(Object.hasOwn(properties, name) && properties[name]!.readOnly))
      .map(([name, item]) => [name, Object.hasOwn(properties, name) ? withoutReadOnly(properties[name]!, item) : item]),
  );
}

/**
 * The read-only properties `record` has a value for (top level): server state a PUT cannot change, so a
 * replaced record keeps what its builder does not compute anew (a quote's `Status`, an order's `IsNotDelivered`).
 */
export function readOnlyPart(schema: JsonSchema, record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(schema.properties ?? {}).filter(([name, property]) => property.readOnly && record[name] !== undefined).map(([name]) => [name, record[name]]));
}
