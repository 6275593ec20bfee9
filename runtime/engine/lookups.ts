import type { Json } from '../../compiler/artifact.js';
import type { LookupHost } from '../evaluate/lookup-host.js';
import { showValue } from '../evaluate/lookups.js';
import { placeholderFor } from '../evaluate/placeholder.js';
import { holds } from './compare.js';
import { contentHash } from './hash.js';
import { isObject, splitEntity, type LookupCache } from './lookup-cache.js';
import type { ConnectorClient } from './ports.js';
import type { UpsertOutcome } from './types.js';
import { RecordFailure } from './types.js';
import type { TargetWriter } from './writer.js';
import type { StateStore } from '../state/store.js';
import type { RunSettlements, SettledHow } from './settlements.js';

/** Finds records for lookups: from the run's prefetched cache, else by a search (remembered for the run). */
export class LookupResolver {
  private readonly searched = new Map<string, Json[]>();
  /** Entities read in bulk at their first lookup (lazily: a run where every record is skipped reads none). */
  private readonly bulk = new Set<string>();

  constructor(
    private readonly cache: LookupCache,
    private readonly clientFor: (connector: string) => ConnectorClient,
    /** Whether the API can search `entity` by `key`; when it cannot, the entity is read in bulk instead. */
    private readonly canSearch: (entity: string, key: string) => boolean = () => true,
  ) {}

  /** Lookups of `entity` are answered from one bulk read of it, done at the first lookup. */
  readInBulk(entity: string): void {
    this.bulk.add(entity);
  }

  /**
   * Reads every bulk entity not read yet. Called before evaluating a record, so slow (rate-limited) bulk reads
   * never count against an expression's time budget.
   */
  async readBulkEntities(): Promise<void> {
    for (const entity of this.bulk) await this.cache.prefetch(entity);
  }

  /**
   * What `find` would answer, when it can answer without I/O (the entity is in the cache or the search was done
   * this run); undefined when only `find` can tell.
   */
  findNow(entity: string, key: string, value: Json): Json[] | undefined {
    if (!this.bulk.has(entity) && !this.canSearch(entity, key)) this.readInBulk(entity);
    if (this.bulk.has(entity) && !this.cache.has(entity)) return undefined;
    const cached = this.cache.find(entity, key, value);
    if (cached !== undefined) return cached;
    return this.searched.get(`${entity}|${key}|${JSON.stringify(value)}`);
  }

  async find(entity: string, key: string, value: Json): Promise<Json[]> {
    // An entity the API cannot search by this key (CCV categories by name) is read once, whole, for the run.
    if (!this.bulk.has(entity) && !this.canSearch(entity, key)) this.readInBulk(entity);
    if (this.bulk.has(entity)) await this.cache.prefetch(entity);
    const cached = this.cache.find(entity, key, value);
    if (cached !== undefined) return cached;
    const memo = `${entity}|${key}|${JSON.stringify(value)}`;
    let found = this.searched.get(memo);
    if (!found) {
      const [connector, name] = splitEntity(entity);
      found = await this.clientFor(connector).search(name, key, value);
      this.searched.set(memo, found);
    }
    return found;
  }

  /**
   * This run wrote `record` (created or updated), found by `key` = `value`: later lookups in the run see it,
   * whether they are answered from the bulk cache or from remembered searches.
   */
  remember(entity: string, key: string, value: Json, record: Json): void {
    this.cache.remember(entity, record);
    this.searched.set(`${entity}|${key}|${JSON.stringify(value)}`, [record]);
  }
}

export interface UpsertIntent {
  readonly entity: string;
  readonly key: string;
  readonly value: Json;
  /** What a new record is created with. */
  readonly payload: Json;
  /** What an existing record is updated with, when the upsert's rules differ by case; `payload` otherwise. */
  readonly updatePayload?: Json;
}

const updateOf = (intent: UpsertIntent): Json => intent.updatePayload ?? intent.payload;

const placeholder = placeholderFor;

export const intentKey = (entity: string, key: string, value: Json): string => `${entity}|${key}|${JSON.stringify(value)}`;

/**
 * The planning pass: lookups answer from the cache (a miss fails the record before anything is written), and
 * `$upsert` only records what it would do, answering with the existing record or a placeholder id.
 */
export class PlanningHost implements LookupHost {
  readonly intents = new Map<string, UpsertIntent>();

  constructor(
    private readonly resolver: LookupResolver,
    private readonly idFieldOf: (entity: string) => string,
  ) {}

  lookup(entity: string, key: string, value: Json): Promise<readonly Json[]> {
    return this.resolver.find(entity, key, value);
  }

  lookupNow(entity: string, key: string, value: Json): readonly Json[] | undefined {
    return this.resolver.findNow(entity, key, value);
  }

  async upsert(entity: string, key: string, value: Json, payload: Json, updatePayload?: Json): Promise<Json> {
    this.intend(entity, key, value, payload, updatePayload);
    return this.answer(entity, key, value, payload, updatePayload, await this.resolver.find(entity, key, value));
  }

  upsertNow(entity: string, key: string, value: Json, payload: Json, updatePayload?: Json): Json | undefined {
    this.intend(entity, key, value, payload, updatePayload);
    const matches = this.resolver.findNow(entity, key, value);
    return matches === undefined ? undefined : this.answer(entity, key, value, payload, updatePayload, matches);
  }

  private intend(entity: string, key: string, value: Json, payload: Json, updatePayload: Json | undefined): void {
    const id = intentKey(entity, key, value);
    if (!this.intents.has(id)) this.intents.set(id, { entity, key, value, payload, ...(updatePayload !== undefined ? { updatePayload } : {}) });
  }

