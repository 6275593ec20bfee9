import { deref, describe, itemsOf, jsonTypesOf, propertiesOf, type SchemaNode } from '../../../compiler/schema-node.js';

/**
 * How a schema position is shown to a person: its JSON type(s), format and allowed values, and its description.
 * Used by completion details and hover.
 */
export function typeLabel(node: SchemaNode): string {
  const resolved = deref(node);
  const types = [...jsonTypesOf(node)];
  let label = types.length === 0 ? 'any' : types.join(' | ');
  if (types.length === 1 && types[0] === 'array') {
    const items = itemsOf(node);
    if (items) label = `array of ${typeLabel(items)}`;
  }
  const format = resolved.schema.format;
  if (format) label += ` (${format})`;
  const values = resolved.schema.enum;
  if (values && values.length <= 12) label += `: one of ${values.map((v) => JSON.stringify(v)).join(', ')}`;
  return label;
}

export function descriptionOf(node: SchemaNode): string | undefined {
  return describe(node);
}

/** The fields one can write after a dot: an object's properties, or those of an array's elements. */
export function fieldsOf(node: SchemaNode): Map<string, SchemaNode> {
  const own = propertiesOf(node);
  if (own.size > 0) return own;
  const items = itemsOf(node);
  return items ? propertiesOf(items) : own;
}

/** One step down a path: a property, looking through arrays (a path through an array maps over it). */
export function fieldOf(node: SchemaNode, name: string): SchemaNode | undefined {
  return fieldsOf(node).get(name);
}

/** Properties of several schemas merged (create and update schemas of one target, say), first wins. */
export function mergedFields(nodes: readonly (SchemaNode | undefined)[]): Map<string, SchemaNode> {
  const out = new Map<string, SchemaNode>();
  for (const node of nodes) {
    if (!node) continue;
    for (const [name, field] of fieldsOf(node)) if (!out.has(name)) out.set(name, field);
  }
  return out;
}
