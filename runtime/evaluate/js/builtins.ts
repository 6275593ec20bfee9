import jsonata from 'jsonata';
import { isFunction, jsonataError, type Sequence } from './values.js';

/**
 * JSONata's own built-in functions (`$substring`, `$exists`, ...), taken from JSONata itself, so the JavaScript
 * backend calls the very implementation and argument check the JSONata backend runs: their semantics cannot
 * drift apart. Only functions that answer synchronously are used; `$contains`, `$replace` and `$split` are
 * asynchronous in JSONata 2 (for regex and function arguments) and get a synchronous twin here for string
 * arguments, written after JSONata's code. Anything else is left to the JSONata backend.
 */
export interface NativeFunction {
  readonly _jsonata_function: true;
  readonly implementation: (this: Focus, ...args: unknown[]) => unknown;
  readonly signature?: Signature;
}

interface Signature {
  readonly definition: string;
  validate(args: unknown[], context: unknown): unknown[];
}

/** What JSONata passes a built-in as `this`. */
export interface Focus {
  readonly environment: { readonly timestamp: Date | null; readonly async: false; readonly isParallelCall: false };
  readonly input: unknown;
  readonly options: { readonly timeout: number; readonly stack: number; readonly sequence: number };
  readonly createSequence: (...items: unknown[]) => Sequence;
}

/** Built-ins whose JSONata implementation is synchronous and deterministic. */
const synchronous = new Set([
  'sum', 'count', 'max', 'min', 'average', 'string', 'substring', 'substringBefore', 'substringAfter', 'lowercase', 'uppercase',
  'length', 'trim', 'pad', 'join', 'formatNumber', 'formatBase', 'formatInteger', 'parseInteger', 'number', 'floor', 'ceil',
  'round', 'abs', 'sqrt', 'power', 'boolean', 'not', 'zip', 'keys', 'lookup', 'append', 'exists', 'spread', 'merge', 'reverse',
  'error', 'assert', 'type', 'distinct', 'base64encode', 'base64decode', 'encodeUrlComponent', 'encodeUrl',
  'decodeUrlComponent', 'decodeUrl', 'toMillis', 'fromMillis', 'clone',
]);

/** The asynchronous built-ins with a synchronous twin for string arguments. */
const twins: Readonly<Record<string, (this: Focus, ...args: unknown[]) => unknown>> = { contains, replace, split };

const loaded = new Map<string, Promise<NativeFunction | undefined>>();

/** JSONata's built-in `$name` (as JSONata binds it), or undefined when there is none. Loaded once per name. */
export function jsonataBuiltin(name: string): Promise<NativeFunction | undefined> {
  let entry = loaded.get(name);
  if (entry === undefined) {
    entry = /^[A-Za-z_][A-Za-z0-9_]*$/.test(name)
      ? jsonata(`$${name}`)
          .evaluate(undefined)
          .then(
            (value: unknown) => (isNative(value) ? value : undefined),
            () => undefined,
          )
      : Promise.resolve(undefined);
    loaded.set(name, entry);
  }
  return entry;
}

/** The implementation the JavaScript backend calls for a built-in, or undefined when it must leave it to JSONata. */
export function usableImplementation(name: string, builtin: NativeFunction): NativeFunction['implementation'] | undefined {
  if (name === 'substring') return substringOf(builtin.implementation);
  if (synchronous.has(name)) return builtin.implementation;
  return twins[name];
}

/** UTF-16 surrogates: a string without them has one code unit per character. */
const surrogate = /[\uD800-\uDFFF]/;

/**
 * `$substring` without JSONata's split of the text into characters when each character is one code unit (then
 * slicing the string is slicing the characters: `String.prototype.slice` and `Array.prototype.slice` take the
 * same arguments the same way); any other text goes to JSONata's implementation.
 */
function substringOf(jsonataSubstring: NativeFunction['implementation']): NativeFunction['implementation'] {
  return function substring(this: Focus, str: unknown, start: unknown, length: unknown): unknown {
    if (typeof str !== 'string' || typeof start !== 'number' || (length !== undefined && typeof length !== 'number') || surrogate.test(str)) {
      return jsonataSubstring.call(this, str, start, length);
    }
    const from = str.length + start < 0 ? 0 : start;
    if (length === undefined) return str.slice(from);
    if (length <= 0) return '';
    return str.slice(from, from >= 0 ? from + length : str.length + from + length);
  };
}

