import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import type { CompiledFlow, Fragment, Json } from '../../../compiler/artifact.js';
import { deref, itemsOf, jsonTypesOf, propertiesOf, schemaNode, type SchemaNode } from '../../../compiler/schema-node.js';
import { stdlibBindings } from '../../../compiler/stdlib/index.js';
import { requireEntity } from '../../../connectors/registry.js';
import { FlowEvaluator, type Backend, type Evaluation, type EvaluationError } from '../../../runtime/evaluate/evaluator.js';
import type { LookupHost } from '../../../runtime/evaluate/lookup-host.js';
import { toJson } from '../../../runtime/evaluate/normalise.js';

/**
 * The differential test's machinery: records made up from a flow's source schema, lookup data to go with them,
 * a host over that data, and one evaluation of every fragment of a flow under each backend, compared.
 */

/** Strings worth meeting: lookup keys that match, one that matches twice, empty, spaces, non-BMP characters. */
const commonStrings = ['SKU-1', 'SKU-2', 'DUP', 'VERZEND', 'KORTING', 'a@b.nl', '', ' x  y ', '1042', '12.50', 'Ünïcode', '😀 emoji 𝄞', 'NL', 'BE', 'shipping'];
const commonNumbers = [0, -0, 1, -1, 2, 0.5, 1.005, 2.675, -1.005, 21, 9, 100.445, 1e21, 123456789.123, 7];

/** Every string a flow mentions as a setting, a table key or value: the values its rules compare with. */
export function stringsOf(flow: CompiledFlow): string[] {
  const found = new Set<string>(commonStrings);
  const add = (value: unknown): void => {
    if (typeof value === 'string') found.add(value);
    else if (Array.isArray(value)) value.forEach(add);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(add);
  };
  for (const spec of Object.values(flow.settings)) add(spec.value);
  for (const table of Object.values(flow.tables)) for (const entry of table.entries) add([entry.key, entry.value]);
  return [...found];
}

/** A value of the wrong kind now and then, so the backends meet type errors too. */
const stray: fc.Arbitrary<Json> = fc.oneof(fc.string({ maxLength: 6 }), fc.integer({ min: -5, max: 5 }), fc.boolean(), fc.constant<Json>([]), fc.constant<Json>({}), fc.constant<Json>([1, 'a']));

/** Records as the schema allows them: every field present, null or absent; sometimes of another type. */
export function valueFor(node: SchemaNode, strings: readonly string[], depth = 0): fc.Arbitrary<Json> {
  const resolved = deref(node);
  const types = jsonTypesOf(resolved);
  const enumValues = resolved.schema.enum as Json[] | undefined;
  const text = fc.oneof({ arbitrary: fc.constantFrom(...strings), weight: 3 }, { arbitrary: fc.string({ maxLength: 10, unit: 'grapheme' }), weight: 1 });
  const number = fc.oneof(
    { arbitrary: fc.constantFrom(...commonNumbers), weight: 2 },
    { arbitrary: fc.integer({ min: -1000, max: 1000 }), weight: 2 },
    { arbitrary: fc.double({ min: -1e6, max: 1e6, noNaN: true }), weight: 1 },
  );
  const options: fc.Arbitrary<Json>[] = [];
  if (enumValues && enumValues.length > 0) options.push(fc.constantFrom(...enumValues));
  else {
    if (types.has('string') || types.size === 0) options.push(text);
    if (types.has('number') || types.has('integer')) options.push(number);
    if (types.has('boolean')) options.push(fc.boolean());
    if (types.has('array') && depth < 4) {
      const items = itemsOf(resolved);
      options.push(fc.array(items ? valueFor(items, strings, depth + 1) : text, { maxLength: 3 }));
    }
    if (types.has('object') && depth < 4) options.push(objectFor(resolved, strings, depth + 1));
  }
  if (options.length === 0) options.push(text);
  return fc.oneof({ arbitrary: fc.oneof(...options), weight: 12 }, { arbitrary: fc.constant(null), weight: 2 }, { arbitrary: stray, weight: 1 });
}

export function objectFor(node: SchemaNode, strings: readonly string[], depth = 0): fc.Arbitrary<{ [key: string]: Json }> {
  const fields: Record<string, fc.Arbitrary<Json>> = {};
  for (const [name, field] of propertiesOf(node)) fields[name] = valueFor(field, strings, depth);
  return fc.record(fields, { requiredKeys: [] }) as fc.Arbitrary<{ [key: string]: Json }>;
}

