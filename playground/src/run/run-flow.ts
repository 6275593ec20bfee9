import type { CompiledFlow, FieldLineage, Fragment, Json, SourceLocation } from '../../../compiler/artifact.js';
import { stdlibBindings } from '../../../compiler/stdlib/index.js';
import { dropNulls, FlowEvaluator, locatorFor, type EvaluationError } from '../../../runtime/evaluate/index.js';
import { traceElements, type ElementOrigin } from './element-trace.js';
import { SampleLookupHost, type UpsertEffect } from './sample-host.js';

export type RunAction = 'create' | 'update' | 'skip' | 'fail';

export interface FieldOutcome {
  /** The written field, array elements with their index: `Rows[0].ArticleId`. */
  readonly path: string;
  readonly value: Json;
  /** The rule that produced it (from the artifact's lineage), when known. */
  readonly location?: SourceLocation;
  /** `file:line:col` of that rule. */
  readonly where?: string;
  /** The source paths the rule reads, with their values in this record. */
  readonly sources: readonly { readonly path: string; readonly value: Json | undefined }[];
}

export interface RunOutcome {
  readonly action: RunAction;
  /** Why: the filter was false, an existing record matched, ... in words a merchant understands. */
  readonly reason: string;
  readonly payload: Json | null;
  readonly fields: readonly FieldOutcome[];
  readonly upserts: readonly UpsertEffect[];
  readonly writeBack: Json | null;
  readonly error?: EvaluationError;
  /** The JSONata of every fragment the flow has, by role. */
  readonly fragments: readonly { readonly role: string; readonly fragment: Fragment }[];
}

export interface RunInput {
  readonly flow: CompiledFlow;
  readonly record: Json;
  /** The sample data set lookups are answered from, by `connector.entity`. */
  readonly data: Readonly<Record<string, readonly Json[]>>;
  /** The `.map` texts by file name, to name lines in messages. */
  readonly texts: Readonly<Record<string, string>>;
}

/**
 * Runs one flow on one record the way the runtime would, against sample data instead of live systems: filter,
 * identify (against the data set's target records), the on existing/on missing decision, the payload, and
 * write back. Follows the artifact's evaluation contract through the runtime's own JSONata host.
 */
export async function runFlow(input: RunInput): Promise<RunOutcome> {
  const { flow } = input;
  const locate = locatorFor(input.texts);
  const settings = dropNulls(Object.fromEntries(Object.entries(flow.settings).map(([name, spec]) => [name, spec.value]))) as Record<string, Json>;
  const lineageOf = (action: 'create' | 'update'): FieldLineage[] => flow.fields.filter((f) => f.scope === 'always' || f.scope === action);
  const traces = { create: flow.payload.create && traceElements(flow.payload.create, lineageOf('create')), update: flow.payload.update && traceElements(flow.payload.update, lineageOf('update')) };
  const traceBindings = { ...traces.create?.bindings, ...traces.update?.bindings };
  const evaluator = new FlowEvaluator({ settings, tables: flow.tables, stdlib: { ...(stdlibBindings as Record<string, unknown>), ...traceBindings }, locate });
  const host = new SampleLookupHost(input.data);
  const record = input.record;
  const fragments = fragmentsOf(flow);
  const base = { payload: null, fields: [], upserts: host.upserts, writeBack: null, fragments };
  const fail = (error: EvaluationError): RunOutcome => ({ ...base, action: 'fail', reason: error.message, error });

  if (flow.filter) {
    const passed = await evaluator.evaluate(flow.filter, record, host);
    if (!passed.ok) return fail(passed.error);
    if (passed.value !== true) return { ...base, action: 'skip', reason: `filter is false: the \`when\` lines at ${locate(flow.filter.location)} do not hold for this record` };
  }

  let action: 'create' | 'update' = 'create';
  let existing: Json | undefined;
  if (flow.identify) {
    const key = await evaluator.evaluate(flow.identify.value, record, host);
    if (!key.ok) return fail(key.error);
    const target = `${flow.target.connector}.${flow.target.entity}`;
    const matches = key.value === undefined ? [] : await host.lookup(target, flow.identify.field, key.value);
    const shown = `${flow.identify.field} = ${JSON.stringify(key.value ?? null)}`;
    if (matches.length > 0) {
      existing = matches[0];
      if (flow.onExisting.action === 'skip') return { ...base, action: 'skip', reason: `existing per identify: ${target} with ${shown} exists, and on existing says skip` };
      if (flow.onExisting.when) {
        const when = await evaluator.evaluate(flow.onExisting.when, record, host);
        if (!when.ok) return fail(when.error);
        if (when.value !== true) return { ...base, action: 'skip', reason: `existing per identify (${shown}), and the \`on existing: update when\` condition is false` };
      }
      action = 'update';
    } else if (flow.onMissing === 'skip') {
      return { ...base, action: 'skip', reason: `no ${target} with ${shown} in the sample data, and on missing says skip` };
    }
  }

  const trace = traces[action];
  if (!trace) return { ...base, action: 'skip', reason: `the flow never does ${action}` };
  // The traced payload is the payload with each array element marked with the rule that made it (see element-trace.ts).
  const payload = await evaluator.evaluate(trace.fragment, record, host);
  if (!payload.ok) return fail(payload.error);
  const untagged = trace.untag(payload.value);
  const value = untagged.value ?? {};
  const why = action === 'create' ? (flow.identify ? `no existing record matched ${flow.identify.field}; on missing: create` : 'the flow has no identify, so every record is created') : `an existing record matched ${flow.identify?.field}; on existing: update`;

  let writeBack: Json | null = null;
  if (flow.writeBack) {
    const written = { ...(isObject(existing) ? existing : {}), ...(isObject(value) ? value : {}) };
    const when = flow.writeBack.when ? await evaluator.evaluate(flow.writeBack.when, record, host, { target: written }) : { ok: true as const, value: true };
    if (!when.ok) return fail(when.error);
    if (when.value === true) {
      const back = await evaluator.evaluate(flow.writeBack.payload, record, host, { target: written });
      if (!back.ok) return fail(back.error);
      writeBack = back.value ?? null;
    }
  }
  return { ...base, action, reason: why, payload: value, fields: fieldOutcomes(lineageOf(action), value, untagged.origins, record, locate), writeBack };
}

