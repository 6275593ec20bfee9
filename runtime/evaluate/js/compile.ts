import { jsonataBuiltin, NotForJs, checkedArguments, usableImplementation, type Focus, type NativeFunction } from './builtins.js';
import {
  arithmetic,
  comparison,
  equality,
  finish,
  includes,
  isArrayOfNumbers,
  isFunction,
  isNumeric,
  isSequence,
  jsonataError,
  lookupField,
  newSequence,
  pushTo,
  sequenceOf,
  type Sequence,
} from './values.js';
import type { LookupFunction } from '../lookups.js';

/**
 * The JavaScript backend's compiler: turns a fragment's JSONata, as parsed by JSONata itself (`expression.ast()`),
 * into plain synchronous closures, node by node with the meaning JSONata's evaluator gives that node (see
 * `values.ts`). No source text is generated or evaluated: closures over the parsed tree only, so nothing a
 * `.map` file says can become code, and the playground runs it under any content security policy.
 *
 * It covers what the emitter produces (paths, operators, conditions, blocks with `:=`, object and array
 * constructors, calls of JSONata built-ins, of the standard library and of the lookup functions, `$map` with a
 * lambda) and refuses the rest with `NotForJs`, at compile time or, for what only the data shows, at run time:
 * the evaluator then uses JSONata for that fragment or that evaluation. Differences in what JSONata does in
 * parallel (object values and array items are evaluated concurrently there) are kept out: at most one `$upsert`
 * per fragment, and a failing evaluation is redone by JSONata in the default mode.
 */

/** The parsed JSONata node, as `jsonata().ast()` gives it (the fields this compiler reads). */
export interface AstNode {
  readonly type: string;
  readonly value?: unknown;
  readonly position?: number;
  readonly steps?: readonly AstNode[];
  readonly stages?: readonly AstNode[];
  readonly predicate?: readonly AstNode[];
  readonly expressions?: readonly AstNode[];
  readonly arguments?: readonly AstNode[];
  readonly procedure?: AstNode;
  readonly expression?: AstNode;
  readonly condition?: AstNode;
  readonly then?: AstNode;
  readonly else?: AstNode;
  readonly body?: AstNode;
  readonly expr?: AstNode;
  readonly lhs?: AstNode | readonly (readonly [AstNode, AstNode])[];
  readonly rhs?: AstNode;
  readonly signature?: unknown;
  readonly thunk?: boolean;
  readonly keepArray?: boolean;
  readonly consarray?: boolean;
  readonly keepSingletonArray?: boolean;
  readonly tuple?: boolean;
  readonly focus?: unknown;
  readonly index?: unknown;
  readonly ancestor?: unknown;
  readonly group?: unknown;
  readonly seekingParent?: unknown;
}

/** One evaluation's state, shared by every closure of the program. */
export interface Run {
  /** The input record (`$$`). */
  readonly root: unknown;
  /** Values of `:=` variables and lambda parameters, by slot. */
  readonly locals: unknown[];
  /** Variables bound for this evaluation only (`$target`); they hide the evaluator's bindings of the same name. */
  readonly extra: Readonly<Record<string, unknown>> | undefined;
  /** `this` for JSONata built-ins; its `createSequence` is the evaluation's (limited) one. */
  readonly focus: Focus;
  /** The longest sequence an evaluation may build (D2015). */
  readonly limit: number;
  /** Wall-clock instant (ms) after which the evaluation is stopped (D1012). */
  readonly deadline: number;
  readonly timeoutMs: number;
  /** `$find`, `$findOptional`, `$upsert`. */
  lookup(name: LookupFunction, args: unknown[], position: number | undefined): unknown;
}

type Code = (input: unknown, run: Run) => unknown;

export interface Program {
  readonly code: Code;
  /** Whether it calls `$now()`/`$millis()` (then each evaluation gets its own timestamp, as in JSONata). */
  readonly usesTime: boolean;
}

/** What a fragment is compiled against: the evaluator's bindings (fixed for its life). */
export interface CompileEnvironment {
  /** Variables bound for every evaluation (standard library, `$settings`, `$tables`). */
  readonly bindings: Readonly<Record<string, unknown>>;
  /** Names bound to the lookup functions (they hide `bindings` of the same name). */
  readonly lookups: ReadonlySet<string>;
}

