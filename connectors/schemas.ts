import type { JsonSchema, JsonSchemaType } from './json-schema.js';

/**
 * Small helpers for writing and reading connector schemas. Pure: the compiler and the playground use them too.
 */

/**
 * Annotation keywords that Mapline schemas carry besides draft-07. ajv in strict mode rejects unknown keywords,
 * so every place that compiles connector schemas registers these first: `ajv.addKeyword(keyword)`.
 */
export const schemaAnnotationKeywords: readonly string[] = ['x-certainty'];

/** A schema that also accepts JSON null: `type: 'string'` becomes `type: ['string', 'null']`. */
export function orNull(schema: JsonSchema): JsonSchema {
  const types = typesOf(schema);
  if (types.length === 0 || types.includes('null')) return schema;
  const result: JsonSchema = { ...schema, type: [...types, 'null'] };
  if (schema.enum && !schema.enum.includes(null)) result.enum = [...schema.enum, null];
  return result;
}

/** The JSON types a schema allows, as a list (empty when the schema does not say). */
export function typesOf(schema: JsonSchema): JsonSchemaType[] {
  if (schema.type === undefined) return [];
  return Array.isArray(schema.type) ? [...schema.type] : [schema.type];
}

/** Whether a schema accepts JSON null. */
export function allowsNull(schema: JsonSchema): boolean {
  return typesOf(schema).includes('null');
}

/**
 * JSON modules are typed by TypeScript from their content (`type: string`, not the keyword union), so the
 * generated schema files are narrowed to `JsonSchema` here, in one place. The tests compile every schema with ajv.
 */
export function asJsonSchema(value: unknown): JsonSchema {
  return value as JsonSchema;
}
