import type { Expr } from '../../language/ast.js';
import type { Json } from '../artifact.js';
import { anyType, arrayOf, booleanType, nullType, numberType, stringType, unify, type Type } from '../types.js';

/** The value of a constant expression (settings and tables hold only constants), or undefined if it is not one. */
export function constantValue(expr: Expr): Json | undefined {
  switch (expr.kind) {
    case 'Number':
    case 'Bool':
      return expr.value;
    case 'Null':
      return null;
    case 'String':
      return expr.parts.every((p) => p.kind === 'Text') ? expr.parts.map((p) => (p.kind === 'Text' ? p.value : '')).join('') : undefined;
    case 'Array': {
      const values = expr.elements.map(constantValue);
      return values.every((v) => v !== undefined) ? (values as Json[]) : undefined;
    }
    case 'Unary':
      if (expr.op === '-') {
        const inner = constantValue(expr.operand);
        return typeof inner === 'number' ? -inner : undefined;
      }
      return undefined;
    case 'Paren':
      return constantValue(expr.expr);
    default:
      return undefined;
  }
}

/** The type a constant gives its setting: a config override must have the same type. */
export function typeOfConstant(value: Json): Type {
  if (value === null) return nullType;
  if (Array.isArray(value)) return arrayOf(value.map(typeOfConstant).reduce<Type | undefined>((t, e) => (t ? unify(t, e) : e), undefined) ?? anyType);
  switch (typeof value) {
    case 'string':
      return stringType;
    case 'number':
      return Number.isInteger(value) ? { kind: 'number', integer: true } : numberType;
    case 'boolean':
      return booleanType;
    default:
      return { kind: 'object' };
  }
}

/** A `null` setting can be overridden by anything: inside flows it reads as `any`. */
export function settingType(value: Json): Type {
  const type = typeOfConstant(value);
  if (type.kind === 'null') return anyType;
  if (type.kind === 'number') return numberType;
  return type;
}