/** The deepest tree compiled: JSONata stops at 500 nested evaluations (D1011); well below that, no run can. */
const MAX_DEPTH = 300;

/** Compiles a parsed fragment, or throws `NotForJs` naming what it leaves to JSONata. */
export async function compileProgram(ast: AstNode, environment: CompileEnvironment): Promise<Program> {
  if (depthOf(ast) > MAX_DEPTH) throw new NotForJs('an expression nested this deeply');
  const builtins = new Map<string, NativeFunction>();
  for (const name of new Set(['string', 'boolean', 'append', 'map', 'now', 'millis', 'fromMillis', ...variableNames(ast)])) {
    const builtin = await jsonataBuiltin(name);
    if (builtin) builtins.set(name, builtin);
  }
  const compiler = new Compiler(environment, builtins);
  const code = compiler.expr(ast, new Scope(undefined));
  if (compiler.upserts.size > 1) throw new NotForJs('more than one $upsert in one fragment (JSONata may run them in either order)');
  return { code, usesTime: compiler.usesTime };
}

class Scope {
  private readonly slots = new Map<string, number>();
  constructor(readonly parent: Scope | undefined) {}

  find(name: string): number | undefined {
    return this.slots.get(name) ?? this.parent?.find(name);
  }

  bind(name: string, slot: number): void {
    this.slots.set(name, slot);
  }
}

const hasOwn = (value: object, key: string): boolean => Object.prototype.hasOwnProperty.call(value, key);

/**
 * Whether `object[name]`, read as `found` (not undefined), is a field JSONata's `lookup` sees: an own property of
 * an object that is no function. Inherited properties are Object.prototype's (functions, and `__proto__`), so a
 * value of any other kind needs no own-property test.
 */
function isOwnField(object: object, name: string, found: unknown): boolean {
  if ((typeof found === 'function' || name === '__proto__') && !hasOwn(object, name)) return false;
  return !isFunction(object);
}

function isSignal(error: unknown): boolean {
  return error instanceof NotForJs || error instanceof Suspend;
}

/** Thrown (and caught by the runner) when a lookup must wait for I/O: awaited, then the evaluation is replayed. */
export class Suspend {
  constructor(readonly pending: Promise<void>) {}
}

/**
 * What JSONata adds to an error on its way out of a node: the node's position and token, either replacing what
 * the error has (`replace`) or only where it has none (`fill`), as the JSONata function of that node does.
 */
function placeError(error: unknown, position: number | undefined, positionMode: 'replace' | 'fill', token: string, tokenMode: 'replace' | 'fill'): void {
  if (error === null || typeof error !== 'object' || isSignal(error)) return;
  const fields = error as { position?: number; token?: string };
  if (positionMode === 'replace' ? position !== undefined : !fields.position) fields.position = position;
  if (tokenMode === 'replace' || !fields.token) fields.token = token;
}

class Compiler {
  private slotCount = 0;
  readonly upserts = new Set<AstNode>();
  usesTime = false;
  private readonly cache = new Map<AstNode, { scope: Scope; code: Code }>();
  private readonly stringOf: (value: unknown) => unknown;
  private readonly booleanOf: (value: unknown) => unknown;
  private readonly append: NativeFunction['implementation'];

  constructor(
    private readonly environment: CompileEnvironment,
    private readonly builtins: ReadonlyMap<string, NativeFunction>,
  ) {
    this.stringOf = this.builtin('string').implementation as (value: unknown) => unknown;
    this.booleanOf = this.builtin('boolean').implementation as (value: unknown) => unknown;
    this.append = this.builtin('append').implementation;
  }

  private builtin(name: string): NativeFunction {
    const found = this.builtins.get(name);
    if (!found) throw new NotForJs(`JSONata has no $${name}`);
    return found;
  }