  /** The existing record with the update applied, or the new one with a placeholder id. */
  private answer(entity: string, key: string, value: Json, payload: Json, updatePayload: Json | undefined, matches: readonly Json[]): Json {
    const existing = matches.length === 1 && isObject(matches[0]) ? matches[0] : undefined;
    if (existing) {
      const update = updatePayload ?? payload;
      return { ...existing, ...(isObject(update) ? update : {}) };
    }
    return { ...(isObject(payload) ? payload : {}), [this.idFieldOf(entity)]: placeholder(entity, key, value) };
  }
}

/** The real pass: upserts were done already; `$upsert` answers with the record each one produced. */
export class ExecutingHost implements LookupHost {
  constructor(
    private readonly resolver: LookupResolver,
    private readonly done: ReadonlyMap<string, Json>,
    private readonly fallback: (intent: UpsertIntent) => Promise<Json>,
  ) {}

  lookup(entity: string, key: string, value: Json): Promise<readonly Json[]> {
    return this.resolver.find(entity, key, value);
  }

  lookupNow(entity: string, key: string, value: Json): readonly Json[] | undefined {
    return this.resolver.findNow(entity, key, value);
  }

  async upsert(entity: string, key: string, value: Json, payload: Json, updatePayload?: Json): Promise<Json> {
    return this.done.get(intentKey(entity, key, value)) ?? this.fallback({ entity, key, value, payload, ...(updatePayload !== undefined ? { updatePayload } : {}) });
  }

  upsertNow(entity: string, key: string, value: Json): Json | undefined {
    return this.done.get(intentKey(entity, key, value));
  }
}

export interface UpsertContext {
  readonly flow: string;
  /** The source record the upsert is done for, named when a later record gets the record it settled. */
  readonly sourceId: string;
  /** The run's settled targets, shared with the flow's own records. */
  readonly settlements: RunSettlements;
  /**
   * The flow reads its source newest first, so the first record to upsert a key is the newest: later ones answer
   * the record it settled, with no call. In a flow read in the API's order (oldest first) a later record is newer,
   * so it may still update the record, but only when it would change it (the run's cache holds what was written).
   */
  readonly settleOnce: boolean;
  readonly dryRun: boolean;
  readonly store: StateStore;
  readonly cache: LookupCache;
  readonly resolver: LookupResolver;
  readonly writer: TargetWriter;
  readonly idFieldOf: (entity: string) => string;
  /** The entity's write fields that read back under another name (see `EntityDefinition.readBack`). */
  readonly readBackOf: (entity: string) => Readonly<Record<string, string>> | undefined;
}

/**
 * Find by key, then create or update, with the same idempotency as the flow's own creates. An upsert whose
 * payload the existing record already holds writes nothing.
 */
export async function executeUpsert(intent: UpsertIntent, context: UpsertContext): Promise<{ record: Json; outcome: UpsertOutcome }> {
  const { entity, key, value, payload } = intent;
  const mark = intentKey(entity, key, value);
  const earlier = context.settlements.get(mark);
  if (earlier?.record !== undefined && (context.settleOnce || earlier.sourceId === context.sourceId)) {
    return { record: earlier.record, outcome: { entity, key, value, action: 'unchanged', payload: updateOf(intent), settledBy: earlier.sourceId } };
  }
  const settled = (how: SettledHow, record: Json, outcome: UpsertOutcome): { record: Json; outcome: UpsertOutcome } => {
    context.settlements.settle([mark], { sourceId: context.sourceId, how, record });
    return { record, outcome };
  };
  const matches = await context.resolver.find(entity, key, value);
  if (matches.length > 1) throw new RecordFailure(`${matches.length} ${entity} have ${key} = ${showValue(value)}; the upsert expected one`, payload);
  const existing = matches[0];
  const base = isObject(payload) ? payload : {};
  const linkFlow = `${context.flow}#${entity}`;
  const linkId = typeof value === 'string' ? value : JSON.stringify(value);
  const hash = contentHash(payload);

  if (existing !== undefined && isObject(existing)) {
    const update = updateOf(intent);
    const updateBase = isObject(update) ? update : {};
    if (holds(existing, update, context.readBackOf(entity))) return settled('unchanged', existing, { entity, key, value, action: 'unchanged', payload: update });
    if (context.dryRun) return settled('would update', { ...existing, ...updateBase }, { entity, key, value, action: 'update', payload: update });
    const id = context.writer.idOf(entity, existing);
    const written = await context.writer.update(entity, id, update, existing);
    const record = { ...existing, ...updateBase, ...(isObject(written) ? written : {}) };
    context.resolver.remember(entity, key, value, record);
    await context.store.saveLink({ flow: linkFlow, sourceId: linkId, targetId: id, key: linkId, contentHash: contentHash(update) });
    return settled('updated', record, { entity, key, value, action: 'update', payload: update });
  }

  if (context.dryRun) {
    const record = { ...base, [context.idFieldOf(entity)]: placeholder(entity, key, value) };
    return settled('would create', record, { entity, key, value, action: 'create', payload });
  }
  const created = await context.writer.create({ flow: linkFlow, sourceId: linkId, entity, keyField: key, keyValue: value, payload, hash });
  const record = { ...base, ...(isObject(created) ? created : {}) };
  context.resolver.remember(entity, key, value, record);
  return settled('created', record, { entity, key, value, action: 'create', payload });
}
