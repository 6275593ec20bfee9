import { ccvSeed } from '../../connectors/ccvshop/sandbox/seed.js';
import { eaccountingSeed } from '../../connectors/eaccounting/sandbox/seed.js';
import { buildSeedPlan } from '../../connectors/sandbox/seed-plan.js';
import type { EntityRecords, SandboxRecord } from '../../connectors/sandbox/store.js';
import { connectors } from '../../connectors/registry.js';

/**
 * The playground's sample data set, generated from the sandboxes' own seed code at build time (never copied by
 * hand), so a flow tried in the browser sees the records `mapline demo` syncs. Fixed seed and anchor: the
 * bundle is reproducible and the samples do not change from day to day.
 */
export const SAMPLE_SEED = 'mapline-playground';
export const SAMPLE_ANCHOR = '2026-01-15T00:00:00.000Z';

export interface SampleSet {
  readonly seed: string;
  readonly anchor: string;
  /** Records by `connector.entity`, child collections attached as arrays (as the runtime loads them). */
  readonly entities: Record<string, SandboxRecord[]>;
}

export function buildSamples(): SampleSet {
  const plan = buildSeedPlan({ seed: SAMPLE_SEED, anchor: SAMPLE_ANCHOR });
  const seeds: Record<string, EntityRecords> = { ccvshop: ccvSeed(plan), eaccounting: eaccountingSeed(plan) };
  const entities: Record<string, SandboxRecord[]> = {};
  for (const [connector, records] of Object.entries(seeds)) {
    const definition = connectors[connector];
    for (const [entity, list] of Object.entries(records)) {
      const children = definition?.entities[entity]?.children ?? {};
      entities[`${connector}.${entity}`] = list.map((record) => withChildren(record, children, records));
    }
  }
  return { seed: SAMPLE_SEED, anchor: SAMPLE_ANCHOR, entities };
}

/** Attaches child collections (a CCV order's `orderrows`) the way the runtime does before any fragment runs. */
function withChildren(record: SandboxRecord, children: Readonly<Record<string, { entity: string }>>, all: EntityRecords): SandboxRecord {
  const entries = Object.entries(children);
  if (entries.length === 0) return record;
  const out: SandboxRecord = { ...record };
  for (const [field, child] of entries) {
    const list = all[child.entity] ?? [];
    out[field] = list.filter((row) => parentKeyMatches(row, record.id));
  }
  return out;
}

/** A child row points at its parent through a `<parent>_id` field (`order_id`, `product_id`). */
function parentKeyMatches(row: SandboxRecord, parentId: unknown): boolean {
  return Object.entries(row).some(([key, value]) => key !== 'id' && key.endsWith('_id') && value === parentId);
}
