import type { BinaryExpr, EntityRef, Expr, FindExpr, NameRef, RuleBlock, UpsertExpr } from '../../language/ast.js';
import { cover, type Range } from '../../language/range.js';
import type { CatalogEntity } from '../catalog.js';
import { compilerCodes as codes } from '../codes.js';
import type { IrExpr, IrRuleSet } from '../ir.js';
import { propertiesOf } from '../schema-node.js';
import { builtins, signature } from '../stdlib/index.js';
import { didYouMean, replaceWith } from '../suggest.js';
import {
  anyType,
  arrayOf,
  booleanType,
  describeType,
  nullType,
  numberType,
  stringType,
  typeFromSchema,
  unify,
  type Type,
} from '../types.js';
import type { ExprPosition, FlowContext } from './context.js';
import { resolveEntityRef } from './entity-ref.js';
import { variableFor, type Scope } from './scope.js';

/** An upsert's checked rules: common to both cases, and per case. */
export interface UpsertRules {
  readonly rules: IrRuleSet;
  readonly onCreate?: IrRuleSet;
  readonly onUpdate?: IrRuleSet;
}

/** Checks an upsert's block; supplied by the rule checker (the two depend on each other). */
export type UpsertChecker = (body: RuleBlock, scope: Scope, entity: CatalogEntity, requiredAt: Range) => UpsertRules;

/**
 * Resolves the names in an expression and checks it against the schemas, producing the typed IR. Problems are
 * reported and the IR gets an `error` node or `any` type, so checking goes on and finds the next problem too.
 */
export class ExprChecker {
  constructor(
    private readonly ctx: FlowContext,
    private readonly checkUpsert: UpsertChecker,
  ) {}

  check(expr: Expr, scope: Scope, position: ExprPosition = {}): IrExpr {
    const inner: ExprPosition = { aggregate: position.aggregate ?? false };
    switch (expr.kind) {
      case 'String':
        return this.template(expr, scope, inner);
      case 'Number':
        return literal(expr.range, expr.value, { kind: 'number', integer: Number.isInteger(expr.value) });
      case 'Bool':
        return literal(expr.range, expr.value, booleanType);
      case 'Null':
        return literal(expr.range, null, nullType);
      case 'Array': {
        const elements = expr.elements.map((e) => this.check(e, scope, inner));
        const element = elements.reduce<Type | undefined>((t, e) => (t ? unify(t, e.type) : e.type), undefined);
        return node(expr.range, { k: 'array', elements }, arrayOf(element ?? anyType), elements);
      }
      case 'Name':
        return this.name(expr, scope);
      case 'Member':
        return this.member(expr.object, [{ name: expr.property.name, range: expr.property.range }], expr.range, scope, inner);
      case 'Index':
        return this.index(expr.object, expr.index, expr.range, scope, inner);
      case 'Call':
        return this.call(expr.callee.name, expr.callee.range, expr.args, expr.range, scope, inner);
      case 'Unary': {
        const operand = this.check(expr.operand, scope, inner);
        if (expr.op === '-') this.expectOperand('-', operand, 'number', 'the value');
        return node(expr.range, { k: 'unary', op: expr.op, operand }, expr.op === 'not' ? booleanType : numberType, [operand]);
      }
      case 'Binary':
        return this.binary(expr, scope, inner);
      case 'If': {
        const condition = this.check(expr.condition, scope, inner);
        const then = this.check(expr.then, scope, inner);
        const otherwise = expr.else ? this.check(expr.else, scope, inner) : undefined;
        const type = otherwise ? unify(then.type, otherwise.type) : then.type;
        const parts = otherwise ? [condition, then, otherwise] : [condition, then];
        return node(expr.range, { k: 'if', condition, then, ...(otherwise ? { else: otherwise } : {}) }, type, parts);
      }
      case 'Find':
        return this.find(expr, scope);
      case 'Upsert':
        return this.upsert(expr, scope);
      case 'Each':
        // A rule's value is checked by the rule checker, which handles `each` itself: here it is misplaced.
        this.ctx.reporter.error(codes.eachOutsideRule, expr.range);
        return errorNode(expr.range);
      case 'Paren': {
        const inside = this.check(expr.expr, scope, position);
        return node(expr.range, { k: 'paren', expr: inside }, inside.type, [inside]);
      }
      case 'ErrorExpr':
        return errorNode(expr.range);
    }
  }

