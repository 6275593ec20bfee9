import type { EntityRef, FlowDecl, FlowStatement, OnCaseBlock, RuleStatement, WriteBackBlock } from '../../language/ast.js';
import type { Range } from '../../language/range.js';
import type { CatalogEntity } from '../catalog.js';
import { compilerCodes as codes } from '../codes.js';
import type { IrExpr, IrRuleSet } from '../ir.js';
import { propertiesOf } from '../schema-node.js';
import { didYouMean } from '../suggest.js';
import { booleanType } from '../types.js';
import type { CheckedSetting, CheckedTable, ModuleContext } from './context.js';
import { resolveEntityRef } from './entity-ref.js';
import type { Reporter } from './reporter.js';
import { RuleChecker } from './rules.js';
import { Scope } from './scope.js';
import { checkRequired, type TargetSpec } from './target.js';
import type { VariantOf } from './variants.js';

/** A flow after name resolution and schema checks: everything the emitter needs, nothing it must look up. */
export interface CheckedFlow {
  readonly name: string;
  readonly range: Range;
  readonly file: string;
  readonly source: CatalogEntity;
  readonly target: CatalogEntity;
  readonly settings: ReadonlyMap<string, CheckedSetting>;
  readonly tables: ReadonlyMap<string, CheckedTable>;
  readonly filters: readonly IrExpr[];
  readonly identify: { readonly field: string; readonly value: IrExpr } | null;
  readonly onExisting: { readonly action: 'skip' } | { readonly action: 'update'; readonly when: IrExpr | null };
  readonly onMissing: 'create' | 'skip';
  /** The flow's own rules: its `let`s and the fields written in every case. */
  readonly common: IrRuleSet;
  readonly onCreate: IrRuleSet | null;
  readonly onUpdate: IrRuleSet | null;
  readonly writeBack: { readonly entity: CatalogEntity; readonly rules: IrRuleSet; readonly when: IrExpr | null } | null;
  /** Set for one variant of a flow whose target a setting chooses. */
  readonly variant?: VariantOf;
}

/** `flow` has a fixed target here: `variantsOf` turned a chosen target into one flow per choice. */
export function checkFlow(flow: FlowDecl & { readonly target: EntityRef }, module: ModuleContext, variant?: VariantOf): CheckedFlow | undefined {
  const source = resolveEntityRef(flow.source, module.catalog, module.reporter);
  const target = resolveEntityRef(flow.target, module.catalog, module.reporter);
  if (!source || !target) return undefined;
  const ctx = { ...module, source, target };
  const reporter = module.reporter;
  const rules = new RuleChecker(ctx);
  const statements = classify(flow.body, reporter);

  const onMissing = statements.onMissing?.action ?? 'create';
  const updates = statements.onExisting?.action === 'update';
  if (onMissing === 'create' && !target.createSchema) {
    reporter.error(codes.cannotCreate, statements.onMissing?.actionRange ?? flow.target.range, { owner: target.label });
  }
  if (updates && !target.updateSchema) {
    reporter.error(codes.cannotUpdate, statements.onExisting!.actionRange, { owner: target.label });
  }
  const creates = onMissing === 'create' && target.createSchema !== undefined;

  const scope = new Scope();
  const seen = new Map<string, Range>();
  const commonTarget = flowTarget(target, creates, updates);
  const common = rules.ruleSet(statements.rules, flow.range, scope, commonTarget, undefined, seen);
  const onCreate = statements.onCreate ? caseRules(statements.onCreate, 'create', rules, scope, target, seen) : null;
  const onUpdate = statements.onUpdate ? caseRules(statements.onUpdate, 'update', rules, scope, target, seen) : null;
  if (creates) {
    const provided = new Set([...seen.keys()].map((key) => key.replace(/\+=$/, '').split('.')[0]!));
    checkRequired(reporter, { owner: target.label, writes: [], requiredBy: target.createSchema! }, provided, flow.name.range);
  }

  const filters = statements.whens.map((when) => noEffects(rules.exprs.check(when.condition, scope), reporter, 'when'));
  let identify: CheckedFlow['identify'] = null;
  if (statements.identify) {
    const [first, ...rest] = statements.identify.field.segments;
    const fields = propertiesOf(target.readShape);
    if (first && !fields.has(first.name)) {
      const guess = didYouMean(first.name, fields.keys(), first.range);
      reporter.error(codes.badLookupKey, first.range, { name: first.name, owner: target.label, suggestion: guess.suggestion }, guess.fixes);
    }
    const path = [first, ...rest].filter((s) => s !== undefined).map((s) => s.name).join('.');
    identify = { field: path, value: noEffects(rules.exprs.check(statements.identify.value, scope), reporter, 'identify by') };
  } else if (creates) {
    reporter.warning(codes.noIdentity, flow.name.range, { name: flow.name.name });
  }
  const onExisting: CheckedFlow['onExisting'] = updates
    ? { action: 'update', when: statements.onExisting?.condition ? noEffects(rules.exprs.check(statements.onExisting.condition, scope), reporter, 'on existing') : null }
    : { action: 'skip' };

  const writeBack = statements.writeBack ? checkWriteBack(statements.writeBack, rules, scope, source, target, module) : null;
  return {
    name: flow.name.name,
    range: flow.range,
    file: reporter.file,
    source,
    target,
    settings: module.settings,
    tables: module.tables,
    filters,
    identify,
    onExisting,
    onMissing: creates ? 'create' : 'skip',
    common,
    onCreate,
    onUpdate,
    writeBack,
    ...(variant ? { variant } : {}),
  };
}

