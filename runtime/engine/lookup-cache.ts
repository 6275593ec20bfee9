import type { Json } from '../../compiler/artifact.js';
import type { ConnectorClient } from './ports.js';

type JsonObject = { [key: string]: Json };

/**
 * Records of looked-up entities, read in bulk once per run and indexed by the key fields the flow matches on,
 * so a thousand orders cost one paged read of the articles instead of a thousand searches. The run's own writes
 * (an upserted customer) are put back in, so a later record finds what an earlier one created.
 */
export class LookupCache {
  private readonly entities = new Map<string, CachedEntity>();

  constructor(
    private readonly clientFor: (connector: string) => ConnectorClient,
    private readonly idFieldOf: (entity: string) => string,
  ) {}

  /** Reads every page of `entity` (`connector.entity`) unless it was read already this run. */
  async prefetch(entity: string): Promise<void> {
    if (this.entities.has(entity)) return;
    const [connector, name] = splitEntity(entity);
    const records = await this.clientFor(connector).list(name);
    this.entities.set(entity, new CachedEntity(this.idFieldOf(entity), records.filter(isObject)));
  }

  has(entity: string): boolean {
    return this.entities.has(entity);
  }

  /**
   * The cached records whose `key` equals `value` (compared as text: an article number `1001` matches `"1001"`),
   * or undefined when the entity was not prefetched.
   */
  find(entity: string, key: string, value: Json): Json[] | undefined {
    return this.entities.get(entity)?.find(key, value);
  }

  /** A record this run created or updated replaces its older copy. */
  remember(entity: string, record: Json): void {
    if (isObject(record)) this.entities.get(entity)?.put(record);
  }
}

class CachedEntity {
  private readonly byId = new Map<string, JsonObject>();
  private readonly indexes = new Map<string, Map<string, JsonObject[]>>();

  constructor(
    private readonly idField: string,
    records: JsonObject[],
  ) {
    for (const record of records) this.byId.set(String(record[idField]), record);
  }

  find(key: string, value: Json): Json[] {
    return [...(this.index(key).get(keyText(value)) ?? [])];
  }

  put(record: JsonObject): void {
    const id = String(record[this.idField]);
    const old = this.byId.get(id);
    this.byId.set(id, record);
    for (const [key, index] of this.indexes) {
      if (old) removeFrom(index, keyText(old[key] ?? null), old);
      addTo(index, keyText(record[key] ?? null), record);
    }
  }

  private index(key: string): Map<string, JsonObject[]> {
    let index = this.indexes.get(key);
    if (!index) {
      index = new Map();
      for (const record of this.byId.values()) addTo(index, keyText(record[key] ?? null), record);
      this.indexes.set(key, index);
    }
    return index;
  }
}

/** A key value as text, for link keys and for matching linked children: absent or null is no key. */
export function keyValueText(value: Json | undefined): string | null {
  if (value === undefined || value === null) return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function keyText(value: Json): string {
  return value !== null && typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function addTo(index: Map<string, JsonObject[]>, key: string, record: JsonObject): void {
  if (key === 'null' || key === 'undefined') return;
  const list = index.get(key);
  if (list) list.push(record);
  else index.set(key, [record]);
}

function removeFrom(index: Map<string, JsonObject[]>, key: string, record: JsonObject): void {
  const list = index.get(key);
  if (!list) return;
  const at = list.indexOf(record);
  if (at >= 0) list.splice(at, 1);
  if (list.length === 0) index.delete(key);
}

export function isObject(value: Json | undefined): value is JsonObject {
  return value !== null && value !== undefined && typeof value === 'object' && !Array.isArray(value);
}

/** `eaccounting.articles` -> [`eaccounting`, `articles`]. */
export function splitEntity(entity: string): [string, string] {
  const dot = entity.indexOf('.');
  return [entity.slice(0, dot), entity.slice(dot + 1)];
}