  private template(expr: Extract<Expr, { kind: 'String' }>, scope: Scope, position: ExprPosition): IrExpr {
    const parts: (string | IrExpr)[] = [];
    const children: IrExpr[] = [];
    for (const part of expr.parts) {
      if (part.kind === 'Text') parts.push(part.value);
      else {
        const value = this.check(part.expr, scope, position);
        parts.push(value);
        children.push(value);
      }
    }
    return node(expr.range, { k: 'template', parts }, stringType, children);
  }

  /** A bare name: a local, `settings` alone (an error), a table alone (an error), or a source field. */
  private name(expr: NameRef, scope: Scope): IrExpr {
    const binding = scope.lookup(expr.name);
    if (binding) return this.fromBinding(binding, expr.range);
    if (expr.name === 'settings') {
      const first: string | undefined = this.ctx.settings.keys().next().value;
      this.ctx.reporter.error(codes.unknownSetting, expr.range, { name: '', suggestion: first }, first === undefined ? [] : [replaceWith(expr.range, `settings.${first}`)]);
      return errorNode(expr.range);
    }
    if (this.ctx.tables.has(expr.name)) {
      this.ctx.reporter.error(codes.tableNeedsKey, expr.range, { name: expr.name });
      return errorNode(expr.range);
    }
    if (expr.name === 'target') {
      this.ctx.reporter.error(codes.targetOutsideWriteBack, expr.range);
      return errorNode(expr.range);
    }
    return this.sourcePath([{ name: expr.name, range: expr.range }], expr.range, {}, scope);
  }

  private fromBinding(binding: NonNullable<ReturnType<Scope["lookup"]>>, range: Range): IrExpr {
    switch (binding.kind) {
      case 'let':
        return {
          k: 'var', variable: binding.variable, path: [], range, type: binding.type,
          sources: binding.sources, effects: binding.effects,
          ...(binding.pathLineage !== undefined ? { pathLineage: binding.pathLineage } : {}),
        };
      case 'item':
        return {
          k: 'var', variable: binding.variable, path: [], range, type: binding.type,
          sources: binding.lineage ? [binding.lineage] : [], effects: false,
          ...(binding.lineage !== undefined ? { pathLineage: binding.lineage } : {}),
        };
      case 'index':
        return { k: 'var', variable: binding.variable, path: [], range, type: { kind: 'number', integer: true }, sources: [], effects: false };
      case 'target':
        return { k: 'var', variable: binding.variable, path: [], range, type: binding.type, sources: [], effects: false };
      default:
        return errorNode(range);
    }
  }

  /**
   * `a.b.c`: collects the whole chain first, so a path from the source record or a variable stays one path
   * (emitted as one JSONata path, reported with the full path in messages).
   */
  private member(object: Expr, properties: { name: string; range: Range }[], range: Range, scope: Scope, position: ExprPosition): IrExpr {
    if (object.kind === 'Member') {
      return this.member(object.object, [{ name: object.property.name, range: object.property.range }, ...properties], range, scope, position);
    }
    if (object.kind === 'Name' && !scope.lookup(object.name)) {
      if (object.name === 'settings') return this.setting(properties, range);
      if (object.name !== 'target' && !this.ctx.tables.has(object.name)) {
        return this.sourcePath([{ name: object.name, range: object.range }, ...properties], range, position, scope);
      }
    }
    const base = this.check(object, scope, position);
    return this.fieldsOf(base, properties, range, position);
  }

  private sourcePath(segments: { name: string; range: Range }[], range: Range, position: ExprPosition, scope: Scope): IrExpr {
    const root: IrExpr = {
      k: 'source', path: [], range: segments[0]!.range, type: { kind: 'record', owner: this.ctx.source.label, schema: this.ctx.source.readShape },
      sources: [], effects: false,
    };
    return this.fieldsOf(root, segments, range, position, scope);
  }

