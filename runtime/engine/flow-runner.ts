import { performance } from 'node:perf_hooks';
import type { CompiledFlow, Fragment, Json } from '../../compiler/artifact.js';
import { searchableBy, type EntityDefinition } from '../../connectors/definition.js';
import type { FlowEvaluator } from '../evaluate/evaluator.js';
import type { Locate } from '../evaluate/locate.js';
import type { LookupHost } from '../evaluate/lookup-host.js';
import { showValue } from '../evaluate/lookups.js';
import type { Link, StateStore } from '../state/store.js';
import { holds } from './compare.js';
import { contentHash } from './hash.js';
import { isObject, keyValueText, LookupCache } from './lookup-cache.js';
import { executeUpsert, ExecutingHost, LookupResolver, PlanningHost, intentKey, type UpsertContext } from './lookups.js';
import { isPlaceholder } from '../evaluate/placeholder.js';
import { dropNulls } from '../evaluate/normalise.js';
import { isCredentialsRefused, isNotFound, type ConnectorClient } from './ports.js';
import { readSource, type SourceRead } from './source-reader.js';
import { OutcomeTally } from './tally.js';
import { RecordFailure, type FlowResult, type RecordOutcome, type UpsertOutcome } from './types.js';
import type { PayloadValidator } from './validate.js';
import { LinkedChildWriter, type WantedChild } from './linked-children.js';
import { withLinkedChildren } from '../../connectors/linked-children.js';
import type { JsonSchema } from '../../connectors/json-schema.js';
import { messageOf } from '../message-of.js';
import { TargetWriter } from './writer.js';
import { RunSettlements, type SettledHow, type Settler } from './settlements.js';

export interface FlowRunOptions {
  readonly flow: CompiledFlow;
  readonly runId: string;
  readonly store: StateStore;
  /** One client per connector name. */
  readonly clients: Readonly<Record<string, ConnectorClient>>;
  /** `connector.entity` -> its definition (the registry). */
  readonly entityOf: (entity: string) => EntityDefinition;
  readonly evaluator: FlowEvaluator;
  readonly validator: PayloadValidator;
  readonly locate: Locate;
  readonly dryRun: boolean;
  /** Replay the flow's open quarantine entries instead of reading new records. */
  readonly retryFailed: boolean;
  /** With `retryFailed`: replay only the entries of these source records (the dashboard's "retry one"). */
  readonly retryOnly?: readonly string[];
  /** Read from this instant instead of the stored cursor. */
  readonly since?: Date;
  /** The clock (tests move it to age intents past the settle grace). */
  readonly now?: () => Date;
  readonly onProgress?: (done: number, total: number) => void;
  /** Stop after the record in progress (Ctrl-C): the rest is read by the next run, the cursor stays where it was. */
  readonly signal?: AbortSignal;
  /** Stop after the page in which this many records were created or updated (see `RunOptions.maxRecords`). */
  readonly maxRecords?: number;
  /** How long an open intent is given before its record is created again (`SETTLE_GRACE_MS` when absent). */
  readonly settleGraceMs?: number;
}

/**
 * Unlinked records above this many: read the whole target entity once instead of one search per record to
 * recognise existing ones (a first run over a large shop).
 */
const BULK_IDENTIFY_THRESHOLD = 25;

/**
 * An intent younger than this whose record is not (yet) found by key stays open: the API may still be working on
 * the create (a rerun right after a crash). Its record is not created again until the intent is settled.
 */
const SETTLE_GRACE_MS = 60_000;

/** Marks a link whose target write is done but whose write-back failed; the content hash follows it. */
const WRITE_BACK_OWED = 'write-back-owed:';

/** Marks a link whose target is written but some of whose linked children are not yet; the content hash follows. */
const LINKS_OWED = 'links-owed:';

/** Runs one compiled flow once: read, filter, resolve, map, validate, write, record. Failures stay per record. */
export async function runFlow(options: FlowRunOptions): Promise<FlowResult> {
  return new FlowRun(options).run();
}