/** The flow's common rules must fit every write the flow makes: create, update, or both. */
function flowTarget(target: CatalogEntity, creates: boolean, updates: boolean): TargetSpec {
  const writes = [
    ...(creates && target.createSchema ? [{ action: 'create' as const, node: target.createSchema }] : []),
    ...(updates && target.updateSchema ? [{ action: 'update' as const, node: target.updateSchema }] : []),
  ];
  // A flow that neither creates nor updates still gets its rules checked against whatever the API accepts.
  const fallback = target.updateSchema ?? target.createSchema;
  return {
    owner: target.label,
    writes: writes.length > 0 ? writes : fallback ? [{ action: 'update', node: fallback }] : [],
    read: target.readShape,
    ...(creates && target.createSchema ? { requiredBy: target.createSchema } : {}),
  };
}

function caseRules(block: OnCaseBlock, action: 'create' | 'update', rules: RuleChecker, scope: Scope, target: CatalogEntity, seen: Map<string, Range>): IrRuleSet {
  const node = action === 'create' ? target.createSchema : target.updateSchema;
  const spec: TargetSpec = {
    owner: target.label,
    writes: node ? [{ action, node }] : [],
    read: target.readShape,
    ...(action === 'create' && node ? { requiredBy: node } : {}),
  };
  return rules.ruleSet(block.body.rules, block.body.range, scope.child(), spec, undefined, seen);
}

function checkWriteBack(block: WriteBackBlock, rules: RuleChecker, scope: Scope, source: CatalogEntity, target: CatalogEntity, module: ModuleContext): CheckedFlow['writeBack'] {
  if (!source.updateSchema) {
    module.reporter.error(codes.cannotUpdate, block.range, { owner: source.label });
  }
  const inner = scope.child();
  inner.define('target', { kind: 'target', variable: 'target', type: { kind: 'record', owner: target.label, schema: target.readShape } });
  const spec: TargetSpec = {
    owner: source.label,
    writes: source.updateSchema ? [{ action: 'update', node: source.updateSchema }] : [],
    read: source.readShape,
  };
  const ruleSet = rules.ruleSet(block.body.rules, block.body.range, inner, spec, undefined);
  const when = block.condition ? rules.exprs.check(block.condition, inner) : null;
  return { entity: source, rules: ruleSet, when };
}

/** Filters, identity and update conditions are evaluated before anything is decided: they may not look up or write. */
function noEffects(expr: IrExpr, reporter: Reporter, where: string): IrExpr {
  if (expr.effects) reporter.error(codes.lookupInCondition, expr.range, { what: `find or upsert in \`${where}\`` });
  return expr.type.kind === 'any' ? { ...expr, type: booleanType } : expr;
}

interface Classified {
  whens: Extract<FlowStatement, { kind: 'When' }>[];
  identify?: Extract<FlowStatement, { kind: 'Identify' }>;
  onExisting?: Extract<FlowStatement, { kind: 'OnExisting' }>;
  onMissing?: Extract<FlowStatement, { kind: 'OnMissing' }>;
  onCreate?: OnCaseBlock;
  onUpdate?: OnCaseBlock;
  writeBack?: WriteBackBlock;
  rules: RuleStatement[];
}

/** Sorts a flow's statements by kind, reporting those that may appear only once. */
function classify(body: readonly FlowStatement[], reporter: Reporter): Classified {
  const result: Classified = { whens: [], rules: [] };
  const once = <K extends 'identify' | 'onExisting' | 'onMissing' | 'onCreate' | 'onUpdate' | 'writeBack'>(key: K, statement: NonNullable<Classified[K]>, what: string): void => {
    const previous = result[key];
    if (previous) reporter.error(codes.duplicateStatement, statement.range, { what, line: reporter.line(previous.range) });
    else result[key] = statement;
  };
  for (const statement of body) {
    switch (statement.kind) {
      case 'When':
        result.whens.push(statement);
        break;
      case 'Identify':
        once('identify', statement, 'identify by');
        break;
      case 'OnExisting':
        once('onExisting', statement, 'on existing');
        break;
      case 'OnMissing':
        once('onMissing', statement, 'on missing');
        break;
      case 'OnCase':
        once(statement.case === 'create' ? 'onCreate' : 'onUpdate', statement, `on ${statement.case}`);
        break;
      case 'WriteBack':
        once('writeBack', statement, 'write back');
        break;
      default:
        result.rules.push(statement);
    }
  }
  return result;
}

