import type { Json } from '../../compiler/artifact.js';
import type { EntityDefinition } from '../../connectors/definition.js';
import type { PendingWrite, StateStore } from '../state/store.js';
import { isObject, splitEntity } from './lookup-cache.js';
import { isCredentialsRefused, isOutcomeUnknown, responseOf, type ConnectorClient } from './ports.js';
import { RecordFailure } from './types.js';
import { showValue } from '../evaluate/lookups.js';
import { messageOf } from '../message-of.js';

export interface CreateRequest {
  /** The link's flow and source id: the flow's own name and the source record id, or an upsert's link key. */
  readonly flow: string;
  readonly sourceId: string;
  /** `connector.entity` */
  readonly entity: string;
  readonly keyField: string | null;
  readonly keyValue: Json | null;
  readonly payload: Json;
  readonly hash: string;
}

/**
 * Every write the engine sends goes through here, so the idempotency rules live in one place: an intent is
 * recorded before a create leaves, the link is saved with the intent cleared in one step after it, and a create
 * whose outcome is unknown is settled by looking its key up in the target, never by sending it again.
 */
export class TargetWriter {
  /** Intents of this run's flow that could not be settled yet, by `flow|sourceId`. */
  private readonly openIntents = new Map<string, PendingWrite>();

  constructor(
    private readonly store: StateStore,
    private readonly clientFor: (connector: string) => ConnectorClient,
    private readonly entityOf: (entity: string) => EntityDefinition,
  ) {}

  async create(request: CreateRequest): Promise<Json> {
    this.assertNoOpenIntent(request.flow, request.sourceId);
    const [connector, name] = splitEntity(request.entity);
    const client = this.clientFor(connector);
    const keyValue = request.keyValue === null ? null : String(request.keyValue);
    const pendingId = await this.store.addPendingWrite({
      flow: request.flow,
      sourceId: request.sourceId,
      targetEntity: request.entity,
      keyField: request.keyField,
      keyValue,
      contentHash: request.hash,
    });
    let record: Json;
    try {
      record = await client.create(name, request.payload);
    } catch (error) {
      if (isCredentialsRefused(error)) {
        await this.store.clearPendingWrite(pendingId);
        throw error;
      }
      if (!isOutcomeUnknown(error)) {
        await this.store.clearPendingWrite(pendingId);
        throw new RecordFailure(`${request.entity} refused the create: ${messageOf(error)}`, request.payload, responseOf(error));
      }
      const found = await this.findByKey(request.entity, request.keyField, request.keyValue);
      if (found === undefined) {
        // Keep the intent: the next run looks the key up again before anything else.
        throw new RecordFailure(
          request.keyField === null
            ? `the create in ${request.entity} may or may not have happened (${messageOf(error)}) and the flow has no identify key to check: it is not sent again; look in the target, then settle it with \`mapline pending\``
            : `the create in ${request.entity} may or may not have happened (${messageOf(error)}); no record with ${request.keyField} = ${showValue(request.keyValue)} is visible yet, the next run checks again`,
          request.payload,
          responseOf(error),
        );
      }
      record = found;
    }
    await this.store.completePendingWrite(pendingId, {
      flow: request.flow,
      sourceId: request.sourceId,
      targetId: this.idOf(request.entity, record),
      key: keyValue,
      contentHash: request.hash,
    });
    return record;
  }

  /**
   * Sends an update. For APIs that replace the whole record (eAccounting PUT) the body is the existing record
   * (read now unless given) with the payload laid over it, limited to the fields the update schema knows.
   */
  async update(entity: string, id: string, payload: Json, existing?: Json): Promise<Json> {
    const [connector, name] = splitEntity(entity);
    const client = this.clientFor(connector);
    const definition = this.entityOf(entity);
    let body = payload;
    let base: Json | undefined = existing;
    if (definition.update?.semantics === 'replace' && isObject(payload)) {
      base ??= await client.get(name, id);
      body = { ...writableFields(definition, base), ...payload };
    }
    let answer: Json | undefined;
    try {
      answer = await client.update(name, id, body);
    } catch (error) {
      if (isCredentialsRefused(error)) throw error;
      throw new RecordFailure(`${entity} ${id} refused the update: ${messageOf(error)}`, body, responseOf(error));
    }
    if (answer !== undefined && isObject(answer)) return answer;
    return isObject(base) && isObject(payload) ? { ...base, ...payload } : { ...(isObject(payload) ? payload : {}), [definition.idField]: id };
  }

