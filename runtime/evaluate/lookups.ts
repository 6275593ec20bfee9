import type { Json } from '../../compiler/artifact.js';
import { dropNulls } from './normalise.js';
import { LookupError, type LookupHost } from './lookup-host.js';

/** Renders a key value the way a person recognises it in a message: `"SKU-1"`, `42`. */
export function showValue(value: Json | undefined): string {
  return value === undefined ? 'absent' : JSON.stringify(value);
}

function checkKey(entity: string, key: string, value: unknown): Json {
  if (value === undefined || value === null) {
    throw new LookupError(`cannot look up ${entity} by ${key}: the key value is absent`, entity, key, undefined, 'absent-key');
  }
  return value as Json;
}

async function findMatches(host: LookupHost, entity: string, key: string, value: Json, optional: boolean): Promise<Json | undefined> {
  const matches = await host.lookup(entity, key, value);
  if (matches.length > 1) {
    throw new LookupError(`${matches.length} ${entity} have ${key} = ${showValue(value)}; expected one`, entity, key, value, 'ambiguous');
  }
  const [match] = matches;
  if (match === undefined) {
    if (optional) return undefined;
    throw new LookupError(`no ${entity} with ${key} = ${showValue(value)}`, entity, key, value, 'missing');
  }
  return dropNulls(match);
}

/**
 * The JSONata bindings named in `LOOKUP_FUNCTIONS`, over a host. They throw `LookupError`; the evaluator turns
 * that into an error value naming the `.map` place of the lookup.
 */
export function lookupBindings(host: LookupHost): Record<'find' | 'findOptional' | 'upsert', (...args: unknown[]) => Promise<Json | undefined>> {
  return {
    find: async (entity, key, value) => findMatches(host, String(entity), String(key), checkKey(String(entity), String(key), value), false),
    findOptional: async (entity, key, value) =>
      // `find?` with an absent key is a miss, not an error: the optional lookup says "maybe there is none".
      value === undefined || value === null ? undefined : findMatches(host, String(entity), String(key), value as Json, true),
    upsert: async (entity, key, value, payload, updatePayload) =>
      dropNulls(
        await host.upsert(
          String(entity),
          String(key),
          checkKey(String(entity), String(key), value),
          (payload ?? {}) as Json,
          updatePayload === undefined ? undefined : (updatePayload as Json),
        ),
      ),
  };
}
