import type { Json } from '../../compiler/artifact.js';

/** How a source record settled a target record in this run. */
export type SettledHow = 'created' | 'updated' | 'unchanged' | 'would create' | 'would update';

export interface Settler {
  /** The source record that settled the target. */
  readonly sourceId: string;
  readonly how: SettledHow;
  /** For upserts: the record the upsert answered, so a later record gets the same answer without a call. */
  readonly record?: Json;
}

/**
 * Which source record settled each target record in this run, so a target is written at most once per run even
 * when many source records name it (a customer with 166 orders). Keys are the flow's identify key value and the
 * target id (`key:...`, `id:...`), or an upsert's entity, key and value. Only the settler is kept (its id, and
 * for upserts the record the run already holds in its lookup cache), so memory follows the number of distinct
 * targets, not of source records.
 */
export class RunSettlements {
  private readonly settled = new Map<string, Settler>();

  get(key: string): Settler | undefined {
    return this.settled.get(key);
  }

  settle(keys: readonly string[], settler: Settler): void {
    for (const key of keys) this.settled.set(key, settler);
  }
}
