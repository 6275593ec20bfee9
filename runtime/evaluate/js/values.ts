/**
 * JSONata's value semantics, for the JavaScript backend: what its evaluator does with sequences, numbers,
 * comparisons and errors, written out once so compiled closures give exactly what `jsonata` gives. Each function
 * follows the JSONata 2.2 function of the same purpose (named in its comment); the differential test
 * (test/runtime/evaluate/backends.test.ts) holds the two to the same results.
 */

/** A JSONata sequence: an array flagged as one (results of paths, of `$map`, ...). */
export type Sequence = unknown[] & { sequence?: true; keepSingleton?: boolean; tupleStream?: boolean; cons?: boolean; outerWrapper?: boolean };

/** `isSequence` */
export function isSequence(value: unknown): value is Sequence {
  return Array.isArray(value) && (value as Sequence).sequence === true;
}

/** `isFunction`: a JSONata function or lambda, or a JavaScript function. */
export function isFunction(value: unknown): boolean {
  if (typeof value === 'function') return true;
  if (value === null || typeof value !== 'object') return false;
  const flags = value as { _jsonata_function?: unknown; _jsonata_lambda?: unknown };
  return flags._jsonata_function === true || flags._jsonata_lambda === true;
}

/** `isNumeric`: a number that is not NaN; an infinite one is an error (D1001). */
export function isNumeric(value: unknown): value is number {
  if (typeof value !== 'number' || Number.isNaN(value)) return false;
  if (!Number.isFinite(value)) throw jsonataError('D1001', { value });
  return true;
}

/** `isArrayOfNumbers` */
export function isArrayOfNumbers(value: unknown): boolean {
  // Every item is tested (JSONata filters, it does not stop at the first miss): an infinite one throws.
  return Array.isArray(value) && value.filter((item) => !isNumeric(item)).length === 0;
}

/**
 * The evaluation's `createSequence`, as JSONata makes it for the built-ins: a sequence whose `push` stops at
 * `limit` items (D2015). The backend's own code uses `newSequence`/`pushTo`, the same limit without a closure per
 * sequence.
 */
export function sequenceFactory(limit: number): (...items: unknown[]) => Sequence {
  return (...items: unknown[]): Sequence => {
    const sequence: Sequence = [];
    sequence.push = (...pushed: unknown[]): number => {
      if (sequence.length + pushed.length > limit) throw jsonataError('D2015', { value: limit });
      return Array.prototype.push.apply(sequence, pushed);
    };
    sequence.sequence = true;
    if (items.length === 1) sequence.push(items[0]);
    return sequence;
  };
}

/** An empty sequence (fill it with `pushTo`). */
export function newSequence(): Sequence {
  const sequence: Sequence = [];
  sequence.sequence = true;
  return sequence;
}

/** A sequence of one value, as `createSequence(value)` (even of `undefined`). */
export function sequenceOf(value: unknown): Sequence {
  const sequence = newSequence();
  sequence.push(value);
  return sequence;
}

/** `sequence.push(value)` on a JSONata sequence: no longer than `limit` (D2015). */
export function pushTo(sequence: unknown[], value: unknown, limit: number): void {
  if (sequence.length + 1 > limit) throw jsonataError('D2015', { value: limit });
  sequence.push(value);
}

/** What `evaluate` does with every node's result: a sequence of none is absent, of one is that one. */
export function finish(result: unknown, keepArray: boolean): unknown {
  if (!isSequence(result) || result.tupleStream) return result;
  if (keepArray) result.keepSingleton = true;
  if (result.length === 0) return undefined;
  if (result.length === 1) return result.keepSingleton ? result : result[0];
  return result;
}

/** `fn.lookup`: a field of an object, or of every object in an array (flattened one level). */
export function lookupField(input: unknown, key: string, limit: number): unknown {
  if (Array.isArray(input)) {
    const result = newSequence();
    for (const item of input) {
      const found = lookupField(item, key, limit);
      if (found === undefined) continue;
      if (Array.isArray(found)) for (const value of found) pushTo(result, value, limit);
      else pushTo(result, found, limit);
    }
    return result;
  }
  if (input === null || typeof input !== 'object') return undefined;
  // Read first: an absent field (the common miss) needs no own-property or function test.
  const found = (input as Record<string, unknown>)[key];
  if (found === undefined) return undefined;
  if ((typeof found === 'function' || key === '__proto__') && !Object.prototype.hasOwnProperty.call(input, key)) return undefined;
  return isFunction(input) ? undefined : found;
}

/** `evaluateNumericExpression` */
export function arithmetic(left: unknown, right: unknown, op: string): number | undefined {
  if (left !== undefined && !isNumeric(left)) throw jsonataError('T2001', { value: left });
  if (right !== undefined && !isNumeric(right)) throw jsonataError('T2002', { value: right });
  if (left === undefined || right === undefined) return undefined;
  switch (op) {
    case '+':
      return left + right;
    case '-':
      return left - right;
    case '*':
      return left * right;
    case '/':
      return left / right;
    default:
      return left % right;
  }
}