  /** Reads fields of a value step by step, checking each against the schema the value has. */
  private fieldsOf(base: IrExpr, segments: { name: string; range: Range }[], range: Range, position: ExprPosition, scope?: Scope): IrExpr {
    let type = base.type;
    let throughArray = false;
    const path: string[] = [];
    let lineage = lineageRoot(base);
    for (const segment of segments) {
      let current = type;
      if (current.kind === 'array') {
        if (!position.aggregate) {
          const arrayPath = [...describePathPrefix(base), ...path].join('.') || 'this list';
          this.ctx.reporter.error(codes.arrayPath, segment.range, {
            path: [...describePathPrefix(base), ...path, segment.name].join('.'),
            array: arrayPath,
          });
          return errorNode(range);
        }
        throughArray = true;
        current = current.element;
        lineage = lineage === undefined ? undefined : `${lineage}[]`;
      }
      if (current.kind === 'record') {
        const fields = propertiesOf(current.schema);
        const field = fields.get(segment.name);
        if (!field) {
          const candidates = [...fields.keys(), ...(base.k === 'source' && path.length === 0 && scope ? scope.names() : [])];
          const guess = didYouMean(segment.name, candidates, segment.range);
          this.ctx.reporter.error(codes.unknownField, segment.range, {
            name: segment.name,
            owner: path.length === 0 ? current.owner : `${current.owner} (${[...describePathPrefix(base), ...path].join('.')})`,
            suggestion: guess.suggestion,
          }, guess.fixes);
          return errorNode(range);
        }
        type = typeFromSchema(field, current.owner);
      } else if (current.kind === 'any' || current.kind === 'object') {
        type = anyType;
      } else {
        this.ctx.reporter.error(codes.notAnObject, segment.range, {
          name: segment.name,
          what: [...describePathPrefix(base), ...path].join('.') || 'the value',
          type: describeType(current),
        });
        return errorNode(range);
      }
      path.push(segment.name);
      lineage = lineage === undefined ? undefined : lineage === '' ? segment.name : `${lineage}.${segment.name}`;
    }
    if (throughArray && type.kind !== 'array') type = arrayOf(type);
    const sources = lineage ? [lineage] : base.sources;
    const effects = base.effects;
    switch (base.k) {
      case 'source':
        return { k: 'source', path: [...base.path, ...path], range, type, sources, effects };
      case 'var':
        return { k: 'var', variable: base.variable, path: [...base.path, ...path], range, type, sources, effects, ...(lineage !== undefined ? { pathLineage: lineage } : {}) };
      default:
        return { k: 'member', object: base, path, range, type, sources: base.sources, effects };
    }
  }

  private setting(properties: { name: string; range: Range }[], range: Range): IrExpr {
    const [first, ...rest] = properties;
    const setting = this.ctx.settings.get(first!.name);
    if (!setting) {
      const guess = didYouMean(first!.name, this.ctx.settings.keys(), first!.range);
      this.ctx.reporter.error(codes.unknownSetting, first!.range, { name: first!.name, suggestion: guess.suggestion }, guess.fixes);
      return errorNode(range);
    }
    const base: IrExpr = { k: 'setting', name: first!.name, path: [], range: cover(first!.range, first!.range), type: setting.type, sources: [], effects: false };
    if (rest.length === 0) return { ...base, range };
    const read = this.fieldsOf(base, rest, range, {});
    return read.k === 'member' ? { ...read, k: 'member' } : read;
  }

  private index(object: Expr, index: Expr, range: Range, scope: Scope, position: ExprPosition): IrExpr {
    if (object.kind === 'Name' && !scope.lookup(object.name)) {
      const table = this.ctx.tables.get(object.name);
      if (table) {
        const key = this.check(index, scope, position);
        return node(range, { k: 'table', name: object.name, key }, table.valueType, [key]);
      }
      if (!this.ctx.settings.has(object.name) && !propertiesOf(this.ctx.source.readShape).has(object.name)) {
        const guess = didYouMean(object.name, this.ctx.tables.keys(), object.range);
        this.ctx.reporter.error(codes.unknownTable, object.range, { name: object.name, suggestion: guess.suggestion }, guess.fixes);
        return errorNode(range);
      }
    }
    const base = this.check(object, scope, position);
    const at = this.check(index, scope, position);
    if (base.type.kind !== 'array' && base.type.kind !== 'any') {
      this.ctx.reporter.error(codes.notAnArray, object.range, { what: 'indexing with [ ]', actual: describeType(base.type) });
      return errorNode(range);
    }
    this.expectOperand('[ ]', at, 'number', 'the index');
    const type = base.type.kind === 'array' ? base.type.element : anyType;
    return node(range, { k: 'index', object: base, index: at }, type, [base, at]);
  }

