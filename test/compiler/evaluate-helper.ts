import jsonata from 'jsonata';
import type { CompiledFlow, Fragment, Json } from '../../compiler/artifact.js';
import { stdlibBindings } from '../../compiler/stdlib/index.js';

/**
 * Evaluates compiled fragments the way the artifact contract says (records and settings normalised by dropping
 * nulls; `$settings`, `$tables`, the standard library and lookups bound), over in-memory lookup data, so the
 * compiler's output can be checked without the runtime.
 */
export interface LookupData {
  readonly [entity: string]: readonly Record<string, Json>[];
}

export interface Recorded {
  readonly upserts: { entity: string; key: string; value: Json; payload: Json; updatePayload?: Json }[];
}

export function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, dropNulls(v)]));
  }
  return value;
}

export async function evaluate(
  flow: CompiledFlow,
  fragment: Fragment,
  record: unknown,
  data: LookupData = {},
  overrides: Record<string, Json> = {},
  recorded: Recorded = { upserts: [] },
): Promise<unknown> {
  const settings = Object.fromEntries(Object.entries(flow.settings).map(([name, s]) => [name, s.value]));
  const find = (optional: boolean) => (entity: string, key: string, value: unknown) => {
    if (value === undefined) throw new Error(`find ${entity} by ${key}: the key is absent`);
    const matches = (data[entity] ?? []).filter((r) => r[key] === value);
    if (matches.length === 1) return dropNulls(matches[0]);
    if (matches.length === 0 && optional) return undefined;
    throw new Error(`find ${entity} by ${key} = ${JSON.stringify(value)}: ${matches.length} records match`);
  };
  const bindings = {
    ...stdlibBindings,
    settings: dropNulls({ ...settings, ...overrides }),
    tables: flow.tables,
    find: find(false),
    findOptional: find(true),
    upsert: (entity: string, key: string, value: Json, payload: Json, updatePayload?: Json) => {
      recorded.upserts.push({ entity, key, value, payload, ...(updatePayload !== undefined ? { updatePayload } : {}) });
      const existing = (data[entity] ?? []).find((r) => r[key] === value);
      return { ...(existing ?? { Id: `new-${entity}-${String(value)}` }), ...((existing ? (updatePayload ?? payload) : payload) as object) };
    },
  };
  return jsonata(fragment.jsonata).evaluate(dropNulls(record), bindings);
}
