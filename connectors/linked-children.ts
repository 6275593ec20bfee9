import type { ChildLink, EntityDefinition } from './definition.js';
import type { JsonSchema } from './json-schema.js';

/**
 * Linked children: child records a flow writes together with their parent, each a record of its own that points
 * at the parent (CCV `producttocategories`). A flow sets them like an array field of the parent; the write schema
 * it is checked against gets that field, typed as the child's create schema without the parent's id (the runtime
 * fills that in once the parent exists). Links are added, never removed: a category a merchant added in the shop
 * stays. Pure and isomorphic: the compiler (in the browser too) and the runtime read the same shape.
 */
export interface LinkedChild extends ChildLink {
  /** The parent's field the flow sets (`producttocategories`). */
  readonly field: string;
  /** The child entity's name within the same connector. */
  readonly entity: string;
  /** The child's create schema without the parent field: what one element of the field must be. */
  readonly element: JsonSchema;
  /** How the parent id is sent in the parent field: ids are kept as text, CCV wants `product_id` as a number. */
  readonly parentIdType: 'number' | 'string';
}

/** The children of `parent` a flow can write: those with a `link` whose entity the API lets us create. */
export function linkedChildren(parent: EntityDefinition, entityNamed: (name: string) => EntityDefinition | undefined): LinkedChild[] {
  const out: LinkedChild[] = [];
  for (const [field, child] of Object.entries(parent.children ?? {})) {
    if (!child.link) continue;
    const definition = entityNamed(child.entity);
    const create = definition?.create ? definition.schemas.create : undefined;
    if (!create) continue;
    const types = [create.properties?.[child.link.parentField]?.type ?? 'string'].flat();
    const parentIdType = types.includes('integer') || types.includes('number') ? 'number' : 'string';
    out.push({ field, entity: child.entity, ...child.link, element: withoutField(create, child.link.parentField), parentIdType });
  }
  return out;
}

/** A parent's write schema with each linked child as an array field, so rules, completion and validation see it. */
export function withLinkedChildren(write: JsonSchema, children: readonly LinkedChild[]): JsonSchema {
  if (children.length === 0) return write;
  const properties: Record<string, JsonSchema> = { ...(write.properties ?? {}) };
  for (const child of children) {
    properties[child.field] = {
      type: 'array',
      description: `${child.entity} to add to this record (matched by ${child.key}; existing ones are kept, none removed)`,
      items: child.element,
    };
  }
  return { ...write, properties };
}

/** The schema without one property (and without `$schema`/`$id`, so it can sit inside another schema). */
function withoutField(schema: JsonSchema, field: string): JsonSchema {
  const { $schema: _schema, $id: _id, ...rest } = schema;
  const properties = { ...(rest.properties ?? {}) };
  delete properties[field];
  return { ...rest, properties, ...(rest.required ? { required: rest.required.filter((name) => name !== field) } : {}) };
}
