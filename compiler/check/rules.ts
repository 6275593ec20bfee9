import type { AssignRule, AppendRule, Expr, LetStmt, OnCaseBlock, RuleBlock, RuleStatement } from '../../language/ast.js';
import type { Range } from '../../language/range.js';
import type { Json } from '../artifact.js';
import type { CatalogEntity } from '../catalog.js';
import { compilerCodes as codes } from '../codes.js';
import type { IrExpr, IrFieldRule, IrLet, IrRuleSet } from '../ir.js';
import { propertiesOf } from '../schema-node.js';
import { assignable, describeType, type Type } from '../types.js';
import type { FlowContext } from './context.js';
import { ExprChecker, type UpsertRules } from './expr.js';
import { variableFor, type Scope } from './scope.js';
import { checkRequired, resolveTargetField, type TargetSpec } from './target.js';

/**
 * Checks blocks of rules (`let`, `Field = value`, `Field += { ... }`) against the schema they write, and the
 * expressions in them. One instance per flow.
 */
export class RuleChecker {
  readonly exprs: ExprChecker;

  constructor(private readonly ctx: FlowContext) {
    this.exprs = new ExprChecker(ctx, (body, scope, entity, requiredAt) => this.upsertRules(body, scope, entity, requiredAt));
  }

  /**
   * An upsert's block: its common rules must fit both the create and the update schema; its `on create { }` and
   * `on update { }` blocks one each; the create schema's required fields must be set by common + create rules.
   */
  upsertRules(body: RuleBlock, scope: Scope, entity: CatalogEntity, requiredAt: Range): UpsertRules {
    const seen = new Map<string, Range>();
    const common = this.ruleSet(body.rules.filter((r) => r.kind !== 'OnCase'), body.range, scope, upsertTarget(entity), undefined, seen);
    const cases: { onCreate?: IrRuleSet; onUpdate?: IrRuleSet } = {};
    let createSeen = seen;
    for (const block of body.rules.filter((r): r is OnCaseBlock => r.kind === 'OnCase')) {
      const key = block.case === 'create' ? 'onCreate' : 'onUpdate';
      if (cases[key]) {
        this.ctx.reporter.error(codes.duplicateStatement, block.range, { what: `on ${block.case}`, line: this.ctx.reporter.line(cases[key].range) });
        continue;
      }
      const node = block.case === 'create' ? entity.createSchema : entity.updateSchema;
      const caseSeen = new Map(seen);
      const spec: TargetSpec = { owner: entity.label, writes: node ? [{ action: block.case, node }] : [], read: entity.readShape };
      cases[key] = this.ruleSet(block.body.rules, block.body.range, scope.child(), spec, undefined, caseSeen);
      if (block.case === 'create') createSeen = caseSeen;
    }
    if (entity.createSchema) {
      checkRequired(this.ctx.reporter, { owner: entity.label, writes: [], requiredBy: entity.createSchema }, topLevel(createSeen), requiredAt);
    }
    return { rules: common, ...cases };
  }

  /**
   * Checks one block. `seen` carries the target fields already written by an enclosing set of rules (a flow's
   * common rules, when checking its `on create` block), so duplicates across them are found too.
   */
  ruleSet(
    rules: readonly RuleStatement[],
    range: Range,
    scope: Scope,
    target: TargetSpec,
    requiredAt: Range | undefined,
    seen: Map<string, Range> = new Map(),
  ): IrRuleSet {
    const lets: IrLet[] = [];
    const fields: IrFieldRule[] = [];
    for (const rule of rules) {
      if (rule.kind === 'Let') lets.push(this.let(rule, scope));
      else if (rule.kind === 'Assign') this.assign(rule, scope, target, seen, fields);
      else if (rule.kind === 'Append') this.append(rule, scope, target, seen, fields);
      else if (rule.kind === 'OnCase') this.ctx.reporter.error(codes.caseOutsideUpsert, rule.range, { case: rule.case });
      // `For` blocks were resolved before checking (check/variants.ts); none is left here.
    }
    if (requiredAt) checkRequired(this.ctx.reporter, target, topLevel(seen), requiredAt);
    return { range, lets, fields };
  }

  let(rule: LetStmt, scope: Scope): IrLet {
    const value = rule.value.kind === 'Each' ? this.misplacedEach(rule.value) : this.exprs.check(rule.value, scope);
    const variable = variableFor(rule.name.name);
    if (propertiesOf(this.ctx.source.readShape).has(rule.name.name)) {
      this.ctx.reporter.warning(codes.shadowedField, rule.name.range, { name: rule.name.name });
    }
    const pathLineage = value.k === 'source' ? value.path.join('.') : value.k === 'var' && value.path.length === 0 ? value.pathLineage : undefined;
    scope.define(rule.name.name, {
      kind: 'let', variable, type: value.type, sources: value.sources, effects: value.effects, range: rule.range, pathLineage,
    });
    return { variable, value, range: rule.range };
  }

  private assign(rule: AssignRule, scope: Scope, target: TargetSpec, seen: Map<string, Range>, out: IrFieldRule[]): void {
    const path = rule.target.segments.map((s) => s.name);
    const field = resolveTargetField(this.ctx.reporter, target, rule.target.segments);
    const duplicate = this.claim(path, rule.target.range, seen, false);
    let value: IrExpr;
    if (rule.value.kind === 'Each') {
      value = this.each(rule.value, scope, field, target, path);
    } else {
      value = this.exprs.check(rule.value, scope, { ruleValue: true });
      if (field) this.expectAssignable(value, field.type, path.join('.'), rule.value);
    }
    if (!duplicate) out.push({ k: 'assign', path, value, range: rule.range });
  }

