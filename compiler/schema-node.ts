import type { JsonSchema } from '../connectors/json-schema.js';

/**
 * A position inside a JSON Schema document: the schema at hand plus the document root, so local `$ref`s
 * (`#/definitions/X`) can be followed wherever we are.
 */
export interface SchemaNode {
  readonly schema: JsonSchema;
  readonly root: JsonSchema;
}

export function schemaNode(root: JsonSchema): SchemaNode {
  return { schema: root, root };
}

/** Follows `$ref`s (local ones only: connector schemas are self-contained) and single-branch wrappers. */
export function deref(node: SchemaNode): SchemaNode {
  let schema = node.schema;
  for (let guard = 0; guard < 32 && schema.$ref; guard++) {
    const target = resolvePointer(node.root, schema.$ref);
    if (!target) break;
    schema = target;
  }
  return schema === node.schema ? node : { schema, root: node.root };
}

function resolvePointer(root: JsonSchema, ref: string): JsonSchema | undefined {
  if (!ref.startsWith('#')) return undefined;
  let current: unknown = root;
  for (const raw of ref.slice(1).split('/').filter(Boolean)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current as JsonSchema | undefined;
}

/** The alternatives a schema allows (anyOf/oneOf), or itself. */
function branches(node: SchemaNode): SchemaNode[] {
  const resolved = deref(node);
  const alternatives = resolved.schema.anyOf ?? resolved.schema.oneOf;
  if (!alternatives) return [resolved];
  return alternatives.map((schema) => deref({ schema, root: node.root }));
}

/** Named properties of an object schema (merging the alternatives of anyOf/oneOf). */
export function propertiesOf(node: SchemaNode): Map<string, SchemaNode> {
  const result = new Map<string, SchemaNode>();
  for (const branch of branches(node)) {
    for (const [name, schema] of Object.entries(branch.schema.properties ?? {})) {
      if (!result.has(name)) result.set(name, { schema, root: node.root });
    }
  }
  return result;
}

export function requiredOf(node: SchemaNode): string[] {
  return deref(node).schema.required ?? [];
}

/** The element schema of an array schema. */
export function itemsOf(node: SchemaNode): SchemaNode | undefined {
  for (const branch of branches(node)) {
    if (branch.schema.items) return deref({ schema: branch.schema.items, root: node.root });
  }
  return undefined;
}

/** The JSON types a schema allows, `null` left out (null and absent are the same in Mapline). */
export function jsonTypesOf(node: SchemaNode): Set<string> {
  const types = new Set<string>();
  for (const branch of branches(node)) {
    const declared = branch.schema.type;
    if (declared === undefined) {
      if (branch.schema.properties) types.add('object');
      else if (branch.schema.items) types.add('array');
      else if (branch.schema.enum) for (const v of branch.schema.enum) types.add(v === null ? 'null' : typeof v);
      else return new Set(); // unconstrained
    } else {
      for (const t of Array.isArray(declared) ? declared : [declared]) types.add(t);
    }
  }
  types.delete('null');
  return types;
}

export function isReadOnly(node: SchemaNode): boolean {
  return deref(node).schema.readOnly === true || node.schema.readOnly === true;
}

export function describe(node: SchemaNode): string | undefined {
  return node.schema.description ?? deref(node).schema.description;
}