  /** A node with everything `evaluate` does around it: its predicates, then the sequence rule. */
  expr(node: AstNode, scope: Scope): Code {
    const cached = this.cache.get(node);
    if (cached && cached.scope === scope) return cached.code;
    if (node.group !== undefined && node.type !== 'path') throw new NotForJs('grouping');
    if (node.seekingParent !== undefined || node.ancestor !== undefined || node.tuple) throw new NotForJs('parent or tuple references');
    let code = this.core(node, scope);
    if (node.predicate && node.predicate.length > 0) code = this.filtered(code, node.predicate, scope);
    if (node.keepArray || node.predicate || sequenceKinds.has(node.type)) {
      const inner = code;
      const keepArray = node.keepArray === true;
      code = (input, run) => finish(inner(input, run), keepArray);
    }
    this.cache.set(node, { scope, code });
    return code;
  }

  private core(node: AstNode, scope: Scope): Code {
    switch (node.type) {
      case 'string':
      case 'number':
      case 'value': {
        const value = node.value;
        return () => value;
      }
      case 'variable':
        return this.variable(String(node.value), scope);
      case 'name': {
        const name = String(node.value);
        return (input, run) => lookupField(input, name, run.limit);
      }
      case 'path':
        return this.path(node, scope);
      case 'binary':
        return this.binary(node, scope);
      case 'unary':
        return this.unary(node, scope);
      case 'condition':
        return this.conditional(node, scope);
      case 'block':
        return this.block(node, scope);
      case 'function':
        return this.call(node, scope);
      default:
        throw new NotForJs(`a JSONata ${node.type} expression`);
    }
  }

  private variable(name: string, scope: Scope): Code {
    if (name === '') return (input) => (isSequence(input) && input.outerWrapper ? input[0] : input);
    if (name === '$') return (_, run) => run.root;
    const slot = scope.find(name);
    if (slot !== undefined) return (_, run) => run.locals[slot];
    if (this.environment.lookups.has(name)) throw new NotForJs(`$${name} used as a value`);
    let value: unknown;
    if (hasOwn(this.environment.bindings, name)) value = this.environment.bindings[name];
    else if (name === 'now' || name === 'millis') throw new NotForJs(`$${name} used as a value`);
    else value = this.builtins.get(name);
    return (_, run) => (run.extra !== undefined && hasOwn(run.extra, name) ? run.extra[name] : value);
  }

  /** `evaluatePath`, with a direct route for the common `$var.a.b` / `(expr).a` over plain objects. */
  private path(node: AstNode, scope: Scope): Code {
    const steps = node.steps ?? [];
    if (node.keepSingletonArray || node.group !== undefined || node.tuple || steps.length === 0) throw new NotForJs('this path form');
    const codes = steps.map((step) => {
      if (step.tuple || step.focus !== undefined || step.index !== undefined || step.ancestor !== undefined || step.type === 'sort') {
        throw new NotForJs('path steps binding positions or ancestors');
      }
      const stages = (step.stages ?? []).map((stage) => {
        if (stage.type !== 'filter' || !stage.expr) throw new NotForJs(`a ${stage.type} stage`);
        return this.filter(stage.expr, scope);
      });
      if (step.consarray && stages.length > 0) throw new NotForJs('a filtered list constructor as a first step');
      return { code: this.expr(step, scope), stages, consarray: step.consarray === true };
    });
    const firstIsVariable = steps[0]!.type === 'variable';
    const last = codes.length - 1;

    const runStep = (index: number, input: Sequence, run: Run): unknown[] => {
      const { code, stages } = codes[index]!;
      const results = newSequence();
      for (let i = 0; i < input.length; i++) {
        let result = code(input[i], run);
        for (const stage of stages) result = stage(result, run);
        if (result !== undefined) pushTo(results, result, run.limit);
      }
      return collect(results, index === last, run);
    };
    const from = (index: number, input: Sequence, run: Run): unknown => {
      let results: unknown = input;
      for (let i = index; i <= last; i++) {
        results = runStep(i, input, run);
        if ((results as unknown[]).length === 0) break;
        input = results as Sequence;
      }
      return results;
    };
    const generic: Code = (input, run) => {
      let sequence: Sequence = Array.isArray(input) && !firstIsVariable ? (input as Sequence) : sequenceOf(input);
      if (!codes[0]!.consarray) return from(0, sequence, run);
      const first = codes[0]!.code(sequence, run);
      if (first === undefined || (first as unknown[]).length === 0) return first;
      sequence = first as Sequence;
      return last === 0 ? first : from(1, sequence, run);
    };

    // The direct route: one plain object at a time through name steps, as long as no array or odd value turns
    // up; at the first that does, the general route takes over from that step with the same state.
    const names = steps.slice(1).map((step) => (isPlainName(step) ? String(step.value) : undefined));
    if (steps.length < 2 || codes[0]!.consarray || codes[0]!.stages.length > 0 || names.some((n) => n === undefined)) return generic;
    const first = codes[0]!.code;
    const fieldNames = names as string[];
    return (input, run) => {
      if (!firstIsVariable && Array.isArray(input)) return generic(input, run);
      let value = first(input, run);
      if (value === undefined) return undefined;
      if (Array.isArray(value)) return from(1, collect([value], false, run) as Sequence, run);
      for (let i = 0; i < fieldNames.length; i++) {
        if (value === null || typeof value !== 'object') return undefined;
        const object = value as Record<string, unknown>;
        const name = fieldNames[i]!;
        // Read first, check after: an absent field needs no own-property or function test (both say absent too).
        const next = object[name];
        if (next === undefined || !isOwnField(object, name, next)) return undefined;
        if (Array.isArray(next)) return from(i + 1, sequenceOf(object), run);
        value = next;
      }
      return value;
    };
  }

