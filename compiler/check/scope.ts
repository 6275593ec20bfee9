import type { Range } from '../../language/range.js';
import type { Type } from '../types.js';
import { stdlibBindings } from '../stdlib/bindings.js';

/** What a bare name inside a flow can mean besides a source field. */
export type Binding =
  | {
      readonly kind: 'let';
      readonly variable: string;
      readonly type: Type;
      readonly sources: readonly string[];
      readonly effects: boolean;
      readonly range: Range;
      /** When the value is a plain source path (`let billing = customer.billingaddress`): that path. */
      readonly pathLineage: string | undefined;
    }
  /** An `each` element; `lineage` is the array's source path plus `[]`, e.g. `orderrows[]`. */
  | { readonly kind: 'item'; readonly variable: string; readonly type: Type; readonly lineage: string | undefined }
  | { readonly kind: 'index'; readonly variable: string }
  /** `target` inside `write back`: the record just written. */
  | { readonly kind: 'target'; readonly variable: string; readonly type: Type };

/** Lexical scopes: a flow, a rule block, an `each` body. Inner names hide outer ones. */
export class Scope {
  private readonly bindings = new Map<string, Binding>();

  constructor(private readonly parent?: Scope) {}

  child(): Scope {
    return new Scope(this);
  }

  define(name: string, binding: Binding): void {
    this.bindings.set(name, binding);
  }

  lookup(name: string): Binding | undefined {
    return this.bindings.get(name) ?? this.parent?.lookup(name);
  }

  /** Every visible name (for "did you mean"). */
  names(): string[] {
    return [...new Set([...this.bindings.keys(), ...(this.parent?.names() ?? [])])];
  }
}

/**
 * JSONata variable names for `.map` locals: `$billing` for `billing`, unless that would hide one of JSONata's
 * own functions or a binding the runtime provides, in which case it gets a `_` prefix.
 */
const reserved = new Set([
  ...Object.keys(stdlibBindings),
  'settings', 'tables', 'target', 'find', 'findOptional', 'upsert',
  'sum', 'count', 'max', 'min', 'average', 'string', 'substring', 'substringBefore', 'substringAfter', 'lowercase',
  'uppercase', 'length', 'trim', 'pad', 'contains', 'split', 'join', 'match', 'replace', 'eval', 'base64encode',
  'base64decode', 'encodeUrlComponent', 'encodeUrl', 'decodeUrlComponent', 'decodeUrl', 'number', 'abs', 'floor',
  'ceil', 'round', 'power', 'sqrt', 'random', 'formatNumber', 'formatBase', 'formatInteger', 'parseInteger',
  'boolean', 'not', 'exists', 'map', 'zip', 'filter', 'single', 'reduce', 'sift', 'keys', 'lookup', 'append',
  'spread', 'merge', 'reverse', 'each', 'error', 'assert', 'type', 'sort', 'shuffle', 'distinct', 'now', 'millis',
  'fromMillis', 'toMillis', 'clone',
]);

export function variableFor(name: string): string {
  return reserved.has(name) ? `_${name}` : name;
}
