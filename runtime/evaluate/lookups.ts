import type { Json, LOOKUP_FUNCTIONS } from '../../compiler/artifact.js';
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

/** The one record a find yields from the matches: more than one is an error, none is one unless optional. */
function pickMatch(matches: readonly Json[], entity: string, key: string, value: Json, optional: boolean): Json | undefined {
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

async function findMatches(host: LookupHost, entity: string, key: string, value: Json, optional: boolean): Promise<Json | undefined> {
  return pickMatch(await host.lookup(entity, key, value), entity, key, value, optional);
}

export type LookupFunction = (typeof LOOKUP_FUNCTIONS)[number];

/**
 * The JSONata bindings named in `LOOKUP_FUNCTIONS`, over a host. They throw `LookupError`; the evaluator turns
 * that into an error value naming the `.map` place of the lookup.
 */
export function lookupBindings(host: LookupHost): Record<LookupFunction, (...args: unknown[]) => Promise<Json | undefined>> {
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

/** What `lookupNow` gives when the host cannot answer without waiting. */
export const NOT_NOW: unique symbol = Symbol('not now');

/**
 * The same three functions, answered without waiting when the host can (`lookupNow`/`upsertNow`): the result,
 * or `NOT_NOW` when only the binding of `lookupBindings` can tell (then the caller awaits that one instead).
 * Same checks, same errors.
 */
export function lookupNow(host: LookupHost, name: LookupFunction, args: readonly unknown[]): Json | undefined | typeof NOT_NOW {
  const [entityArg, keyArg, value, payload, updatePayload] = args;
  const entity = String(entityArg);
  const key = String(keyArg);
  if (name === 'upsert') {
    const keyValue = checkKey(entity, key, value);
    if (!host.upsertNow) return NOT_NOW;
    const record = host.upsertNow(entity, key, keyValue, (payload ?? {}) as Json, updatePayload === undefined ? undefined : (updatePayload as Json));
    return record === undefined ? NOT_NOW : dropNulls(record);
  }
  const optional = name === 'findOptional';
  if (optional && (value === undefined || value === null)) return undefined;
  const keyValue = optional ? (value as Json) : checkKey(entity, key, value);
  const matches = host.lookupNow?.(entity, key, keyValue);
  return matches === undefined ? NOT_NOW : pickMatch(matches, entity, key, keyValue, optional);
}