/** A source record of the flow with its child collections attached, as the engine hands it over. */
export function sourceRecordFor(flow: CompiledFlow, strings: readonly string[]): fc.Arbitrary<Json> {
  const entity = requireEntity(`${flow.source.connector}.${flow.source.entity}`);
  const children: Record<string, fc.Arbitrary<Json>> = {};
  for (const child of flow.plan.source.children) {
    const spec = entity.children?.[child];
    if (!spec) continue;
    const childEntity = requireEntity(`${flow.source.connector}.${spec.entity}`);
    children[child] = fc.array(objectFor(schemaNode(childEntity.schemas.read), strings, 1), { maxLength: 4 });
  }
  return fc
    .tuple(objectFor(schemaNode(entity.schemas.read), strings), fc.record(children))
    .map(([record, attached]) => ({ ...record, ...attached }));
}

/** A record of the flow's target entity (what `$target` is in a write-back). */
export function targetRecordFor(flow: CompiledFlow, strings: readonly string[]): fc.Arbitrary<Json> {
  return objectFor(schemaNode(requireEntity(`${flow.target.connector}.${flow.target.entity}`).schemas.read), strings);
}

/** Settings as a config may override them: the defaults, or values of the same kinds. */
export function settingsFor(flow: CompiledFlow, strings: readonly string[]): fc.Arbitrary<Record<string, Json>> {
  const fields: Record<string, fc.Arbitrary<Json>> = {};
  for (const [name, spec] of Object.entries(flow.settings)) {
    const same: fc.Arbitrary<Json> =
      spec.type === 'string' ? fc.constantFrom(...strings)
      : spec.type === 'number' ? fc.constantFrom(...commonNumbers)
      : spec.type === 'boolean' ? fc.boolean()
      : spec.type === 'array' ? fc.subarray([1, 2, 5, 6, 7, 'NL', 'BE', 'DE'])
      : spec.type === 'null' ? fc.oneof(fc.constant(null), fc.constantFrom(...strings), fc.integer({ min: 0, max: 9 }))
      : fc.constant(spec.value);
    fields[name] = fc.oneof({ arbitrary: fc.constant(spec.value), weight: 2 }, { arbitrary: same, weight: 1 });
  }
  return fc.record(fields);
}

export type LookupData = Record<string, Json[]>;

/** Records for every entity the flow looks up or upserts, keyed by values from `strings` (one of them twice). */
export function lookupDataFor(flow: CompiledFlow, strings: readonly string[]): LookupData {
  const data: LookupData = {};
  const keyed = [...flow.plan.lookups.map((l) => [l.entity, l.key] as const), ...flow.plan.upserts.map((u) => [u.entity, u.key] as const)];
  for (const [entity, key] of keyed) {
    const label = `${entity.connector}.${entity.entity}`;
    const records = (data[label] ??= []);
    strings.forEach((value, i) => {
      // Every other value is there, so a lookup finds one, none, or (for DUP) two.
      if (i % 2 === 0 || value === 'DUP') records.push({ Id: `${label}-${i}`, [key]: value, Extra: null, Number: value, Name: `name ${i}` });
    });
    records.push({ Id: `${label}-dup`, [key]: 'DUP', Number: 'DUP' });
    records.push({ Id: `${label}-num`, [key]: 1042, Number: 1042 });
  }
  return data;
}

export interface RecordingHost extends LookupHost {
  readonly calls: Json[];
}

/** A host over `data`: answers at once (`lookupNow`) when `synchronous`, else only as promises. */
export function memoryHost(data: LookupData, synchronous: boolean): RecordingHost {
  const calls: Json[] = [];
  const matches = (entity: string, key: string, value: Json): Json[] =>
    (data[entity] ?? []).filter((r) => r !== null && typeof r === 'object' && !Array.isArray(r) && isDeepStrictEqual(r[key], value));
  const upserted = (entity: string, key: string, value: Json, payload: Json, updatePayload?: Json): Json => {
    calls.push(toJson({ entity, key, value, payload, updatePayload }) ?? null);
    const [existing] = matches(entity, key, value);
    const base = (existing ?? { Id: `new-${JSON.stringify(value)}`, Extra: null }) as Record<string, Json>;
    const change = (existing ? (updatePayload ?? payload) : payload) as Record<string, Json>;
    return { ...base, ...(change !== null && typeof change === 'object' ? change : {}) };
  };
  const host: RecordingHost = {
    calls,
    async lookup(entity, key, value) {
      return matches(entity, key, value);
    },
    async upsert(entity, key, value, payload, updatePayload) {
      return upserted(entity, key, value, payload, updatePayload);
    },
  };
  if (synchronous) {
    return Object.assign(host, {
      lookupNow: (entity: string, key: string, value: Json) => matches(entity, key, value),
      upsertNow: (entity: string, key: string, value: Json, payload: Json, updatePayload?: Json) => upserted(entity, key, value, payload, updatePayload),
    });
  }
  return host;
}

