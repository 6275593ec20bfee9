/** A record as stored: plain JSON. */
export type SandboxRecord = Record<string, unknown>;

/** Records per entity name, as seeds and `--data` files provide them. */
export type EntityRecords = Record<string, SandboxRecord[]>;

export interface CreatedRecord {
  readonly entity: string;
  readonly id: string;
  readonly record: SandboxRecord;
}

/**
 * In-memory records per entity, in insertion order, keyed by id. Remembers its initial contents so `reset()`
 * restores the seeded state, and which records were created through the API (the control API lists them).
 */
export class RecordStore {
  private readonly entities = new Map<string, Map<string, SandboxRecord>>();
  private readonly createdKeys: { entity: string; id: string }[] = [];
  private readonly counters = new Map<string, number>();
  private initial: EntityRecords;

  constructor(
    initial: EntityRecords,
    private readonly idFieldOf: (entity: string) => string,
  ) {
    this.initial = structuredClone(initial);
    this.load(initial);
  }

  list(entity: string): SandboxRecord[] {
    return [...(this.entities.get(entity)?.values() ?? [])];
  }

  get(entity: string, id: string | number): SandboxRecord | undefined {
    return this.entities.get(entity)?.get(String(id));
  }

  /** Adds or replaces a record by its id. `created` marks records made through the API. */
  put(entity: string, record: SandboxRecord, options: { created?: boolean } = {}): SandboxRecord {
    const id = record[this.idFieldOf(entity)];
    if (id === undefined || id === null) throw new Error(`${entity} record has no ${this.idFieldOf(entity)}`);
    this.table(entity).set(String(id), record);
    if (options.created) this.createdKeys.push({ entity, id: String(id) });
    return record;
  }

  delete(entity: string, id: string | number): boolean {
    return this.entities.get(entity)?.delete(String(id)) ?? false;
  }

  counts(): Record<string, number> {
    return Object.fromEntries([...this.entities].map(([name, table]) => [name, table.size]));
  }

  entityNames(): string[] {
    return [...this.entities.keys()];
  }

  /** Records created through the API since the last reset, as they are now (deleted ones are left out). */
  created(): CreatedRecord[] {
    const out: CreatedRecord[] = [];
    for (const key of this.createdKeys) {
      const record = this.get(key.entity, key.id);
      if (record) out.push({ ...key, record });
    }
    return out;
  }

  /** Next value of a named sequence (ids, order numbers), starting after `floor` or after the highest seen. */
  next(counter: string, floor: number): number {
    const value = Math.max(this.counters.get(counter) ?? floor, floor) + 1;
    this.counters.set(counter, value);
    return value;
  }

  /** Makes the current contents the state `reset()` returns to. */
  snapshot(): void {
    this.initial = Object.fromEntries([...this.entities].map(([name, table]) => [name, structuredClone([...table.values()])]));
    this.createdKeys.length = 0;
  }

  reset(): void {
    this.entities.clear();
    this.createdKeys.length = 0;
    this.counters.clear();
    this.load(structuredClone(this.initial));
  }

  private load(records: EntityRecords): void {
    for (const [entity, list] of Object.entries(records)) {
      this.table(entity);
      for (const record of list) this.put(entity, record);
    }
  }

  private table(entity: string): Map<string, SandboxRecord> {
    let table = this.entities.get(entity);
    if (!table) {
      table = new Map();
      this.entities.set(entity, table);
    }
    return table;
  }
}