/** `isDeepEqual` */
export function deepEqual(left: unknown, right: unknown): boolean {
  if (left === right) return true;
  if (typeof left !== 'object' || typeof right !== 'object' || left === null || right === null) return false;
  if (Array.isArray(left) && Array.isArray(right)) {
    if (left.length !== right.length) return false;
    for (let i = 0; i < left.length; i++) if (!deepEqual(left[i], right[i])) return false;
    return true;
  }
  const leftKeys = Object.getOwnPropertyNames(left).sort();
  const rightKeys = Object.getOwnPropertyNames(right).sort();
  if (leftKeys.length !== rightKeys.length) return false;
  for (let i = 0; i < leftKeys.length; i++) if (leftKeys[i] !== rightKeys[i]) return false;
  for (const key of leftKeys) if (!deepEqual((left as Record<string, unknown>)[key], (right as Record<string, unknown>)[key])) return false;
  return true;
}

/** `evaluateEqualityExpression`: false when a side is absent. */
export function equality(left: unknown, right: unknown, op: '=' | '!='): boolean {
  if (left === undefined || right === undefined) return false;
  return op === '=' ? deepEqual(left, right) : !deepEqual(left, right);
}

/** `evaluateComparisonExpression`: strings with strings, numbers with numbers; absent when a side is absent. */
export function comparison(left: unknown, right: unknown, op: string): boolean | undefined {
  const leftType = typeof left;
  const rightType = typeof right;
  const comparable = (t: string): boolean => t === 'undefined' || t === 'string' || t === 'number';
  if (!comparable(leftType) || !comparable(rightType)) {
    throw jsonataError('T2010', { value: !(leftType === 'string' || leftType === 'number') ? left : right });
  }
  if (left === undefined || right === undefined) return undefined;
  if (leftType !== rightType) throw jsonataError('T2009', { value: left, value2: right });
  const a = left as string | number;
  const b = right as string | number;
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    default:
      return a >= b;
  }
}

/** `evaluateIncludesExpression` */
export function includes(left: unknown, right: unknown): boolean {
  if (left === undefined || right === undefined) return false;
  const list = Array.isArray(right) ? right : [right];
  for (const item of list) if (item === left) return true;
  return false;
}

/**
 * An error as JSONata throws it: a plain object with a code and the values its message names; `position` and
 * `token` are added where JSONata adds them, the message by `withMessage` once evaluation gave up.
 */
export interface JsonataError {
  code: string;
  position?: number;
  token?: string;
  value?: unknown;
  value2?: unknown;
  index?: number;
  message?: string;
  stack?: string;
}

export function jsonataError(code: string, fields: Omit<JsonataError, 'code'> = {}): JsonataError {
  return { code, ...fields };
}

/**
 * The message JSONata's `populateMessage` gives the codes this backend raises itself (the others keep theirs).
 * Only the strict `js` backend ever shows one: the default falls back to JSONata for a failing record, so a
 * merchant sees JSONata's own words.
 */
const messages: Readonly<Record<string, string>> = {
  T0410: 'Argument {{index}} of function {{token}} does not match function signature',
  T0411: 'Context value is not a compatible type with argument {{index}} of function {{token}}',
  T0412: 'Argument {{index}} of function {{token}} must be an array of {{type}}',
  D1001: 'Number out of range: {{value}}',
  D1002: 'Cannot negate a non-numeric value: {{value}}',
  T1003: 'Key in object structure must evaluate to a string; got: {{value}}',
  T1006: 'Attempted to invoke a non-function',
  D1009: 'Multiple key definitions evaluate to same key: {{value}}',
  D1012: 'Evaluation timeout after {{value}} milliseconds. Check for infinite loop',
  D1013: 'Object property names starting with _jsonata_ are reserved for internal use: {{value}}',
  T2001: 'The left side of the {{token}} operator must evaluate to a number',
  T2002: 'The right side of the {{token}} operator must evaluate to a number',
  T2009: 'The values {{value}} and {{value2}} either side of operator {{token}} must be of the same data type',
  T2010: 'The expressions either side of operator {{token}} must evaluate to numeric or string values',
  D2015: 'The maximum sequence length of {{value}} was exceeded.',
  D3001: 'Attempting to invoke string function on Infinity or NaN',
  D3010: 'Second argument of replace function cannot be an empty string',
  D3011: 'Fourth argument of replace function must evaluate to a positive number',
  D3020: 'Third argument of split function must evaluate to a positive number',
  D3030: 'Unable to cast value to a number: {{value}}',
  D3137: '{{{message}}}',
};

/** `populateMessage` */
export function withMessage<T>(error: T): T {
  if (error === null || typeof error !== 'object') return error;
  const fields = error as unknown as Record<string, unknown>;
  const template = typeof fields.code === 'string' ? messages[fields.code] : undefined;
  if (template === undefined) return error;
  fields.message = template
    .replace(/\{\{\{([^}]+)}}}/g, (_, name: string) => String(fields[name]))
    .replace(/\{\{([^}]+)}}/g, (_, name: string) => JSON.stringify(fields[name]));
  return error;
}