  /** `evaluateFilter`: a predicate `[...]` over a value (an index, a list of indexes, or a condition per item). */
  private filter(predicate: AstNode, scope: Scope): (input: unknown, run: Run) => unknown {
    if (predicate.type === 'number') {
      const literal = Math.floor(predicate.value as number);
      return (input) => {
        const list = Array.isArray(input) ? input : sequenceOf(input);
        const results = newSequence();
        const index = literal < 0 ? list.length + literal : literal;
        const item: unknown = list[index];
        if (item === undefined) return results;
        if (Array.isArray(item)) return item;
        results.push(item);
        return results;
      };
    }
    const test = this.expr(predicate, scope);
    const booleanOf = this.booleanOf;
    return (input, run) => {
      if (input !== null && typeof input === 'object' && (input as Sequence).tupleStream) throw new NotForJs('a tuple stream');
      const list = Array.isArray(input) ? input : sequenceOf(input);
      const results = newSequence();
      for (let index = 0; index < list.length; index++) {
        const item: unknown = list[index];
        let result = test(item, run);
        if (isNumeric(result)) result = [result];
        if (isArrayOfNumbers(result)) {
          for (const wanted of result as number[]) {
            let at = Math.floor(wanted);
            if (at < 0) at = list.length + at;
            if (at === index) pushTo(results, item, run.limit);
          }
        } else if (booleanOf(result)) pushTo(results, item, run.limit);
      }
      return results;
    };
  }

  private filtered(code: Code, predicates: readonly AstNode[], scope: Scope): Code {
    const filters = predicates.map((p) => {
      if (p.type !== 'filter' || !p.expr) throw new NotForJs(`a ${p.type} predicate`);
      return this.filter(p.expr, scope);
    });
    return (input, run) => {
      let result = code(input, run);
      for (const filter of filters) result = filter(result, run);
      return result;
    };
  }

  private binary(node: AstNode, scope: Scope): Code {
    const op = String(node.value);
    const left = this.expr(node.lhs as AstNode, scope);
    const right = this.expr(node.rhs!, scope);
    const position = node.position;
    if (op === 'and' || op === 'or') {
      const booleanOf = this.booleanOf;
      const truth = (value: unknown): boolean => (booleanOf(value) as boolean | undefined) ?? false;
      return (input, run) => {
        const l = left(input, run);
        try {
          const lb = truth(l);
          return op === 'and' ? lb && truth(right(input, run)) : lb || truth(right(input, run));
        } catch (error) {
          placeError(error, position, 'replace', op, 'replace');
          throw error;
        }
      };
    }
    let apply: (l: unknown, r: unknown) => unknown;
    switch (op) {
      case '+':
      case '-':
      case '*':
      case '/':
      case '%':
        apply = (l, r) => arithmetic(l, r, op);
        break;
      case '=':
      case '!=':
        apply = (l, r) => equality(l, r, op);
        break;
      case '<':
      case '<=':
      case '>':
      case '>=':
        apply = (l, r) => comparison(l, r, op);
        break;
      case '&': {
        const stringOf = this.stringOf;
        apply = (l, r) => `${l === undefined ? '' : (stringOf(l) as string)}${r === undefined ? '' : (stringOf(r) as string)}`;
        break;
      }
      case 'in':
        apply = includes;
        break;
      default:
        throw new NotForJs(`the ${op} operator`);
    }
    return (input, run) => {
      const l = left(input, run);
      const r = right(input, run);
      try {
        return apply(l, r);
      } catch (error) {
        placeError(error, position, 'replace', op, 'replace');
        throw error;
      }
    };
  }