  /** The one record whose key field holds the value, or undefined (none, or several: never guess). */
  async findByKey(entity: string, keyField: string | null, keyValue: Json | null): Promise<Json | undefined> {
    if (keyField === null || keyValue === null) return undefined;
    const [connector, name] = splitEntity(entity);
    const matches = await this.clientFor(connector).search(name, keyField, keyValue);
    return matches.length === 1 ? matches[0] : undefined;
  }

  idOf(entity: string, record: Json): string {
    const idField = this.entityOf(entity).idField;
    const id = isObject(record) ? record[idField] : undefined;
    if (id === undefined || id === null) throw new RecordFailure(`${entity} answered without an ${idField}`, null, record);
    return String(id);
  }

  /**
   * Settles intents a crash (or an unknown outcome) left behind, before the flow reads anything: found by key
   * means the create happened (link it). Not found means it did not, once the intent is older than `graceMs`
   * (clear it; the record is processed again). A younger intent may still be in flight at the API, and an intent
   * without a key cannot be checked: both stay, and their records are not created again (see `assertNoOpenIntent`).
   * Returns the source ids whose create did not happen, and those of the flow's own records now linked (their
   * record may sit in quarantine from the run that lost the answer: processing it again clears that).
   */
  async settlePending(flow: string, now: Date, graceMs: number): Promise<{ linked: number; linkedIds: string[]; notCreated: string[]; open: number }> {
    let linked = 0;
    const linkedIds: string[] = [];
    const notCreated: string[] = [];
    this.openIntents.clear();
    for (const pending of await this.store.listPendingWrites()) {
      if (pending.flow !== flow && !pending.flow.startsWith(`${flow}#`)) continue;
      const matches =
        pending.keyField === null || pending.keyValue === null
          ? undefined
          : await this.clientFor(splitEntity(pending.targetEntity)[0]).search(splitEntity(pending.targetEntity)[1], pending.keyField, pending.keyValue);
      if (matches?.length === 1) {
        await this.store.completePendingWrite(pending.id, {
          flow: pending.flow,
          sourceId: pending.sourceId,
          targetId: this.idOf(pending.targetEntity, matches[0]!),
          key: pending.keyValue,
          contentHash: pending.contentHash,
        });
        linked++;
        if (pending.flow === flow) linkedIds.push(pending.sourceId);
      } else if (matches?.length === 0 && now.getTime() - Date.parse(pending.createdAt) >= graceMs) {
        await this.store.clearPendingWrite(pending.id);
        if (pending.flow === flow) notCreated.push(pending.sourceId);
      } else {
        this.openIntents.set(`${pending.flow}|${pending.sourceId}`, pending);
      }
    }
    return { linked, linkedIds, notCreated, open: this.openIntents.size };
  }

  /** Read-only view for dry runs: every intent of the flow counts as open. */
  async loadOpenIntents(flow: string): Promise<void> {
    this.openIntents.clear();
    for (const pending of await this.store.listPendingWrites()) {
      if (pending.flow === flow || pending.flow.startsWith(`${flow}#`)) this.openIntents.set(`${pending.flow}|${pending.sourceId}`, pending);
    }
  }

  /** Source ids of the flow's own records (not upserts) whose create is still unsettled. */
  openSourceIds(flow: string): string[] {
    return [...this.openIntents.values()].filter((p) => p.flow === flow).map((p) => p.sourceId);
  }

  /** A record whose earlier create is still unsettled is never created again: that is how duplicates happen. */
  assertNoOpenIntent(flow: string, sourceId: string): void {
    const open = this.openIntents.get(`${flow}|${sourceId}`);
    if (!open) return;
    const key = open.keyField === null ? null : `${open.keyField} = ${JSON.stringify(open.keyValue)}`;
    throw new RecordFailure(
      key === null
        ? `an earlier create in ${open.targetEntity} (sent ${open.createdAt}) has an unknown outcome and the flow has no identify key to check it: it is not sent again; look in ${open.targetEntity}, then settle it with \`mapline pending\``
        : `an earlier create in ${open.targetEntity} (sent ${open.createdAt}) has not shown up with ${key} yet; it is checked again on the next run, never sent twice`,
    );
  }
}

/** The fields of a read record that the update schema accepts (a PUT must not echo read-only fields back). */
function writableFields(definition: EntityDefinition, record: Json): Record<string, Json> {
  if (!isObject(record)) return {};
  const properties = definition.schemas.update?.properties;
  if (!properties) return { ...record };
  const out: Record<string, Json> = {};
  for (const [field, value] of Object.entries(record)) {
    const spec = properties[field];
    if (spec && !spec.readOnly) out[field] = value;
  }
  return out;
}

