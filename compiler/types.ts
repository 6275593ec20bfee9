import { itemsOf, jsonTypesOf, propertiesOf, deref, type SchemaNode } from './schema-node.js';

/**
 * Static types of `.map` expressions, derived from the connectors' JSON Schemas. `any` is used where nothing
 * is known (an unconstrained schema, a `null` setting): it is compatible with everything, so the checker only
 * reports what it knows to be wrong.
 */
export type Type =
  | { readonly kind: 'any' }
  | { readonly kind: 'string'; readonly enum?: readonly unknown[] }
  | { readonly kind: 'number'; readonly integer?: boolean }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'null' }
  | { readonly kind: 'array'; readonly element: Type }
  /** A record whose fields the schema tells; `owner` names it in messages (`ccvshop.orders`, `customer`). */
  | { readonly kind: 'record'; readonly owner: string; readonly schema: SchemaNode }
  /** An object whose fields are not known. */
  | { readonly kind: 'object' };

export const anyType: Type = { kind: 'any' };
export const stringType: Type = { kind: 'string' };
export const numberType: Type = { kind: 'number' };
export const booleanType: Type = { kind: 'boolean' };
export const nullType: Type = { kind: 'null' };

export function arrayOf(element: Type): Type {
  return { kind: 'array', element };
}

export function typeFromSchema(node: SchemaNode, owner: string): Type {
  const resolved = deref(node);
  const types = jsonTypesOf(resolved);
  if (types.size !== 1 && !(types.size === 2 && types.has('integer') && types.has('number'))) return anyType;
  const [only] = types;
  switch (only) {
    case 'string':
      return resolved.schema.enum ? { kind: 'string', enum: resolved.schema.enum } : stringType;
    case 'integer':
      return { kind: 'number', integer: !types.has('number') };
    case 'number':
      return numberType;
    case 'boolean':
      return booleanType;
    case 'array': {
      const items = itemsOf(resolved);
      return arrayOf(items ? typeFromSchema(items, owner) : anyType);
    }
    case 'object':
      return propertiesOf(resolved).size > 0 ? { kind: 'record', owner, schema: resolved } : { kind: 'object' };
    default:
      return anyType;
  }
}

/** How a type reads in a message: "a string", "a list of numbers", "a ccvshop.orders record". */
export function describeType(type: Type): string {
  switch (type.kind) {
    case 'any':
      return 'any value';
    case 'string':
      return 'a string';
    case 'number':
      return type.integer ? 'a whole number' : 'a number';
    case 'boolean':
      return 'true or false';
    case 'null':
      return 'null';
    case 'array':
      return type.element.kind === 'any' ? 'a list' : `a list of ${plural(type.element)}`;
    case 'record':
      return `a ${type.owner} record`;
    case 'object':
      return 'an object';
  }
}

function plural(type: Type): string {
  switch (type.kind) {
    case 'string':
      return 'strings';
    case 'number':
      return type.integer ? 'whole numbers' : 'numbers';
    case 'boolean':
      return 'booleans';
    case 'record':
      return `${type.owner} records`;
    case 'array':
      return 'lists';
    default:
      return 'values';
  }
}

/**
 * Whether a value of type `value` may be written where `target` is expected. Only a certain mismatch is
 * false: anything involving `any` passes, `null` passes everywhere (it clears the field).
 */
export function assignable(value: Type, target: Type): boolean {
  if (value.kind === 'any' || target.kind === 'any' || value.kind === 'null') return true;
  switch (target.kind) {
    case 'string':
      return value.kind === 'string';
    case 'number':
      return value.kind === 'number';
    case 'boolean':
      return value.kind === 'boolean';
    case 'array':
      return value.kind === 'array' && assignable(value.element, target.element);
    case 'record':
    case 'object':
      return value.kind === 'record' || value.kind === 'object';
    case 'null':
      return true;
  }
}

/** The common type of two branches (`if`/`??`): the same kind stays, otherwise nothing is known. */
export function unify(a: Type, b: Type): Type {
  if (a.kind === 'null') return b;
  if (b.kind === 'null') return a;
  if (a.kind === b.kind && a.kind !== 'array' && a.kind !== 'record') {
    if (a.kind === 'number' && b.kind === 'number') return a.integer && b.integer ? a : numberType;
    if (a.kind === 'string') return stringType;
    return a;
  }
  if (a.kind === 'array' && b.kind === 'array') return arrayOf(unify(a.element, b.element));
  return anyType;
}