  private unary(node: AstNode, scope: Scope): Code {
    switch (node.value) {
      case '-': {
        const operand = this.expr(node.expression!, scope);
        const position = node.position;
        return (input, run) => {
          const value = operand(input, run);
          if (value === undefined) return undefined;
          if (isNumeric(value)) return -value;
          throw jsonataError('D1002', { position, token: '-', value });
        };
      }
      case '[':
        return this.arrayConstructor(node, scope);
      case '{':
        return this.objectConstructor(node, scope);
      default:
        throw new NotForJs(`the unary ${String(node.value)}`);
    }
  }

  /** `[a, b]`: each item appended (a list item's values spliced in), a nested `[...]` kept as one item. */
  private arrayConstructor(node: AstNode, scope: Scope): Code {
    const items = (node.expressions ?? []).map((item) => ({ code: this.expr(item, scope), nested: item.value === '[' }));
    const consarray = node.consarray === true;
    const append = this.append;
    return (input, run) => {
      let result: unknown[] = [];
      for (const item of items) {
        const value = item.code(input, run);
        if (value === undefined) continue;
        if (item.nested) result.push(value);
        else result = append.call(run.focus, result, value) as unknown[];
      }
      if (consarray) Object.defineProperty(result, 'cons', { enumerable: false, configurable: false, value: true });
      return result;
    };
  }

  /** `{ "k": v }` (`evaluateGroupExpression` without grouping when the keys are distinct literals and the input one value). */
  private objectConstructor(node: AstNode, scope: Scope): Code {
    const pairs = (node.lhs ?? []) as readonly (readonly [AstNode, AstNode])[];
    const keys = pairs.map(([key]) => this.expr(key, scope));
    const values = pairs.map(([, value]) => this.expr(value, scope));
    const position = node.position;
    const append = this.append;

    const general: Code = (input, run) => {
      if (input !== null && typeof input === 'object' && (input as Sequence).tupleStream) throw new NotForJs('a tuple stream');
      const items: unknown[] = Array.isArray(input) ? (input.length === 0 ? [undefined] : input) : [input];
      const groups: Record<string, { data: unknown; exprIndex: number }> = Object.create(null) as Record<string, { data: unknown; exprIndex: number }>;
      for (const item of items) {
        for (let pairIndex = 0; pairIndex < keys.length; pairIndex++) {
          const key = keys[pairIndex]!(item, run);
          if (typeof key !== 'string' && key !== undefined) throw jsonataError('T1003', { position, value: key });
          if (key === undefined) continue;
          if (key === '_jsonata_lambda' || key === '_jsonata_function') throw jsonataError('D1013', { position, value: key });
          const group = groups[key];
          if (group) {
            if (group.exprIndex !== pairIndex) throw jsonataError('D1009', { position, value: key });
            group.data = append.call(run.focus, group.data, item);
          } else groups[key] = { data: item, exprIndex: pairIndex };
        }
      }
      const result: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
      for (const key of Object.keys(groups)) {
        const group = groups[key]!;
        const value = values[group.exprIndex]!(group.data, run);
        if (value !== undefined) result[key] = value;
      }
      return result;
    };

    const literalKeys = pairs.map(([key]) => (key.type === 'string' && !key.predicate && !key.keepArray ? String(key.value) : undefined));
    const distinct = new Set(literalKeys);
    const special = (k: string | undefined): boolean => k === undefined || k === '_jsonata_lambda' || k === '_jsonata_function' || k === '__proto__';
    if (literalKeys.some(special) || distinct.size !== pairs.length) return general;
    // JSONata fills the object in its key order (integer-like keys first), so the closures run in that order too.
    const order = Object.keys(Object.fromEntries(literalKeys.map((k, i) => [k, i]))).map((k) => literalKeys.indexOf(k));
    return (input, run) => {
      if (Array.isArray(input)) return general(input, run);
      if (input !== null && typeof input === 'object' && (input as Sequence).tupleStream) throw new NotForJs('a tuple stream');
      // A plain object where JSONata makes one without a prototype: nothing tells them apart (fields are read as
      // own properties, `__proto__` keys take the general route), and V8 builds it much faster.
      const result: Record<string, unknown> = {};
      for (const index of order) {
        const value = values[index]!(input, run);
        if (value !== undefined) result[literalKeys[index]!] = value;
      }
      return result;
    };
  }

