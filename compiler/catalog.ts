import type { ConnectorDefinition, EntityDefinition } from '../connectors/definition.js';
import type { JsonSchema } from '../connectors/json-schema.js';
import { linkedChildren, withLinkedChildren } from '../connectors/linked-children.js';
import type { EntityName } from './artifact.js';
import { schemaNode, type SchemaNode } from './schema-node.js';

/** The connectors a compilation checks against, keyed by the name `.map` files use. */
export type ConnectorCatalog = Readonly<Record<string, ConnectorDefinition>>;

/** An entity found in the catalogue, with the schemas a flow sees. */
export interface CatalogEntity {
  readonly name: EntityName;
  /** `connector.entity`, as written in `.map` files and messages. */
  readonly label: string;
  readonly definition: EntityDefinition;
  /** What a flow reading this entity sees: the read schema with child collections attached as arrays. */
  readonly readShape: SchemaNode;
  readonly createSchema?: SchemaNode;
  readonly updateSchema?: SchemaNode;
}

export function entityLabel(name: EntityName): string {
  return `${name.connector}.${name.entity}`;
}

export function findEntity(catalog: ConnectorCatalog, connector: string, entity: string): CatalogEntity | undefined {
  const definition = catalog[connector]?.entities[entity];
  if (!definition) return undefined;
  const name = { connector, entity };
  const entities = catalog[connector]!.entities;
  const linked = linkedChildren(definition, (child) => entities[child]);
  return {
    name,
    label: entityLabel(name),
    definition,
    readShape: schemaNode(withChildren(catalog[connector]!, definition)),
    ...(definition.schemas.create && definition.create ? { createSchema: schemaNode(withLinkedChildren(definition.schemas.create, linked)) } : {}),
    ...(definition.schemas.update && definition.update ? { updateSchema: schemaNode(withLinkedChildren(definition.schemas.update, linked)) } : {}),
  };
}

/** A CCV order's `orderrows` is a link in the API; the runtime loads the rows, so a flow sees an array. */
function withChildren(connector: ConnectorDefinition, entity: EntityDefinition): JsonSchema {
  const read = entity.schemas.read;
  if (!entity.children) return read;
  const properties: Record<string, JsonSchema> = { ...(read.properties ?? {}) };
  for (const [field, child] of Object.entries(entity.children)) {
    const childSchema = connector.entities[child.entity]?.schemas.read ?? {};
    properties[field] = {
      type: 'array',
      description: `${child.entity} of this record, loaded by the runtime from ${child.path}`,
      items: childSchema,
    };
  }
  return { ...read, properties };
}