  private call(name: string, nameRange: Range, argExprs: readonly Expr[], range: Range, scope: Scope, position: ExprPosition): IrExpr {
    const builtin = builtins.get(name);
    if (!builtin) {
      const guess = didYouMean(name, builtins.keys(), nameRange);
      this.ctx.reporter.error(codes.unknownFunction, nameRange, { name, suggestion: guess.suggestion }, guess.fixes);
      argExprs.forEach((a) => this.check(a, scope, position));
      return errorNode(range);
    }
    const args = argExprs.map((a) => this.check(a, scope, { aggregate: builtin.aggregate === true || position.aggregate === true }));
    const max = builtin.params.length;
    const min = max - (builtin.optional ?? 0);
    if (args.length < min || args.length > max) {
      this.ctx.reporter.error(codes.wrongArity, range, {
        name,
        expected: min === max ? `${max}` : `${min} to ${max}`,
        actual: args.length,
        signature: signature(builtin),
      });
      return errorNode(range);
    }
    args.forEach((arg, i) => {
      const param = builtin.params[i]!;
      if (param.type !== 'any') this.expectOperand(`${name}()`, arg, param.type, `its ${param.name}`);
    });
    return node(range, { k: 'call', builtin, args }, builtin.returns(args.map((a) => a.type)), args);
  }

  private binary(expr: BinaryExpr, scope: Scope, position: ExprPosition): IrExpr {
    const left = this.check(expr.left, scope, position);
    const right = this.check(expr.right, scope, position);
    const parts = [left, right];
    switch (expr.op) {
      case 'and':
      case 'or':
      case '==':
      case '!=':
        return node(expr.range, { k: 'binary', op: expr.op, left, right }, booleanType, parts);
      case '<':
      case '<=':
      case '>':
      case '>=':
        if (left.type.kind !== 'any' && right.type.kind !== 'any' && left.type.kind !== right.type.kind && left.type.kind !== 'null' && right.type.kind !== 'null') {
          this.ctx.reporter.error(codes.operandType, expr.opRange, {
            op: expr.op, expected: 'two numbers or two strings', side: 'the right side', actual: describeType(right.type),
          });
        }
        return node(expr.range, { k: 'binary', op: expr.op, left, right }, booleanType, parts);
      case 'in':
        if (right.type.kind !== 'array' && right.type.kind !== 'any') {
          this.ctx.reporter.error(codes.notAnArray, expr.right.range, { what: '`in`', actual: describeType(right.type) });
        }
        return node(expr.range, { k: 'binary', op: 'in', left, right }, booleanType, parts);
      case '??':
        return node(expr.range, { k: 'binary', op: '??', left, right }, unify(left.type, right.type), parts);
      case '+':
        if (left.type.kind === 'string' && right.type.kind === 'string') {
          return node(expr.range, { k: 'binary', op: '+', left, right, concat: true }, stringType, parts);
        }
        return this.arithmetic(expr, left, right);
      case '-':
      case '*':
      case '/':
      case '%':
        return this.arithmetic(expr, left, right);
    }
  }

  private arithmetic(expr: BinaryExpr, left: IrExpr, right: IrExpr): IrExpr {
    this.expectOperand(expr.op, left, 'number', 'the left side');
    this.expectOperand(expr.op, right, 'number', 'the right side');
    return node(expr.range, { k: 'binary', op: expr.op, left, right }, numberType, [left, right]);
  }

  private expectOperand(op: string, value: IrExpr, expected: Type['kind'], side: string): void {
    const actual = value.type;
    if (actual.kind === 'any' || actual.kind === 'null' || actual.kind === expected) return;
    if (expected === 'array' && actual.kind === 'array') return;
    if ((expected === 'record' || expected === 'object') && (actual.kind === 'record' || actual.kind === 'object')) return;
    this.ctx.reporter.error(codes.operandType, value.range, {
      op,
      expected: describeType(expected === 'array' ? arrayOf(anyType) : ({ kind: expected } as Type)),
      side,
      actual: describeType(actual),
    });
  }

  private entity(ref: EntityRef): CatalogEntity | undefined {
    const connector = this.ctx.catalog[ref.connector.name];
    return resolveEntityRef(ref, this.ctx.catalog, this.ctx.reporter);
  }

  /** The key of a lookup must be a field of the entity (what a GET returns). */
  private lookupKey(entity: CatalogEntity, key: { name: string; range: Range }): boolean {
    const fields = propertiesOf(entity.readShape);
    if (fields.has(key.name)) return true;
    const guess = didYouMean(key.name, fields.keys(), key.range);
    this.ctx.reporter.error(codes.badLookupKey, key.range, { name: key.name, owner: entity.label, suggestion: guess.suggestion }, guess.fixes);
    return false;
  }