function fragmentsOf(flow: CompiledFlow): { role: string; fragment: Fragment }[] {
  const out: { role: string; fragment: Fragment }[] = [];
  if (flow.filter) out.push({ role: 'filter (when)', fragment: flow.filter });
  if (flow.identify) out.push({ role: `identify by ${flow.identify.field}`, fragment: flow.identify.value });
  if (flow.onExisting.action === 'update' && flow.onExisting.when) out.push({ role: 'on existing: update when', fragment: flow.onExisting.when });
  if (flow.payload.create) out.push({ role: 'payload (create)', fragment: flow.payload.create });
  if (flow.payload.update && flow.payload.update.jsonata !== flow.payload.create?.jsonata) out.push({ role: 'payload (update)', fragment: flow.payload.update });
  if (flow.writeBack) out.push({ role: 'write back', fragment: flow.writeBack.payload });
  return out;
}

/**
 * Every leaf of the payload with the rule that wrote it: lineage `Rows[].ArticleId` matches `Rows[3].ArticleId`,
 * and of several rules for `Rows[].UnitPrice` the one inside the rule that made `Rows[3]`.
 */
function fieldOutcomes(lineage: readonly FieldLineage[], payload: Json, origins: ReadonlyMap<string, ElementOrigin>, record: Json, locate: (l: SourceLocation) => string): FieldOutcome[] {
  const out: FieldOutcome[] = [];
  for (const leaf of leaves(payload, '', [])) {
    const generic = leaf.path.replace(/\[\d+\]/g, '[]');
    const made = leaf.elements.map((path) => origins.get(path));
    const madeBy = (element: FieldLineage['element']): boolean => !element || made.some((o) => o !== undefined && o.rule.start === element.range.start && o.rule.end === element.range.end);
    // The longest lineage path that is this path or a prefix of it (a whole object assigned at once).
    const rule = lineage
      .filter((f) => (generic === f.target || generic.startsWith(`${f.target}.`) || generic.startsWith(`${f.target}[]`)) && madeBy(f.element))
      .sort((a, b) => b.target.length - a.target.length)[0];
    // Inside `each`, `orderrows[]` is the list element an output element was made from: at its position.
    const positions = made.every((o) => o === undefined) ? leaf.indexes : made.flatMap((o) => (o?.each ? [o.position] : []));
    out.push({
      path: leaf.path,
      value: leaf.value,
      ...(rule ? { location: rule.location, where: locate(rule.location) } : {}),
      sources: (rule?.sources ?? []).map((path) => ({ path, value: readPath(record, path, positions) })),
    });
  }
  return out;
}

/** The leaves of a value, with the index and the path of every array element on the way (`Rows[3]`). */
function leaves(value: Json, path: string, indexes: number[], elements: string[] = []): { path: string; value: Json; indexes: number[]; elements: string[] }[] {
  if (Array.isArray(value)) {
    if (value.length === 0) return [{ path, value, indexes, elements }];
    return value.flatMap((item, i) => leaves(item, `${path}[${i}]`, [...indexes, i], [...elements, `${path}[${i}]`]));
  }
  if (isObject(value) && path === '') return Object.entries(value).flatMap(([k, v]) => leaves(v, k, indexes, elements));
  if (isObject(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return [{ path, value, indexes, elements }];
    return entries.flatMap(([k, v]) => leaves(v, `${path}.${k}`, indexes, elements));
  }
  return [{ path, value, indexes, elements }];
}

/**
 * A source path's value in the record. `orderrows[].price` is read at the list element the output element was
 * made from (the n-th `[]` at the n-th position given); a `[]` without a position, or a path through an array
 * without `[]`, reads that field of every element.
 */
function readPath(record: Json, path: string, positions: readonly number[]): Json | undefined {
  let current: Json | undefined = record;
  let depth = 0;
  for (const step of path.split('.')) {
    const each = step.endsWith('[]');
    const name = each ? step.slice(0, -2) : step;
    current = field(current, name);
    if (each && Array.isArray(current)) {
      const position: number | undefined = positions[depth++];
      if (position !== undefined) current = current[position];
    }
  }
  return current ?? undefined;
}

/** A field of a record, or of every element of a list (absent ones left out). */
function field(value: Json | undefined, name: string): Json | undefined {
  if (Array.isArray(value)) return value.map((v) => field(v, name)).filter((v): v is Json => v !== undefined);
  return isObject(value) ? value[name] : undefined;
}

function isObject(value: unknown): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