  private conditional(node: AstNode, scope: Scope): Code {
    const condition = this.expr(node.condition!, scope);
    const then = this.expr(node.then!, scope);
    const otherwise = node.else ? this.expr(node.else, scope) : undefined;
    const booleanOf = this.booleanOf;
    return (input, run) => {
      if (booleanOf(condition(input, run))) return then(input, run);
      return otherwise?.(input, run);
    };
  }

  /** `( a; $x := b; c )`: in order, the last one's value; a `:=` binds for what follows in the block. */
  private block(node: AstNode, scope: Scope): Code {
    const inner = new Scope(scope);
    const codes: Code[] = [];
    for (const expression of node.expressions ?? []) {
      if (expression.type === 'bind') {
        const target = expression.lhs as AstNode;
        if (target.type !== 'variable' || expression.predicate || expression.keepArray) throw new NotForJs('this := form');
        const value = this.expr(expression.rhs!, inner);
        const slot = this.slotCount++;
        inner.bind(String(target.value), slot);
        codes.push((input, run) => {
          const result = finish(value(input, run), false);
          run.locals[slot] = result;
          return result;
        });
      } else codes.push(this.expr(expression, inner));
    }
    return (input, run) => {
      let result: unknown;
      for (const code of codes) result = code(input, run);
      return result;
    };
  }

  /** `$name(args)`: a lookup, a standard-library function, `$now`/`$millis`, `$map` with a lambda, or a JSONata built-in. */
  private call(node: AstNode, scope: Scope): Code {
    const procedure = node.procedure;
    if (!procedure || procedure.type !== 'variable' || procedure.predicate || procedure.keepArray) throw new NotForJs('calling a computed function');
    const name = String(procedure.value);
    const argNodes = node.arguments ?? [];
    const position = node.position;
    if (scope.find(name) !== undefined) throw new NotForJs(`calling the variable $${name}`);
    if (name === 'map' && !hasOwn(this.environment.bindings, name) && !this.environment.lookups.has(name)) return this.map(node, scope);
    if (name === 'eachOf' && typeof this.environment.bindings[name] === 'function' && hasOwn(this.environment.bindings, name)) return this.eachOf(node, scope);
    const args = argNodes.map((arg) => this.expr(arg, scope));
    const evaluateArgs = (input: unknown, run: Run): unknown[] => {
      if (run.extra !== undefined && hasOwn(run.extra, name)) throw new NotForJs(`$${name} bound for one evaluation`);
      const values = new Array<unknown>(args.length);
      for (let i = 0; i < args.length; i++) {
        const value = args[i]!(input, run);
        if (isFunction(value)) throw new NotForJs('a function passed as an argument');
        values[i] = value;
      }
      return values;
    };

    if (this.environment.lookups.has(name)) {
      if (name === 'upsert') this.upserts.add(node);
      const lookupName = name as LookupFunction;
      return (input, run) => {
        const values = evaluateArgs(input, run);
        try {
          return run.lookup(lookupName, values, position);
        } catch (error) {
          placeError(error, position, 'fill', name, 'fill');
          throw error;
        }
      };
    }
    if (hasOwn(this.environment.bindings, name)) {
      const bound = this.environment.bindings[name];
      if (typeof bound !== 'function') throw new NotForJs(`calling $${name}, which is not a JavaScript function`);
      const fn = bound as (...values: unknown[]) => unknown;
      return (input, run) => {
        const values = evaluateArgs(input, run);
        let result: unknown;
        try {
          result = fn.apply(input, values);
        } catch (error) {
          placeError(error, position, 'fill', name, 'fill');
          throw error;
        }
        if (isPromiseLike(result)) throw new NotForJs(`$${name} answers asynchronously`);
        return result;
      };
    }
    if (name === 'now' || name === 'millis') return this.time(name, node, evaluateArgs);
    const builtin = this.builtins.get(name);
    const implementation = builtin ? usableImplementation(name, builtin) : undefined;
    if (!builtin || !implementation) throw new NotForJs(`$${name}`);
    return (input, run) => {
      const values = evaluateArgs(input, run);
      try {
        return implementation.apply(run.focus, checkedArguments(builtin, values, input));
      } catch (error) {
        placeError(error, position, 'replace', name, 'fill');
        throw error;
      }
    };
  }