class FlowRun {
  private readonly flow: CompiledFlow;
  private readonly sourceEntity: string;
  private readonly targetEntity: string;
  private readonly source: EntityDefinition;
  private readonly target: EntityDefinition;
  private readonly cache: LookupCache;
  private readonly resolver: LookupResolver;
  private readonly writer: TargetWriter;
  private readonly lineage: { create: Record<string, string>; update: Record<string, string> };
  private readonly links: LinkedChildWriter;
  /** The target's write schemas with its linked children as array fields (built once: ajv compiles per object). */
  private readonly writeSchemas: { readonly create?: JsonSchema; readonly update?: JsonSchema };
  /** Which source record settled each target (and each upserted record) in this run: one write per target. */
  private readonly settlements = new RunSettlements();
  /**
   * A flow that updates its target reads the source newest first (where the connector declares how), so the
   * record that settles a target is the newest one naming it. A flow that only creates keeps the API's order, so
   * documents are created (and numbered by the target) in the order they were placed.
   */
  private readonly newestFirst: boolean;

  constructor(private readonly options: FlowRunOptions) {
    const { flow } = options;
    this.flow = flow;
    this.sourceEntity = `${flow.source.connector}.${flow.source.entity}`;
    this.targetEntity = `${flow.target.connector}.${flow.target.entity}`;
    this.source = options.entityOf(this.sourceEntity);
    this.target = options.entityOf(this.targetEntity);
    this.newestFirst = flow.onExisting.action === 'update' && this.source.newestFirst !== undefined;
    const clientFor = (connector: string): ConnectorClient => {
      const client = options.clients[connector];
      if (!client) throw new Error(`flow ${flow.name}: no connection configured for connector "${connector}"`);
      return client;
    };
    const idFieldOf = (entity: string): string => options.entityOf(entity).idField;
    this.cache = new LookupCache(clientFor, idFieldOf);
    this.resolver = new LookupResolver(this.cache, clientFor, (entity, key) => searchableBy(options.entityOf(entity), key));
    this.writer = new TargetWriter(options.store, clientFor, options.entityOf);
    this.lineage = { create: this.lineageFor('create'), update: this.lineageFor('update') };
    const sibling = (name: string): EntityDefinition | undefined => {
      try {
        return options.entityOf(`${flow.target.connector}.${name}`);
      } catch {
        return undefined;
      }
    };
    this.links = new LinkedChildWriter(this.targetEntity, this.target, sibling, () => this.targetClient);
    const { create, update } = this.target.schemas;
    this.writeSchemas = {
      ...(create ? { create: withLinkedChildren(create, this.links.children) } : {}),
      ...(update ? { update: withLinkedChildren(update, this.links.children) } : {}),
    };
  }

  private get sourceClient(): ConnectorClient {
    return this.clientOf(this.flow.source.connector);
  }

  private get targetClient(): ConnectorClient {
    return this.clientOf(this.flow.target.connector);
  }

  private clientOf(connector: string): ConnectorClient {
    const client = this.options.clients[connector];
    if (!client) throw new Error(`flow ${this.flow.name}: no connection configured for connector "${connector}"`);
    return client;
  }

