import type { Json } from '../artifact.js';
import type { Type } from '../types.js';

/**
 * A standard-library function, carrying its own documentation and runnable examples (like Bloblang's
 * built-ins): the language reference, the playground's completion and the tests all read this one registry.
 */
export interface Builtin {
  readonly name: string;
  readonly category: 'strings' | 'numbers' | 'dates' | 'lists' | 'values';
  readonly params: readonly Param[];
  /** How many of `params` may be left out at the end. */
  readonly optional?: number;
  /** The result type, given the argument types. */
  readonly returns: (args: readonly Type[]) => Type;
  /** Aggregates take many values: a path through an array is allowed in their arguments. */
  readonly aggregate?: boolean;
  readonly doc: string;
  readonly examples: readonly BuiltinExample[];
  /** The JSONata for a call, given the JSONata of its arguments. */
  readonly emit: (args: readonly string[]) => string;
}

export interface Param {
  readonly name: string;
  /** What the argument must be; `any` accepts everything. */
  readonly type: Type['kind'] | 'any';
}

export interface BuiltinExample {
  /** A `.map` expression calling the function. */
  readonly expr: string;
  /** What it evaluates to (`undefined` = absent). */
  readonly result: Json | undefined;
}

export function signature(builtin: Builtin): string {
  const required = builtin.params.length - (builtin.optional ?? 0);
  const params = builtin.params.map((p, i) => (i >= required ? `[${p.name}]` : p.name));
  return `${builtin.name}(${params.join(', ')})`;
}