function isNative(value: unknown): value is NativeFunction {
  return value !== null && typeof value === 'object' && (value as { _jsonata_function?: unknown })._jsonata_function === true;
}

/** Argument patterns (per signature) that JSONata's check passed through unchanged: they need no check again. */
const passed = new WeakMap<Signature, Set<number>>();

/**
 * JSONata's argument check for a call (`validateArguments`), remembered per pattern of argument types: for a
 * signature without parameterised array or function types the check depends on nothing but those types (and the
 * context's, for `-` parameters), so a pattern that passed unchanged once passes unchanged again.
 */
export function checkedArguments(builtin: NativeFunction, args: unknown[], context: unknown): unknown[] {
  const signature = builtin.signature;
  if (signature === undefined) return args;
  const remembered = args.length < 15 && !/[af]</.test(signature.definition);
  let pattern = 0;
  if (remembered) {
    // One octal digit per argument (and the context), a leading 1 keeping the count: a number, not a string.
    pattern = 1;
    for (const arg of args) pattern = pattern * 8 + symbolOf(arg);
    if (signature.definition.includes('-')) pattern = pattern * 8 + symbolOf(context);
    if (passed.get(signature)?.has(pattern)) return args;
  }
  const checked = signature.validate(args, context);
  if (remembered && checked.length === args.length && checked.every((value, i) => value === args[i])) {
    let patterns = passed.get(signature);
    if (patterns === undefined) {
      patterns = new Set();
      passed.set(signature, patterns);
    }
    patterns.add(pattern);
  }
  return checked;
}

/** The type JSONata's signature check gives a value (`getSymbol`: f s n b l a o m), as a digit. */
function symbolOf(value: unknown): number {
  if (isFunction(value)) return 0;
  switch (typeof value) {
    case 'string':
      return 1;
    case 'number':
      return 2;
    case 'boolean':
      return 3;
    case 'object':
      return value === null ? 4 : Array.isArray(value) ? 5 : 6;
    default:
      return 7;
  }
}

/** Thrown where the JavaScript backend meets something it leaves to JSONata (the evaluator then runs JSONata). */
export class NotForJs extends Error {
  constructor(reason: string) {
    super(`the JavaScript backend does not evaluate this: ${reason}`);
    this.name = 'NotForJs';
  }
}

/** `fn.contains` for a string token. */
function contains(this: Focus, str: unknown, token: unknown): unknown {
  if (str === undefined || token === undefined) return undefined;
  if (typeof token !== 'string') throw new NotForJs('$contains with a pattern');
  return (str as string).indexOf(token) !== -1;
}

/** `fn.replace` for a string pattern and a string replacement. */
function replace(this: Focus, str: unknown, pattern: unknown, replacement: unknown, limit: unknown): unknown {
  if (str === undefined) return undefined;
  if (pattern === '') throw jsonataError('D3010', { value: pattern, index: 2 });
  if ((limit as number) < 0) throw jsonataError('D3011', { value: limit, index: 4 });
  if (typeof pattern !== 'string' || typeof replacement !== 'string') throw new NotForJs('$replace with a pattern or function');
  const text = str as string;
  if (!(limit === undefined || (limit as number) > 0)) return text;
  let result = '';
  let position = 0;
  let count = 0;
  let index = text.indexOf(pattern, position);
  while (index !== -1 && (limit === undefined || count < (limit as number))) {
    result += text.substring(position, index);
    result += replacement;
    position = index + pattern.length;
    count++;
    index = text.indexOf(pattern, position);
  }
  return result + text.substring(position);
}

/** `fn.split` for a string separator. */
function split(this: Focus, str: unknown, separator: unknown, limit: unknown): unknown {
  if (str === undefined) return undefined;
  if ((limit as number) < 0) throw jsonataError('D3020', { value: limit, index: 3 });
  if (!(limit === undefined || (limit as number) > 0)) return [];
  if (typeof separator !== 'string') throw new NotForJs('$split with a pattern');
  return (str as string).split(separator, limit as number | undefined);
}