  async run(): Promise<FlowResult> {
    const { options, flow } = this;
    const callsBefore = this.callCount();
    let settled: string[] = [];
    if (options.dryRun) await this.writer.loadOpenIntents(flow.name);
    else {
      const outcome = await this.writer.settlePending(flow.name, options.now?.() ?? new Date(), options.settleGraceMs ?? SETTLE_GRACE_MS);
      settled = [...outcome.notCreated, ...outcome.linkedIds];
    }

    const tally = new OutcomeTally();
    // Set when a stop (Ctrl-C) left records unread or unprocessed.
    let interrupted = false;
    // Set when the `maxRecords` budget ended the read early.
    let more = false;
    const stopped = (): boolean => {
      if (options.signal?.aborted) interrupted = true;
      return interrupted;
    };
    const process = async (page: Json[]): Promise<void> => {
      await this.planBulkReads(page);
      for (const record of page) {
        // Between records only: a record is never left half done by a stop (a crash is survived too, but a stop
        // is kinder). Records not reached are not counted as read: the next run reads them.
        if (stopped()) return;
        tally.read++;
        tally.add(await this.processAndRecord(record));
        options.onProgress?.(tally.done, tally.read);
      }
    };
    let read: SourceRead | undefined;
    if (options.retryFailed) {
      await process(await this.quarantinedRecords());
    } else {
      // The source is processed a page at a time as it arrives: a run holds one page, not the whole shop.
      read = readSource(this.sourceClient, flow.source.entity, this.source, await options.store.getCursor(flow.name), options.since, this.newestFirst);
      const seen = new Set<string>();
      for await (const page of read.pages) {
        for (const record of page) seen.add(this.sourceIdOf(record));
        await process(page);
        if (stopped()) break;
        if (options.maxRecords !== undefined && tally.written() >= options.maxRecords) {
          // Leaving the loop ends the read; whether a page was left unread is not known, so say there may be more.
          more = true;
          break;
        }
      }
      // Records whose create did not happen, whose create was just found and linked, or whose create is still
      // unsettled are processed now even when the read window has moved past them: the first get created, the
      // second skipped as linked (which clears the quarantine the lost answer put them in), the third reported.
      const extra: Json[] = [];
      for (const id of [...settled, ...this.writer.openSourceIds(flow.name)]) {
        if (seen.has(id)) continue;
        seen.add(id);
        extra.push(await this.sourceClient.get(flow.source.entity, id));
      }
      if (extra.length > 0 && !stopped()) await process(extra);
    }
    // A stopped read did not reach every record: the cursor stays, so the next run reads them. The same after a
    // budget: the pages read are not in cursor order for every source (newest first, or by id), so a cursor taken
    // from them could pass records on later pages. The next slice reads them again and skips what this one linked.
    const nextCursor = interrupted || more ? undefined : read?.nextCursor();
    if (!options.dryRun && !options.retryFailed && nextCursor !== undefined) await options.store.saveCursor(flow.name, nextCursor);

    return {
      flow: flow.name,
      dryRun: options.dryRun,
      summary: { ...tally.counts(), calls: this.callCount() - callsBefore },
      records: tally.kept,
      omitted: tally.omitted,
      ...(interrupted ? { stopped: true } : {}),
      ...(more ? { more: true } : {}),
    };
  }

  private callCount(): number {
    const connectors = new Set([this.flow.source.connector, this.flow.target.connector, ...this.flow.plan.lookups.map((l) => l.entity.connector)]);
    let total = 0;
    for (const connector of connectors) total += this.options.clients[connector]?.callCount() ?? 0;
    return total;
  }

  /** The source records behind the flow's open quarantine entries, read fresh (the merchant may have fixed them). */
  private async quarantinedRecords(): Promise<Json[]> {
    const records: Json[] = [];
    const only = this.options.retryOnly && new Set(this.options.retryOnly);
    for (const entry of await this.options.store.listQuarantine({ flow: this.flow.name })) {
      if (only && !only.has(entry.sourceId)) continue;
      try {
        records.push(await this.sourceClient.get(this.flow.source.entity, entry.sourceId));
      } catch {
        // Gone or unreachable at the source: replay what was quarantined, so the failure is reported again.
        records.push(entry.sourceRecord);
      }
    }
    return records;
  }

  /**
   * Every looked-up entity is read once, in bulk, at its first lookup. The target is read in bulk too when many
   * records are not linked yet (a first run), instead of one search per record to recognise existing ones.
   */
  private async planBulkReads(records: Json[]): Promise<void> {
    const { plan } = this.flow;
    for (const entity of new Set([...plan.lookups.map((l) => l.entity), ...plan.upserts.map((u) => u.entity)].map((e) => `${e.connector}.${e.entity}`))) {
      if (this.options.entityOf(entity).list) this.resolver.readInBulk(entity);
    }
    if (this.flow.identify && this.target.list && records.length > BULK_IDENTIFY_THRESHOLD) {
      let unlinked = 0;
      for (const record of records) if (!(await this.options.store.getLink(this.flow.name, this.sourceIdOf(record)))) unlinked++;
      if (unlinked > BULK_IDENTIFY_THRESHOLD) this.resolver.readInBulk(this.targetEntity);
    }
  }

