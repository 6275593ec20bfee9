import type { Range } from '../../language/range.js';
import type {
  CompiledFlow,
  FieldLineage,
  FlowPlan,
  Fragment,
  LookupPlan,
  SettingSpec,
  TableSpec,
  UpsertPlan,
  WritePlan,
} from '../artifact.js';
import type { CheckedFlow } from '../check/flow.js';
import { typeOfConstant } from '../check/constants.js';
import type { IrExpr, IrFieldRule, IrLet, IrRuleSet } from '../ir.js';
import { emitExpr, emitRuleSet } from './expr.js';
import { neededLets, walkExpr, walkRuleSet } from './walk.js';
import { JsonataWriter } from './writer.js';

/** Turns a checked flow into its compiled form: JSONata fragments, the I/O plan, and field lineage. */
export function emitFlow(flow: CheckedFlow): CompiledFlow {
  const at = (range: Range) => ({ file: flow.file, range });
  const fragment = (range: Range, body: (w: JsonataWriter) => void): Fragment => {
    const w = new JsonataWriter();
    body(w);
    const { text, segments } = w.finish();
    return { jsonata: text, location: at(range), segments };
  };
  const withLets = (range: Range, roots: readonly IrExpr[], body: (w: JsonataWriter) => void): Fragment =>
    fragment(range, (w) => {
      const lets = neededLets(flow.common.lets, roots);
      if (lets.length === 0) return body(w);
      w.write('(');
      w.indented(() => {
        for (const l of lets) emitLet(w, l);
        w.newline();
        body(w);
      });
      w.newline().write(')');
    });

  const filter = flow.filters.length === 0 ? null : withLets(cover(flow.filters), flow.filters, (w) => {
    flow.filters.forEach((f, i) => {
      if (i > 0) w.write(' and ');
      if (flow.filters.length > 1) w.write('(');
      emitExpr(w, f);
      if (flow.filters.length > 1) w.write(')');
    });
  });

  const payload = (caseRules: IrRuleSet | null): Fragment => {
    const fields = [...flow.common.fields, ...(caseRules?.fields ?? [])];
    const lets = [...neededLets(flow.common.lets, caseRules ? caseRules.lets.map((l) => l.value) : [], fields), ...(caseRules?.lets ?? [])];
    return fragment(flow.range, (w) => emitRuleSet(w, { range: flow.range, lets: [], fields: [] }, fields, lets));
  };

  const writeBack = flow.writeBack
    ? {
        entity: flow.writeBack.entity.name,
        payload: fragment(flow.writeBack.rules.range, (w) => {
          const lets = [...neededLets(flow.common.lets, flow.writeBack!.rules.lets.map((l) => l.value), flow.writeBack!.rules.fields), ...flow.writeBack!.rules.lets];
          emitRuleSet(w, flow.writeBack!.rules, [], lets);
        }),
        when: flow.writeBack.when ? withLets(flow.writeBack.when.range, [flow.writeBack.when], (w) => emitExpr(w, flow.writeBack!.when!)) : null,
      }
    : null;

  return {
    name: flow.name,
    location: at(flow.range),
    source: flow.source.name,
    target: flow.target.name,
    settings: settingsOf(flow),
    tables: tablesOf(flow),
    filter,
    identify: flow.identify
      ? { field: flow.identify.field, value: withLets(flow.identify.value.range, [flow.identify.value], (w) => emitExpr(w, flow.identify!.value)) }
      : null,
    onExisting:
      flow.onExisting.action === 'update'
        ? {
            action: 'update',
            when: flow.onExisting.when ? withLets(flow.onExisting.when.range, [flow.onExisting.when], (w) => emitExpr(w, (flow.onExisting as { when: IrExpr }).when)) : null,
          }
        : { action: 'skip' },
    onMissing: flow.onMissing,
    payload: {
      create: flow.onMissing === 'create' ? payload(flow.onCreate) : null,
      update: flow.onExisting.action === 'update' ? payload(flow.onUpdate) : null,
    },
    writeBack,
    plan: planOf(flow),
    fields: lineageOf(flow),
    ...(flow.variant ? { variant: { family: flow.variant.family, setting: flow.variant.setting, value: flow.variant.value } } : {}),
  };
}

function emitLet(w: JsonataWriter, l: IrLet): void {
  w.newline();
  w.mapped(l.range, () => {
    w.write(`$${l.variable} := `);
    emitExpr(w, l.value);
    w.write(';');
  });
}

function cover(exprs: readonly IrExpr[]): Range {
  return { start: Math.min(...exprs.map((e) => e.range.start)), end: Math.max(...exprs.map((e) => e.range.end)) };
}

function settingsOf(flow: CheckedFlow): Record<string, SettingSpec> {
  const result: Record<string, SettingSpec> = {};
  for (const [name, s] of flow.settings) {
    const kind = typeOfConstant(s.value).kind;
    result[name] = {
      value: s.value,
      type: kind === 'any' ? 'null' : kind === 'record' ? 'object' : (kind as SettingSpec['type']),
      location: { file: flow.file, range: s.range },
      ...(flow.variant?.setting === name ? { values: flow.variant.values } : {}),
    };
  }
  return result;
}

