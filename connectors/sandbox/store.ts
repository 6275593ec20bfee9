/** A record as stored: plain JSON. */
export type SandboxRecord = Record<string, unknown>;

/** Records per entity name, as seeds and `--data` files provide them. */
export type EntityRecords = Record<string, SandboxRecord[]>;

/** One write through `put` or `delete`: `before` absent for a new record, `after` absent for a deletion. */
export interface RecordChange {
  readonly entity: string;
  readonly id: string;
  readonly before?: SandboxRecord;
  readonly after?: SandboxRecord;
}

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
  private readonly listeners: ((change: RecordChange) => void)[] = [];

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
    const before = this.write(entity, record, options);
    this.notify({ entity, id: String(record[this.idFieldOf(entity)]), ...(before ? { before } : {}), after: record });
    return record;
  }

  delete(entity: string, id: string | number): boolean {
    this.changes++;
    const before = this.get(entity, id);
    if (!before) return false;
    this.entities.get(entity)?.delete(String(id));
    this.notify({ entity, id: String(id), before });
    return true;
  }

  /**
   * Calls `listener` after every `put` and `delete` (not while loading or resetting), so a sandbox can derive
   * what a real system does on a change, such as calling its webhooks.
   */
  onChange(listener: (change: RecordChange) => void): void {
    this.listeners.push(listener);
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
      for (const record of list) this.write(entity, record, {});
    }
  }

  /** Stores the record; returns the one it replaced. */
  private write(entity: string, record: SandboxRecord, options: { created?: boolean }): SandboxRecord | undefined {
    const id = record[this.idFieldOf(entity)];
    if (id === undefined || id === null) throw new Error(`${entity} record has no ${this.idFieldOf(entity)}`);
    const table = this.table(entity);
    const before = table.get(String(id));
    table.set(String(id), record);
    if (typeof id === 'number' && id > (this.highestIds.get(entity) ?? 0)) this.highestIds.set(entity, id);
    if (options.created) this.createdKeys.push({ entity, id: String(id) });
    this.changes++;
    return before;
  }

  private notify(change: RecordChange): void {
    for (const listener of this.listeners) listener(change);
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