/** The fragments of a flow, by role, and whether `$target` is bound for them. */
export function fragmentsOf(flow: CompiledFlow): { role: string; fragment: Fragment; withTarget: boolean }[] {
  const all: { role: string; fragment: Fragment | null | undefined; withTarget: boolean }[] = [
    { role: 'filter', fragment: flow.filter, withTarget: false },
    { role: 'identify', fragment: flow.identify?.value, withTarget: false },
    { role: 'update when', fragment: flow.onExisting.action === 'update' ? flow.onExisting.when : null, withTarget: false },
    { role: 'create payload', fragment: flow.payload.create, withTarget: false },
    { role: 'update payload', fragment: flow.payload.update, withTarget: false },
    { role: 'write-back payload', fragment: flow.writeBack?.payload, withTarget: true },
    { role: 'write-back when', fragment: flow.writeBack?.when, withTarget: true },
  ];
  return all.filter((f): f is { role: string; fragment: Fragment; withTarget: boolean } => f.fragment !== null && f.fragment !== undefined);
}

export function evaluatorsFor(flow: CompiledFlow, settings: Record<string, Json>): Record<Backend, FlowEvaluator> {
  const make = (backend: Backend): FlowEvaluator => new FlowEvaluator({ settings, tables: flow.tables, stdlib: stdlibBindings, backend });
  return { jsonata: make('jsonata'), js: make('js'), auto: make('auto') };
}

/** Tallies of what the comparisons saw, for the report. */
export interface Tally {
  evaluations: number;
  bothOk: number;
  bothFailed: number;
}

/**
 * Evaluates one fragment on one record under the three backends and returns what differs (empty when nothing):
 * the strict JavaScript backend must succeed exactly when JSONata does, with the same value and the same upsert
 * calls; the default (`auto`) must give exactly JSONata's evaluation, errors and their places included.
 */
export async function compareOnce(
  evaluators: Record<Backend, FlowEvaluator>,
  fragment: Fragment,
  record: Json,
  data: LookupData,
  synchronous: boolean,
  extra: Record<string, Json>,
  tally: Tally,
): Promise<string[]> {
  const run = async (backend: Backend): Promise<{ result: Evaluation; calls: Json[] }> => {
    const host = memoryHost(data, synchronous);
    const result = await evaluators[backend].evaluate(fragment, record, host, extra);
    return { result, calls: host.calls };
  };
  const jsonata = await run('jsonata');
  const js = await run('js');
  const auto = await run('auto');
  tally.evaluations++;
  const problems: string[] = [];
  if (jsonata.result.ok !== js.result.ok) {
    problems.push(`JSONata ${jsonata.result.ok ? 'succeeded' : 'failed'}, the JS backend ${js.result.ok ? 'succeeded' : 'failed'}: ${show(jsonata.result)} / ${show(js.result)}`);
  } else if (jsonata.result.ok && js.result.ok) {
    tally.bothOk++;
    if (!isDeepStrictEqual(jsonata.result.value, js.result.value)) problems.push(`values differ: ${show(jsonata.result)} / ${show(js.result)}`);
    if (!isDeepStrictEqual(jsonata.calls, js.calls)) problems.push(`upsert calls differ: ${JSON.stringify(jsonata.calls)} / ${JSON.stringify(js.calls)}`);
  } else if (!jsonata.result.ok && !js.result.ok) {
    tally.bothFailed++;
    // The JS backend's own error must be JSONata's: the same code, at the same `.map` place.
    const failure = (e: EvaluationError) => ({ code: e.code, where: e.where });
    if (!isDeepStrictEqual(failure(jsonata.result.error), failure(js.result.error))) problems.push(`errors differ: ${show(jsonata.result)} / ${show(js.result)}`);
  }
  if (!isDeepStrictEqual(jsonata.result, auto.result)) problems.push(`auto differs from JSONata: ${show(jsonata.result)} / ${show(auto.result)}`);
  return problems;
}

function show(result: Evaluation): string {
  return result.ok ? `value ${JSON.stringify(result.value)?.slice(0, 400)}` : `error ${result.error.code} ${result.error.message}`;
}