  private sourceIdOf(record: Json): string {
    const id = isObject(record) ? record[this.source.idField] : undefined;
    return id === undefined || id === null ? '(no id)' : String(id);
  }

  private async processAndRecord(record: Json): Promise<RecordOutcome> {
    const { store, runId, dryRun } = this.options;
    const started = performance.now();
    const sourceId = this.sourceIdOf(record);
    let outcome: RecordOutcome;
    const upserts: UpsertOutcome[] = [];
    let response: Json | null = null;
    try {
      outcome = await this.process(record, sourceId, upserts);
      response = outcome.response ?? null;
    } catch (error) {
      // Refused credentials fail the flow, not the record: every other record would be refused the same way.
      if (isCredentialsRefused(error)) throw error;
      const failure = error instanceof RecordFailure ? error : new RecordFailure(messageOf(error));
      response = failure.response;
      outcome = {
        sourceId,
        action: 'fail',
        reason: `${this.sourceEntity} ${sourceId}: ${failure.message}`,
        targetId: null,
        payload: failure.payload,
        upserts,
      };
      if (!dryRun) {
        await store.quarantine({ runId, flow: this.flow.name, sourceId, reason: outcome.reason, sourceRecord: record, payload: failure.payload, response });
      }
    }
    if (!dryRun && outcome.action !== 'fail') await store.resolveQuarantine(this.flow.name, sourceId);
    await store.logActivity({
      runId,
      flow: this.flow.name,
      sourceId,
      action: outcome.action,
      reason: outcome.reason,
      dryRun,
      targetId: outcome.targetId,
      sourceRecord: record,
      payload: outcome.payload,
      response,
      durationMs: performance.now() - started,
      lineage: outcome.action === 'create' || outcome.action === 'update' ? this.lineage[outcome.action] : null,
    });
    return outcome;
  }