function tablesOf(flow: CheckedFlow): Record<string, TableSpec> {
  const result: Record<string, TableSpec> = {};
  for (const [name, t] of flow.tables) {
    result[name] = { entries: t.entries, ...(t.fallback !== undefined ? { fallback: t.fallback } : {}), location: { file: flow.file, range: t.range } };
  }
  return result;
}

/** Every lookup, upsert and write the flow makes, and the child collections it reads. */
function planOf(flow: CheckedFlow): FlowPlan {
  const lookups: LookupPlan[] = [];
  const upserts: UpsertPlan[] = [];
  const sources = new Set<string>();
  const visit = (e: IrExpr): void => {
    for (const s of e.sources) sources.add(s);
    if (e.k === 'source' && e.path.length > 0) sources.add(e.path[0]!);
    if (e.k === 'find') lookups.push({ entity: e.entity, key: e.key, optional: e.optional, location: { file: flow.file, range: e.range } });
    if (e.k === 'upsert') {
      const fields = [...e.rules.fields, ...(e.onCreate?.fields ?? []), ...(e.onUpdate?.fields ?? [])];
      upserts.push({ entity: e.entity, key: e.key, location: { file: flow.file, range: e.range }, fields: fieldLineage(flow.file, fields, 'upsert', '') });
    }
  };
  walkRuleSet(flow.common, visit);
  for (const r of [flow.onCreate, flow.onUpdate, flow.writeBack?.rules]) if (r) walkRuleSet(r, visit);
  for (const e of [...flow.filters, flow.identify?.value, flow.writeBack?.when, flow.onExisting.action === 'update' ? flow.onExisting.when : null]) {
    if (e) walkExpr(e, visit);
  }
  const children = Object.keys(flow.source.definition.children ?? {}).filter((child) =>
    [...sources].some((s) => s === child || s.startsWith(`${child}.`) || s.startsWith(`${child}[]`)),
  );
  const writes: WritePlan[] = [];
  const actions: ('create' | 'update')[] = [];
  if (flow.onMissing === 'create') actions.push('create');
  if (flow.onExisting.action === 'update') actions.push('update');
  if (actions.length > 0) writes.push({ entity: flow.target.name, actions, role: 'target' });
  if (flow.writeBack) writes.push({ entity: flow.writeBack.entity.name, actions: ['update'], role: 'write-back' });
  // Linked children the rules set (a product's `producttocategories`) are records of their own, created after it.
  const setFields = new Set([flow.common, flow.onCreate, flow.onUpdate].flatMap((r) => (r ? r.fields.map((f) => f.path[0]) : [])));
  for (const [field, child] of Object.entries(flow.target.definition.children ?? {})) {
    if (child.link && setFields.has(field) && actions.length > 0) {
      writes.push({ entity: { connector: flow.target.name.connector, entity: child.entity }, actions: ['create'], role: 'linked-child' });
    }
  }
  return { source: { entity: flow.source.name, children }, lookups, upserts, writes };
}

function lineageOf(flow: CheckedFlow): FieldLineage[] {
  return [
    ...fieldLineage(flow.file, flow.common.fields, 'always', ''),
    ...(flow.onCreate ? fieldLineage(flow.file, flow.onCreate.fields, 'create', '') : []),
    ...(flow.onUpdate ? fieldLineage(flow.file, flow.onUpdate.fields, 'update', '') : []),
    ...(flow.writeBack ? fieldLineage(flow.file, flow.writeBack.rules.fields, 'write-back', '') : []),
  ];
}

/**
 * For each target field: the rule's location and the source paths its value reads (through `let`s too), and
 * for rules inside an array element, the rule that makes the element.
 */
function fieldLineage(file: string, fields: readonly IrFieldRule[], scope: FieldLineage['scope'], prefix: string, element?: FieldLineage['element']): FieldLineage[] {
  const result: FieldLineage[] = [];
  const entry = (target: string, range: Range, sources: string[]): FieldLineage => ({ target, scope, location: { file, range }, sources, ...(element ? { element } : {}) });
  for (const f of fields) {
    const target = `${prefix}${f.path.join('.')}`;
    if (f.k === 'assign') {
      if (f.value.k === 'each') {
        result.push(entry(target, f.range, [...f.value.source.sources]));
        result.push(...fieldLineage(file, f.value.rules.fields, scope, `${target}[].`, { range: f.range, each: true }));
      } else {
        result.push(entry(target, f.range, sourcesOf(f.value)));
      }
    } else {
      // A `+= each` element lines up with its list's element only when no condition leaves some out.
      result.push(...fieldLineage(file, f.element.fields, scope, `${target}[].`, { range: f.range, each: f.each !== undefined && f.condition === undefined }));
    }
  }
  return result;
}

function sourcesOf(e: IrExpr): string[] {
  const found = new Set<string>(e.sources);
  walkExpr(e, (x) => {
    if (x.k !== 'upsert' && x.k !== 'each') for (const s of x.sources) found.add(s);
  });
  return [...found].sort();
}