  private append(rule: AppendRule, scope: Scope, target: TargetSpec, seen: Map<string, Range>, out: IrFieldRule[]): void {
    const path = rule.target.segments.map((s) => s.name);
    const field = resolveTargetField(this.ctx.reporter, target, rule.target.segments);
    this.claim(path, rule.target.range, seen, true);
    if (field && field.type.kind !== 'array' && field.type.kind !== 'any') {
      this.ctx.reporter.error(codes.notAnArray, rule.target.range, { what: `\`+=\` on "${path.join('.')}"`, actual: describeType(field.type) });
    }
    const element = field?.element ?? { owner: target.owner, writes: [] };
    // With `each`, the element's rules and the condition see the item (and index) of each element.
    const head = rule.each ? this.exprs.eachHead(rule.each, scope) : undefined;
    const inner = head?.body ?? scope.child();
    const elementRules = this.ruleSet(rule.body.rules, rule.body.range, inner, element, field?.element ? rule.body.range : undefined);
    const condition = rule.condition ? this.exprs.check(rule.condition, head ? inner : scope) : undefined;
    const each = head ? { source: head.source, item: head.item, ...(head.index ? { index: head.index } : {}) } : undefined;
    out.push({ k: 'append', path, element: elementRules, ...(each ? { each } : {}), ...(condition ? { condition } : {}), range: rule.range });
  }

  private each(expr: Extract<Expr, { kind: 'Each' }>, scope: Scope, field: ReturnType<typeof resolveTargetField>, target: TargetSpec, path: string[]): IrExpr {
    const head = this.exprs.eachHead(expr, scope);
    if (field && field.type.kind !== 'array' && field.type.kind !== 'any') {
      this.ctx.reporter.error(codes.typeMismatch, expr.range, { name: path.join('.'), expected: describeType(field.type), actual: 'a list' });
    }
    const element = field?.element ?? { owner: target.owner, writes: [] };
    const rules = this.ruleSet(expr.body.rules, expr.body.range, head.body, element, field?.element ? expr.body.range : undefined);
    const sources = [...new Set([...head.source.sources])];
    return {
      k: 'each', source: head.source, item: head.item, ...(head.index ? { index: head.index } : {}), rules,
      range: expr.range, type: field?.type ?? { kind: 'any' }, sources, effects: head.source.effects || ruleSetEffects(rules),
    };
  }

  private misplacedEach(expr: Expr): IrExpr {
    this.ctx.reporter.error(codes.eachOutsideRule, expr.range);
    return { k: 'error', range: expr.range, type: { kind: 'any' }, sources: [], effects: false };
  }

  /**
   * Records that a rule writes `path` and reports a second rule for the same field, or for a field inside it.
   * An array field may have one `=` rule plus any number of `+=` rules.
   */
  private claim(path: readonly string[], range: Range, seen: Map<string, Range>, appending: boolean): boolean {
    const key = path.join('.');
    const ownKey = appending ? `${key}+=` : key;
    for (const [other, otherRange] of seen) {
      const otherField = other.replace(/\+=$/, '');
      const nested = otherField.startsWith(`${key}.`) || key.startsWith(`${otherField}.`);
      const sameAssign = !appending && other === key;
      if (nested || sameAssign) {
        this.ctx.reporter.error(codes.duplicateRule, range, { name: key, line: this.ctx.reporter.line(otherRange) });
        return true;
      }
    }
    if (!seen.has(ownKey)) seen.set(ownKey, range);
    return false;
  }

  expectAssignable(value: IrExpr, expected: Type, name: string, expr: Expr): void {
    if (value.k === 'error') return;
    if (!assignable(value.type, expected)) {
      this.ctx.reporter.error(codes.typeMismatch, expr.range, { name, expected: describeType(expected), actual: describeType(value.type) });
      return;
    }
    const literal = constantOf(value);
    if (literal === undefined) return;
    if (expected.kind === 'number' && expected.integer && typeof literal === 'number' && !Number.isInteger(literal)) {
      this.ctx.reporter.error(codes.typeMismatch, expr.range, { name, expected: describeType(expected), actual: `the decimal ${literal}` });
    }
    if (expected.kind === 'string' && expected.enum && typeof literal === 'string' && !expected.enum.includes(literal)) {
      this.ctx.reporter.error(codes.notInEnum, expr.range, { value: JSON.stringify(literal), name, allowed: expected.enum.map((v) => JSON.stringify(v)).join(', ') });
    }
  }
}

/** The value of a literal or of a string without interpolation. */
function constantOf(value: IrExpr): Json | undefined {
  if (value.k === 'literal') return value.value;
  if (value.k === 'template' && value.parts.every((p) => typeof p === 'string')) return value.parts.join('');
  return undefined;
}

function topLevel(seen: ReadonlyMap<string, Range>): Set<string> {
  return new Set([...seen.keys()].map((key) => key.replace(/\+=$/, '').split('.')[0]!));
}

export function ruleSetEffects(rules: IrRuleSet): boolean {
  return rules.lets.some((l) => l.value.effects) || rules.fields.some((f) => (f.k === 'assign' ? f.value.effects : ruleSetEffects(f.element) || (f.condition?.effects ?? false)));
}

/** An upsert may create or update the looked-up entity: its rules must fit both, and set what create requires. */
export function upsertTarget(entity: CatalogEntity): TargetSpec {
  const writes = [
    ...(entity.createSchema ? [{ action: 'create' as const, node: entity.createSchema }] : []),
    ...(entity.updateSchema ? [{ action: 'update' as const, node: entity.updateSchema }] : []),
  ];
  return { owner: entity.label, writes, read: entity.readShape, ...(entity.createSchema ? { requiredBy: entity.createSchema } : {}) };
}