  private async process(record: Json, sourceId: string, upserts: UpsertOutcome[]): Promise<RecordOutcome> {
    const { flow, options } = this;
    const { store, dryRun } = options;
    const skip = (reason: string, targetId: string | null = null, payload: Json | null = null): RecordOutcome => ({
      sourceId, action: 'skip', reason, targetId, payload, upserts,
    });
    if (!isObject(record)) throw new RecordFailure('the source record is not an object');

    const link = await store.getLink(flow.name, sourceId);
    // Cheapest first: a linked record under `on existing: skip` needs neither its children nor any evaluation.
    const writeBackOwed = link?.contentHash?.startsWith(WRITE_BACK_OWED) ?? false;
    // A record created last time whose linked children were not all added: those are added now, whatever the
    // flow's `on existing` says (they belong to the create).
    const linksOwed = link?.contentHash?.startsWith(LINKS_OWED) ?? false;
    if (link && flow.onExisting.action === 'skip' && !writeBackOwed && !linksOwed) {
      return skip(`already synced as ${this.targetEntity} ${link.targetId} (on existing: skip)`, link.targetId);
    }

    // Normalised once (nulls dropped, per the artifact contract): every evaluation of this record then finds it
    // normal and uses it as it is, instead of copying it again.
    const input = normalisedCopy(record);
    if (link && writeBackOwed) return this.payWriteBack(input, sourceId, link, skip);
    const host = new PlanningHost(this.resolver, (e) => options.entityOf(e).idField);
    // A filter that reads no child collection runs first: a filtered-out order costs no call for its rows.
    const filterFirst = flow.filter !== null && !this.readsChildren(flow.filter);
    if (flow.filter && filterFirst) {
      if (!(await this.evaluate(flow.filter, input, host))) return skip(`filtered out by the flow's when (${this.where(flow.filter)})`);
    }
    for (const child of flow.plan.source.children) {
      input[child] = dropNulls(await this.sourceClient.children(flow.source.entity, sourceId, child));
    }
    if (flow.filter && !filterFirst) {
      if (!(await this.evaluate(flow.filter, input, host))) return skip(`filtered out by the flow's when (${this.where(flow.filter)})`);
    }

    let targetId: string | null = link?.targetId ?? null;
    let existing: Json | undefined;
    let keyValue: Json | null = null;
    if (flow.identify) {
      const key = await this.evaluate(flow.identify.value, input, host);
      if (key === undefined || key === null) {
        throw new RecordFailure(`${this.where(flow.identify.value)}: the identify key ${flow.identify.field} is absent`);
      }
      keyValue = key;
      // Another record of this run already settled the target this key names: no lookup, no call, no write.
      const earlier = this.settlements.get(keyMark(key));
      if (earlier) return skip(this.settledReason(earlier, sourceId, `${this.targetEntity} with ${flow.identify.field} = ${showValue(key)}`), targetId);
      if (!link) {
        const matches = await this.resolver.find(this.targetEntity, flow.identify.field, key);
        if (matches.length > 1) throw new RecordFailure(`${matches.length} ${this.targetEntity} have ${flow.identify.field} = ${showValue(key)}; cannot tell which one this record is`);
        if (matches.length === 1) {
          existing = matches[0];
          targetId = this.writer.idOf(this.targetEntity, existing!);
        }
      }
    }
    const found = link ? `linked to ${this.targetEntity} ${targetId}` : `${this.targetEntity} ${targetId} has ${flow.identify?.field} = ${showValue(keyValue ?? undefined)}`;
    // The same target reached under another key (or through an older link) is settled too.
    const earlierTarget = targetId !== null ? this.settlements.get(idMark(targetId)) : undefined;
    if (earlierTarget) return skip(this.settledReason(earlierTarget, sourceId, `${this.targetEntity} ${targetId}`), targetId);
    const settle = (how: SettledHow, id: string | null): void => {
      this.settlements.settle([...(keyValue !== null ? [keyMark(keyValue)] : []), ...(id !== null ? [idMark(id)] : [])], { sourceId, how });
    };

    let action: 'create' | 'update';
    let fragment: Fragment | null;
    if (targetId !== null && linksOwed) {
      action = 'update';
      fragment = flow.payload.update ?? flow.payload.create;
    } else if (targetId !== null) {
      if (flow.onExisting.action === 'skip') {
        if (!dryRun) await store.saveLink({ flow: flow.name, sourceId, targetId, key: keyValueText(keyValue), contentHash: null });
        return skip(`exists: ${found} (on existing: skip)`, targetId);
      }
      if (flow.onExisting.when) {
        const go = await this.evaluate(flow.onExisting.when, input, host);
        if (!go) return skip(`exists: ${found}; on existing: update when ... is false (${this.where(flow.onExisting.when)})`, targetId);
      }
      action = 'update';
      fragment = flow.payload.update ?? flow.payload.create;
    } else {
      const why = flow.identify ? `no ${this.targetEntity} has ${flow.identify.field} = ${showValue(keyValue ?? undefined)}` : 'not synced before';
      if (flow.onMissing === 'skip') return skip(`${why} (on missing: skip)`);
      action = 'create';
      fragment = flow.payload.create;
    }
    if (fragment === null) return skip(`the flow has no ${action} payload`, targetId);

    // The record will be mapped: the bulk reads its lookups need happen now, outside any expression's budget (and
    // not at all in a run where every record is skipped before this point). Conditions cannot look up (ML4006).
    await this.resolver.readBulkEntities();

    // Planning pass: every lookup resolves (or fails the record) before anything is written for it.
    let payload = await this.evaluate(fragment, input, host);
    let lastHost: LookupHost = host;
    if (host.intents.size > 0) {
      const done = new Map<string, Json>();
      const context = this.upsertContext(sourceId);
      for (const [id, intent] of host.intents) {
        const { record: upserted, outcome } = await executeUpsert(intent, context);
        done.set(id, upserted);
        upserts.push(outcome);
      }
      const executing = new ExecutingHost(this.resolver, done, async (intent) => {
        const { record: upserted, outcome } = await executeUpsert(intent, context);
        done.set(intentKey(intent.entity, intent.key, intent.value), upserted);
        upserts.push(outcome);
        return upserted;
      });
      payload = await this.evaluate(fragment, input, executing);
      lastHost = executing;
    }
    if (!isObject(payload)) throw new RecordFailure(`${this.where(fragment)}: the payload is not an object`, payload ?? null);

    // Linked children (a product's categories) are not part of the parent's own write; the hash covers both.
    const { parent, wanted } = this.links.split(payload);
    const hash = contentHash(payload);
    if (action === 'update' && !linksOwed && link?.contentHash === hash) {
      settle('unchanged', targetId);
      return skip(`unchanged since the last sync (${found})`, targetId, payload);
    }
    let writeParent = true;
    let missing: WantedChild[] | null = null;
    if (action === 'update' && (linksOwed || (existing !== undefined && holds(existing, parent, this.target.readBack)))) {
      writeParent = false;
      missing = await this.links.missing(targetId!, wanted, false);
      if (missing.length === 0) {
        if (!dryRun) await store.saveLink({ flow: flow.name, sourceId, targetId: targetId!, key: keyValueText(keyValue), contentHash: hash });
        settle('unchanged', targetId);
        return skip(`${found} already holds these values`, targetId, payload);
      }
    }

    const schema = action === 'create' ? this.writeSchemas.create : this.writeSchemas.update;
    if (!schema) throw new RecordFailure(`${this.targetEntity} cannot be ${action}d through the API`, payload);
    // In a dry run an id a new upserted record would get is a placeholder: it cannot match an id format yet.
    const problems = options.validator.check(schema, payload, dryRun ? isPlaceholder : undefined);
    if (problems.length > 0) {
      throw new RecordFailure(`the payload does not match the ${this.targetEntity} ${action} schema: ${problems.join('; ')}`, payload);
    }

    if (action === 'create') this.writer.assertNoOpenIntent(flow.name, sourceId);
    if (dryRun) {
      settle(action === 'create' ? 'would create' : 'would update', targetId);
      missing ??= await this.links.missing(targetId ?? '', wanted, action === 'create');
      const reason =
        action === 'create' ? `would create: ${found.startsWith('linked') ? found : this.missingReason(keyValue)}` : writeParent ? `would update: ${found}` : lacksChildren(found);
      return { sourceId, action, reason: withAdded(reason, this.links, missing, 'would add'), targetId, payload, upserts };
    }

    // The link remembers what an update would send now, so the next run compares like with like: a flow with
    // `on create` rules is not rewritten once just because its update payload has fewer fields.
    const linkHash = action === 'create' ? await this.updateHashAfterCreate(input, lastHost, hash) : hash;
    // Until the linked children are checked, the saved link says they are owed, so a crash between the parent's
    // write and theirs is finished by the next run instead of looking like a completed sync.
    const owed = (h: string): string => (wanted.length > 0 ? `${LINKS_OWED}${h}` : h);
    let written: Json | undefined;
    if (action === 'create') {
      written = await this.writer.create({
        flow: flow.name, sourceId, entity: this.targetEntity, keyField: flow.identify?.field ?? null, keyValue, payload: parent, hash: owed(linkHash),
      });
      targetId = this.writer.idOf(this.targetEntity, written);
      settle('created', targetId);
    } else {
      if (writeParent) {
        try {
          written = await this.writer.update(this.targetEntity, targetId!, parent, existing);
        } catch (error) {
          if (!link || !isNotFound(error)) throw error;
          // The record this one was linked to was deleted in the target: forget the link and handle the record as
          // never synced, once: found again by its key, or created or skipped as `on missing` says.
          await store.deleteLink(flow.name, sourceId);
          const again = await this.process(record, sourceId, upserts);
          return { ...again, reason: `the linked ${this.targetEntity} ${targetId} is gone (404), so the link was dropped; ${again.reason}` };
        }
      }
      await store.saveLink({ flow: flow.name, sourceId, targetId: targetId!, key: keyValueText(keyValue), contentHash: owed(linkHash) });
      settle('updated', targetId);
    }
    // A failure here leaves the link saying its children are owed: the next run reads again and adds what is missing.
    missing ??= await this.links.missing(targetId!, wanted, action === 'create');
    if (missing.length > 0) await this.links.create(targetId!, missing);
    if (wanted.length > 0) await store.saveLink({ flow: flow.name, sourceId, targetId: targetId!, key: keyValueText(keyValue), contentHash: linkHash });
    if (written === undefined) written = flow.writeBack ? await this.targetClient.get(flow.target.entity, targetId!) : { [this.target.idField]: targetId! };
    // Only what recognising it again needs (its id under its key), so a long run does not keep every payload.
    if (flow.identify && keyValue !== null) {
      this.resolver.remember(this.targetEntity, flow.identify.field, keyValue, { [this.target.idField]: targetId!, [flow.identify.field]: keyValue });
    }

    await this.writeBack(input, sourceId, written, { targetId: targetId!, key: keyValueText(keyValue), hash: linkHash });
    const reason = action === 'create' ? `created: ${this.missingReason(keyValue)}` : writeParent ? `updated: ${found}` : lacksChildren(found);
    return { sourceId, action, reason: withAdded(reason, this.links, missing, 'added'), targetId, payload, upserts, response: written };
  }