  /** `$now()` and `$millis()`: the evaluation's timestamp, fixed for the whole evaluation as in JSONata. */
  private time(name: 'now' | 'millis', node: AstNode, evaluateArgs: (input: unknown, run: Run) => unknown[]): Code {
    this.usesTime = true;
    const builtin = this.builtin(name);
    const fromMillis = this.builtin('fromMillis').implementation;
    const position = node.position;
    return (input, run) => {
      const values = evaluateArgs(input, run);
      const timestamp = run.focus.environment.timestamp!;
      try {
        const [picture, timezone] = checkedArguments(builtin, values, input);
        return name === 'millis' ? timestamp.getTime() : fromMillis.call(run.focus, timestamp.getTime(), picture, timezone);
      } catch (error) {
        placeError(error, position, 'replace', name, 'fill');
        throw error;
      }
    };
  }

  /** An inline `function($a, $b) { ... }` argument: its parameters' slots and its body, compiled in place. */
  private inlineLambda(lambda: AstNode | undefined, what: string, scope: Scope): { params: number[]; body: Code } {
    if (!lambda || lambda.type !== 'lambda' || lambda.signature !== undefined || lambda.thunk) throw new NotForJs(`${what} without an inline lambda`);
    if (lambda.predicate || lambda.keepArray || lambda.body?.type === 'lambda') throw new NotForJs('this lambda form');
    const inner = new Scope(scope);
    const params = (lambda.arguments ?? []).map((param) => {
      if (param.type !== 'variable') throw new NotForJs('a lambda parameter that is not a variable');
      const slot = this.slotCount++;
      inner.bind(String(param.value), slot);
      return slot;
    });
    return { params, body: this.expr(lambda.body!, inner) };
  }

  /**
   * `$eachOf(list, function($x, $i) { ... })` (the standard library's `each`), with the lambda inlined: the body
   * for each item of the list (absent is none, one value is one item) with the item and its index, the values it
   * gives (not absent ones) in a plain array. An error inside keeps its own position, as there.
   */
  private eachOf(node: AstNode, scope: Scope): Code {
    const [listNode, lambda] = node.arguments ?? [];
    if (!listNode || (node.arguments ?? []).length !== 2) throw new NotForJs('$eachOf without a list and an inline lambda');
    const list = this.expr(listNode, scope);
    const { params, body } = this.inlineLambda(lambda, '$eachOf', scope);
    const arity = params.length;
    const position = node.position;
    return (input, run) => {
      if (run.extra !== undefined && hasOwn(run.extra, 'eachOf')) throw new NotForJs('$eachOf bound for one evaluation');
      const listValue = list(input, run);
      if (isFunction(listValue)) throw new NotForJs('a function passed as an argument');
      const items = listValue === undefined ? [] : Array.isArray(listValue) ? listValue : [listValue];
      const out: unknown[] = [];
      try {
        for (let i = 0; i < items.length; i++) {
          if (Date.now() > run.deadline) throw jsonataError('D1012', { value: run.timeoutMs });
          for (let p = 0; p < arity; p++) run.locals[params[p]!] = p === 0 ? items[i] : p === 1 ? i : undefined;
          const value = body(input, run);
          if (value !== undefined) out.push(value);
        }
      } catch (error) {
        placeError(error, position, 'fill', 'eachOf', 'fill');
        throw error;
      }
      return out;
    };
  }

