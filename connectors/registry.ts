import type { ConnectorDefinition, EntityDefinition } from './definition.js';
import { ccvshop } from './ccvshop/definition.js';
import { eaccounting } from './eaccounting/definition.js';

/** Every connector Mapline knows, keyed by the name `.map` files use (`ccvshop.orders`). Pure data. */
export const connectors: Readonly<Record<string, ConnectorDefinition>> = Object.freeze({
  [ccvshop.name]: ccvshop,
  [eaccounting.name]: eaccounting,
});

/** The entity `connector.entity`, or undefined when either name is unknown. */
export function getEntity(connector: string, entity: string): EntityDefinition | undefined {
  const definition = Object.hasOwn(connectors, connector) ? connectors[connector] : undefined;
  if (definition === undefined || !Object.hasOwn(definition.entities, entity)) return undefined;
  return definition.entities[entity];
}

/** The entity named `connector.entity`, as flows and plans name them; throws for an unknown name (a bug upstream). */
export function requireEntity(label: string): EntityDefinition {
  const dot = label.indexOf('.');
  const definition = dot > 0 ? getEntity(label.slice(0, dot), label.slice(dot + 1)) : undefined;
  if (!definition) throw new Error(`unknown entity ${label}`);
  return definition;
}