  /** The content hash of the flow's update payload for this record, or `createHash` when it has none. */
  private async updateHashAfterCreate(input: Record<string, Json>, host: LookupHost, createHash: string): Promise<string> {
    const update = this.flow.payload.update;
    if (update === null || update.jsonata === this.flow.payload.create?.jsonata) return createHash;
    try {
      const payload = await this.evaluate(update, input, host);
      return isObject(payload) ? contentHash(payload) : createHash;
    } catch {
      return createHash;
    }
  }

  /**
   * The target was written before but its write-back failed: do only the write-back now, whatever the filter
   * says today (the write-back itself may have been what changes the record's status).
   */
  private async payWriteBack(input: Record<string, Json>, sourceId: string, link: Link, skip: (reason: string, targetId: string) => RecordOutcome): Promise<RecordOutcome> {
    const { flow, options } = this;
    for (const child of flow.plan.source.children) input[child] = dropNulls(await this.sourceClient.children(flow.source.entity, sourceId, child));
    const hash = link.contentHash!.slice(WRITE_BACK_OWED.length) || null;
    if (!options.dryRun) {
      const written = await this.targetClient.get(flow.target.entity, link.targetId);
      await this.writeBack(input, sourceId, written, { targetId: link.targetId, key: link.key, hash });
      await options.store.saveLink({ flow: flow.name, sourceId, targetId: link.targetId, key: link.key, contentHash: hash });
    }
    return skip(`already synced as ${this.targetEntity} ${link.targetId}; ${options.dryRun ? 'would do' : 'did'} the write-back that failed before`, link.targetId);
  }