  /** `$map(list, function($v, $i) { ... })`: JSONata's `fn.map` with the lambda inlined. */
  private map(node: AstNode, scope: Scope): Code {
    const [listNode, lambda] = node.arguments ?? [];
    if (!listNode || (node.arguments ?? []).length !== 2) throw new NotForJs('$map without an inline lambda');
    const mapBuiltin = this.builtin('map');
    const list = this.expr(listNode, scope);
    const { params, body } = this.inlineLambda(lambda, '$map', scope);
    const arity = params.length;
    // Stands for the lambda in the argument check (its type letter is `f`).
    const lambdaStandIn = Object.assign(() => undefined, { arity });
    const position = node.position;
    return (input, run) => {
      if (run.extra !== undefined && hasOwn(run.extra, 'map')) throw new NotForJs('$map bound for one evaluation');
      const listValue = list(input, run);
      try {
        const [items] = checkedArguments(mapBuiltin, [listValue, lambdaStandIn], input) as [unknown[] | undefined];
        if (items === undefined) return undefined;
        const results = newSequence();
        for (let i = 0; i < items.length; i++) {
          if (Date.now() > run.deadline) throw jsonataError('D1012', { value: run.timeoutMs });
          // `hofFuncArgs`: the value, then the index and the list for a lambda that takes them.
          for (let p = 0; p < arity; p++) run.locals[params[p]!] = p === 0 ? items[i] : p === 1 ? i : p === 2 ? items : undefined;
          const result = body(input, run);
          if (result !== undefined) pushTo(results, result, run.limit);
        }
        return results;
      } catch (error) {
        placeError(error, position, 'replace', 'map', 'fill');
        throw error;
      }
    };
  }
}

/**
 * Node kinds whose value can be a sequence not yet through `evaluate`'s sequence rule. The others give a value
 * some `evaluate` already passed (a variable holds one, a condition or block gives a branch's), on which the rule
 * changes nothing unless the node itself says `[]` (`keepArray`).
 */
const sequenceKinds = new Set(['path', 'name', 'function']);

function isPlainName(step: AstNode): boolean {
  return step.type === 'name' && !step.stages?.length && !step.predicate?.length && !step.keepArray && step.group === undefined && !step.tuple;
}

/** The end of `evaluateStep`: the last step's single array is the result itself; otherwise one level is flattened. */
function collect(results: unknown[], lastStep: boolean, run: Run): unknown[] {
  if (lastStep && results.length === 1 && Array.isArray(results[0]) && !isSequence(results[0])) return results[0] as unknown[];
  const sequence = newSequence();
  for (const result of results) {
    if (!Array.isArray(result) || (result as Sequence).cons) pushTo(sequence, result, run.limit);
    else for (const value of result) pushTo(sequence, value, run.limit);
  }
  return sequence;
}

function isPromiseLike(value: unknown): boolean {
  return value !== null && typeof value === 'object' && typeof (value as { then?: unknown }).then === 'function';
}

/** The depth of the tree (subtrees JSONata's parser shares, as in `??`, counted once). */
function depthOf(node: unknown, seen = new Map<object, number>()): number {
  if (node === null || typeof node !== 'object') return 0;
  const known = seen.get(node);
  if (known !== undefined) return known;
  seen.set(node, 0);
  let deepest = 0;
  for (const child of Object.values(node)) deepest = Math.max(deepest, depthOf(child, seen));
  seen.set(node, deepest + 1);
  return deepest + 1;
}

/** Every variable name the tree mentions (the built-ins it may call among them). */
function variableNames(node: unknown, names = new Set<string>(), seen = new Set<object>()): Set<string> {
  if (node === null || typeof node !== 'object' || seen.has(node)) return names;
  seen.add(node);
  const ast = node as AstNode;
  if (ast.type === 'variable' && typeof ast.value === 'string') names.add(ast.value);
  for (const child of Object.values(node)) variableNames(child, names, seen);
  return names;
}
