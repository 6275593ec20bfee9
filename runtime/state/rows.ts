import type { Json } from '../../compiler/artifact.js';
import type { ActivityEntry, Link, LockHolder, PendingWrite, QuarantineEntry, RunRecord } from './store.js';

/**
 * The state tables' rows as both stores read them (same column names in SQLite and PostgreSQL), and one mapping
 * per entity from row to what `StateStore` returns. What differs between the databases is only how a value comes
 * back (a JSON document as text or parsed, a flag as 0/1 or a boolean, a stamp as text or a Date, an id as a
 * number or a bigint string): each store passes its `Decode`.
 */
export interface Decode {
  json(value: unknown): Json | null;
  flag(value: unknown): boolean;
  stamp(value: unknown): string;
  id(value: unknown): number;
}

export const decodeSqlite: Decode = {
  json: (value) => (value === null ? null : (JSON.parse(value as string) as Json)),
  flag: (value) => value === 1,
  stamp: (value) => value as string,
  id: (value) => value as number,
};

export const decodePg: Decode = {
  json: (value) => (value ?? null) as Json | null, // node-postgres parses `json` columns itself
  flag: (value) => value as boolean,
  stamp: (value) => (value as Date).toISOString(),
  id: (value) => Number(value), // bigint arrives as a string
};

type Row = Record<string, unknown>;
const text = (value: unknown): string => value as string;
const textOrNull = (value: unknown): string | null => (value ?? null) as string | null;
const stampOrNull = (value: unknown, decode: Decode): string | null => (value === null || value === undefined ? null : decode.stamp(value));

export function linkFrom(r: Row, d: Decode): Link {
  return { flow: text(r.flow), sourceId: text(r.source_id), targetId: text(r.target_id), key: textOrNull(r.key), contentHash: textOrNull(r.content_hash), updatedAt: d.stamp(r.updated_at) };
}

export function pendingFrom(r: Row, d: Decode): PendingWrite {
  return {
    id: d.id(r.id),
    flow: text(r.flow),
    sourceId: text(r.source_id),
    targetEntity: text(r.target_entity),
    keyField: textOrNull(r.key_field),
    keyValue: textOrNull(r.key_value),
    contentHash: textOrNull(r.content_hash),
    createdAt: d.stamp(r.created_at),
  };
}

export function quarantineFrom(r: Row, d: Decode): QuarantineEntry {
  return {
    id: d.id(r.id),
    runId: textOrNull(r.run_id),
    flow: text(r.flow),
    sourceId: text(r.source_id),
    reason: text(r.reason),
    sourceRecord: d.json(r.source_record) as Json,
    payload: d.json(r.payload),
    response: d.json(r.response),
    attempts: r.attempts as number,
    resolved: d.flag(r.resolved),
    createdAt: d.stamp(r.created_at),
    updatedAt: d.stamp(r.updated_at),
    resolvedAt: stampOrNull(r.resolved_at, d),
    note: textOrNull(r.note),
  };
}

export function runFrom(r: Row, d: Decode): RunRecord {
  // SQLite keeps the flow list as JSON text, PostgreSQL as text[]: `json` decodes either.
  return { id: text(r.id), flows: d.json(r.flows) as string[], dryRun: d.flag(r.dry_run), startedAt: d.stamp(r.started_at), finishedAt: stampOrNull(r.finished_at, d), summary: d.json(r.summary) };
}

export function activityFrom(r: Row, d: Decode): ActivityEntry {
  return {
    id: d.id(r.id),
    runId: text(r.run_id),
    flow: text(r.flow),
    sourceId: text(r.source_id),
    action: r.action as ActivityEntry['action'],
    reason: text(r.reason),
    dryRun: d.flag(r.dry_run),
    targetId: textOrNull(r.target_id),
    sourceRecord: d.json(r.source_record),
    payload: d.json(r.payload),
    response: d.json(r.response),
    durationMs: r.duration_ms as number,
    lineage: d.json(r.lineage) as Record<string, string> | null,
    at: d.stamp(r.at),
  };
}

export function holderFrom(r: Row, d: Decode): LockHolder {
  return { id: text(r.owner), host: text(r.host), pid: r.pid as number, acquiredAt: d.stamp(r.acquired_at), expiresAt: d.stamp(r.expires_at) };
}