  /** Whether a fragment mentions a child collection's name (conservative: any mention counts). */
  private readsChildren(fragment: Fragment): boolean {
    return this.flow.plan.source.children.some((child) => new RegExp(`\\b${child}\\b`).test(fragment.jsonata));
  }

  private missingReason(keyValue: Json | null): string {
    return this.flow.identify ? `no ${this.targetEntity} had ${this.flow.identify.field} = ${showValue(keyValue ?? undefined)}` : 'not synced before';
  }

  /** `write back { ... }`: update the source record with `$target` bound to what was written. */
  private async writeBack(input: Json, sourceId: string, written: Json, link: { targetId: string; key: string | null; hash: string | null }): Promise<void> {
    const writeBack = this.flow.writeBack;
    if (!writeBack) return;
    const host = new PlanningHost(this.resolver, (e) => this.options.entityOf(e).idField);
    const extra = { target: written };
    if (writeBack.when && !(await this.evaluate(writeBack.when, input, host, extra))) return;
    const payload = await this.evaluate(writeBack.payload, input, host, extra);
    if (!isObject(payload) || Object.keys(payload).length === 0) return;
    const entity = `${writeBack.entity.connector}.${writeBack.entity.entity}`;
    try {
      await this.writer.update(entity, sourceId, payload);
    } catch (error) {
      const failure = error instanceof RecordFailure ? error : new RecordFailure(messageOf(error));
      // Remember that the write-back is owed, so a rerun (or --retry-failed) does it without writing the target again.
      await this.options.store.saveLink({ flow: this.flow.name, sourceId, targetId: link.targetId, key: link.key, contentHash: `${WRITE_BACK_OWED}${link.hash ?? ''}` });
      if (isCredentialsRefused(error)) throw error;
      throw new RecordFailure(`written to ${this.targetEntity}, but the write-back to ${entity} failed: ${failure.message}`, payload, failure.response);
    }
  }