  private find(expr: FindExpr, scope: Scope): IrExpr {
    const entity = this.entity(expr.entity);
    const value = this.check(expr.value, scope);
    if (!entity || !this.lookupKey(entity, expr.key)) return errorNode(expr.range);
    this.expectKeyType(entity, expr.key.name, value);
    return {
      k: 'find', entity: entity.name, key: expr.key.name, value, optional: expr.optional, range: expr.range,
      type: { kind: 'record', owner: entity.label, schema: entity.readShape }, sources: value.sources, effects: true,
    };
  }

  private upsert(expr: UpsertExpr, scope: Scope): IrExpr {
    const entity = this.entity(expr.entity);
    const value = this.check(expr.value, scope);
    if (!entity || !this.lookupKey(entity, expr.key)) return errorNode(expr.range);
    this.expectKeyType(entity, expr.key.name, value);
    const checked = this.checkUpsert(expr.body, scope.child(), entity, expr.entity.range);
    return {
      k: 'upsert', entity: entity.name, key: expr.key.name, value, ...checked, range: expr.range,
      type: { kind: 'record', owner: entity.label, schema: entity.readShape }, sources: value.sources, effects: true,
    };
  }

  private expectKeyType(entity: CatalogEntity, key: string, value: IrExpr): void {
    const field = propertiesOf(entity.readShape).get(key);
    if (!field) return;
    const expected = typeFromSchema(field, entity.label);
    if (expected.kind === 'any' || value.type.kind === 'any' || value.type.kind === 'null') return;
    if (expected.kind !== value.type.kind) {
      this.ctx.reporter.error(codes.typeMismatch, value.range, {
        name: `${entity.label}.${key}`, expected: describeType(expected), actual: describeType(value.type),
      });
    }
  }

  /**
   * The head of `each xs as x [at i]`: checks the list and opens the element's scope. The rule checker, which
   * knows the target field's element schema, checks the body and builds the node.
   */
  eachHead(expr: Extract<Expr, { kind: 'Each' }>, scope: Scope): { source: IrExpr; body: Scope; item: string; index?: string } {
    const source = this.check(expr.source, scope, { aggregate: true });
    if (source.type.kind !== 'array' && source.type.kind !== 'any') {
      this.ctx.reporter.error(codes.notAnArray, expr.source.range, { what: '`each`', actual: describeType(source.type) });
    }
    const body = scope.child();
    const item = variableFor(expr.item.name);
    const element = source.type.kind === 'array' ? source.type.element : anyType;
    // Elements line up with the list's only when it is read straight from a record (`orderrows`, `row.options`):
    // the elements of `distinct(xs)` or `if c then xs else ys` are not xs's elements at the same index.
    const direct = source.k === 'source' || (source.k === 'var' && source.pathLineage !== undefined);
    const lineage = direct && source.sources.length === 1 ? `${source.sources[0]}[]` : undefined;
    body.define(expr.item.name, { kind: 'item', variable: item, type: element, lineage });
    const index = expr.index ? variableFor(expr.index.name) : undefined;
    if (expr.index && index) body.define(expr.index.name, { kind: 'index', variable: index });
    return { source, body, item, ...(index ? { index } : {}) };
  }
}

/** The lineage prefix a variable or the source root starts from ('' for the source root). */
function lineageRoot(base: IrExpr): string | undefined {
  if (base.k === 'source') return base.path.join('.');
  if (base.k === 'var' && base.path.length === 0) return base.pathLineage;
  return undefined;
}

function describePathPrefix(base: IrExpr): string[] {
  if (base.k === 'source') return [...base.path];
  if (base.k === 'var') return [base.variable, ...base.path];
  if (base.k === 'setting') return ['settings', base.name, ...base.path];
  return [];
}

type IrShape = IrExpr extends infer T ? (T extends { k: infer K } ? { k: K } & Omit<T, 'range' | 'type' | 'sources' | 'effects'> : never) : never;

function node(range: Range, shape: IrShape, type: Type, children: readonly IrExpr[]): IrExpr {
  const sources = [...new Set(children.flatMap((c) => c.sources))];
  const effects = children.some((c) => c.effects);
  return { ...shape, range, type, sources, effects } as IrExpr;
}

function literal(range: Range, value: import('../artifact.js').Json, type: Type): IrExpr {
  return { k: 'literal', value, range, type, sources: [], effects: false };
}

export function errorNode(range: Range): IrExpr {
  return { k: 'error', range, type: anyType, sources: [], effects: false };
}
