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
 *
 * Records are treated as immutable values: a change stores a new object (`put`), never edits one in place.
 * That lets the initial state share its objects with the live one, so big seeds start and reset without a
 * deep copy.
 */
export class RecordStore {
  private readonly entities = new Map<string, Map<string, SandboxRecord>>();
  private readonly createdKeys: { entity: string; id: string }[] = [];
  private readonly highestIds = new Map<string, number>();
  private changes = 0;
  private initial: EntityRecords;

  constructor(
    initial: EntityRecords,
    private readonly idFieldOf: (entity: string) => string,
  ) {
    this.initial = copyLists(initial);
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
    if (typeof id === 'number' && id > (this.highestIds.get(entity) ?? 0)) this.highestIds.set(entity, id);
    if (options.created) this.createdKeys.push({ entity, id: String(id) });
    this.changes++;
    return record;
  }

  delete(entity: string, id: string | number): boolean {
    this.changes++;
    return this.entities.get(entity)?.delete(String(id)) ?? false;
  }

  /** Grows with every change, so callers can cache derived indexes until the next one. */
  get version(): number {
    return this.changes;
  }

  /** Next integer id for an entity with numeric ids: one past the highest ever stored, at least `floor + 1`. */
  nextNumericId(entity: string, floor: number): number {
    return Math.max(this.highestIds.get(entity) ?? 0, floor) + 1;
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

  /** Makes the current contents the state `reset()` returns to. */
  snapshot(): void {
    this.initial = Object.fromEntries([...this.entities].map(([name, table]) => [name, [...table.values()]]));
    this.createdKeys.length = 0;
  }

  reset(): void {
    this.entities.clear();
    this.createdKeys.length = 0;
    this.highestIds.clear();
    this.changes++;
    this.load(this.initial);
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

function copyLists(records: EntityRecords): EntityRecords {
  return Object.fromEntries(Object.entries(records).map(([entity, list]) => [entity, [...list]]));
}