  private async evaluate(fragment: Fragment, input: Json, host: LookupHost, extra: Readonly<Record<string, Json>> = {}): Promise<Json | undefined> {
    const result = await this.options.evaluator.evaluate(fragment, input, host, extra);
    if (!result.ok) throw new RecordFailure(result.error.message);
    return result.value;
  }

  private upsertContext(sourceId: string): UpsertContext {
    return {
      flow: this.flow.name,
      sourceId,
      settlements: this.settlements,
      settleOnce: this.newestFirst,
      dryRun: this.options.dryRun,
      store: this.options.store,
      cache: this.cache,
      resolver: this.resolver,
      writer: this.writer,
      idFieldOf: (e) => this.options.entityOf(e).idField,
      readBackOf: (e) => this.options.entityOf(e).readBack,
    };
  }

  /** Why a record is skipped because another record of this run settled its target. */
  private settledReason(earlier: Settler, sourceId: string, target: string): string {
    if (earlier.sourceId === sourceId) return `read twice in this run (the list moved while it was paged): ${target} was ${earlier.how} already`;
    const order = this.newestFirst ? ', the source being read newest first' : '';
    return `${target} was settled earlier in this run by ${this.sourceEntity} ${earlier.sourceId} (${earlier.how}${order}); a target is written at most once per run`;
  }

  private where(fragment: Fragment): string {
    return this.options.locate(fragment.location);
  }

  /** Target field -> `.map` file:line, for the activity log. */
  private lineageFor(action: 'create' | 'update'): Record<string, string> {
    const out: Record<string, string> = {};
    for (const field of this.flow.fields) {
      if (field.scope === 'always' || field.scope === action) out[field.target] = this.options.locate(field.location).replace(/:(\d+):\d+$/, ':$1');
    }
    return out;
  }
}


/** The record without null-valued keys, as an object of its own (child collections are attached to it). */
function normalisedCopy(record: Record<string, Json>): Record<string, Json> {
  const normal = dropNulls(record) as Record<string, Json>;
  return normal === record ? { ...record } : normal;
}

/** A record's reason with the linked children it added (or would add): `created: ...; added producttocategories +2 (...)`. */
function withAdded(reason: string, links: LinkedChildWriter, added: readonly WantedChild[], verb: string): string {
  return added.length === 0 ? reason : `${reason}; ${verb} ${links.describe(added)}`;
}

/** Settlement keys: the identify key value (compared as text, like lookups) and the target id. */
const keyMark = (value: Json): string => `key:${keyValueText(value)}`;
const idMark = (targetId: string): string => `id:${targetId}`;

function lacksChildren(found: string): string {
  return `${found}: holds every value but lacks linked children`;
}
