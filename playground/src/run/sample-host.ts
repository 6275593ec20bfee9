import type { Json } from '../../../compiler/artifact.js';
import { requireEntity } from '../../../connectors/registry.js';
import { placeholderFor, type LookupHost } from '../../../runtime/evaluate/index.js';

/** What an upsert in a playground run would have done to the target system. */
export interface UpsertEffect {
  readonly entity: string;
  readonly key: string;
  readonly value: Json;
  readonly action: 'create' | 'update';
  readonly payload: Json;
}

/**
 * Answers `$find`/`$upsert` from the sample data set (the sandboxes' seed records) instead of a live system.
 * Upserts are not stored: each run starts from the same data, and the effects are listed for the user.
 */
export class SampleLookupHost implements LookupHost {
  readonly upserts: UpsertEffect[] = [];

  constructor(private readonly entities: Readonly<Record<string, readonly Json[]>>) {}

  async lookup(entity: string, key: string, value: Json): Promise<readonly Json[]> {
    return this.matching(entity, key, value);
  }

  async upsert(entity: string, key: string, value: Json, payload: Json, updatePayload?: Json): Promise<Json> {
    const [existing] = this.matching(entity, key, value);
    const fields = isObject(payload) ? payload : {};
    if (existing !== undefined && isObject(existing)) {
      const update = updatePayload ?? payload;
      this.upserts.push({ entity, key, value, action: 'update', payload: update });
      return { ...existing, ...(isObject(update) ? update : {}) };
    }
    this.upserts.push({ entity, key, value, action: 'create', payload });
    // A created record has no id yet: it gets the same placeholder a dry run and `mapline test` show.
    return { ...fields, [requireEntity(entity).idField]: placeholderFor(entity, key, value) };
  }

  private matching(entity: string, key: string, value: Json): Json[] {
    const records = this.entities[entity] ?? [];
    return records.filter((record) => isObject(record) && equalKeys(record[key], value));
  }
}

function isObject(value: unknown): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Keys compare as the runtime compares them: same JSON value, a number and its digits counting as equal. */
function equalKeys(a: Json | undefined, b: Json): boolean {
  if (a === undefined || a === null) return false;
  if (typeof a === typeof b) return a === b;
  return String(a) === String(b);
}
