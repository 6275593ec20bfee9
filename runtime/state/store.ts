import type { Json } from '../../compiler/artifact.js';

/**
 * Everything the runtime remembers between runs, behind one small interface. The first implementation is one
 * SQLite file (`sqlite-store.ts`); a PostgreSQL implementation for many workers can follow without touching the
 * engine, which is why every method is asynchronous even though SQLite answers synchronously.
 */
export interface StateStore {
  // --- links: which target record a source record became -------------------------------------------------
  getLink(flow: string, sourceId: string): Promise<Link | undefined>;
  /** Insert or replace the link of `(flow, sourceId)`. */
  saveLink(link: Omit<Link, 'updatedAt'>): Promise<void>;
  listLinks(flow: string): Promise<Link[]>;
  /** Forget a link (its target record is gone): the source record is treated as never synced. */
  deleteLink(flow: string, sourceId: string): Promise<void>;

  // --- pending writes: intents recorded before a create is sent -------------------------------------------
  /** Record the intent to create; returns its id. Done BEFORE the request leaves, so a crash leaves a trace. */
  addPendingWrite(write: Omit<PendingWrite, 'id' | 'createdAt'>): Promise<number>;
  /** The create is settled (written and linked, or known not to have happened). */
  clearPendingWrite(id: number): Promise<void>;
  listPendingWrites(flow?: string): Promise<PendingWrite[]>;
  /**
   * Settles a pending create in one atomic step: the link is saved and the intent removed together, so a crash
   * between the two cannot leave an intent whose record is already linked (or a link without its intent cleared).
   * The record's open quarantine entry (from the run that lost the create's answer) is resolved in the same step:
   * a linked record is done, and a crash right after linking must not leave it reported as failed.
   */
  completePendingWrite(id: number, link: Omit<Link, 'updatedAt'>): Promise<void>;

  // --- cursors: where each flow's incremental read resumes ------------------------------------------------
  getCursor(flow: string): Promise<string | undefined>;
  saveCursor(flow: string, value: string): Promise<void>;

  // --- OAuth tokens per connection (the HTTP client's TokenStore) -----------------------------------------
  loadToken(connection: string): Promise<Json | undefined>;
  /** Atomic: a reader sees the old token or the new one, never a mix. */
  saveToken(connection: string, token: Json): Promise<void>;

  // --- quarantine: records that failed, with everything needed to understand and replay them -------------
  /** One open entry per (flow, source id): a record that fails again updates its entry and bumps `attempts`. */
  quarantine(entry: QuarantineInput): Promise<number>;
  listQuarantine(filter?: { flow?: string; includeResolved?: boolean }): Promise<QuarantineEntry[]>;
  /** The record went through: its open entries are marked resolved (kept until the retention purges them). */
  resolveQuarantine(flow: string, sourceId: string): Promise<void>;
  /**
   * A person decided the open entry `id` needs no replay (the record was fixed by hand, or is to be ignored): it is
   * resolved with their note. Returns the entry, or undefined when there is no open entry with that id.
   */
  dismissQuarantine(id: number, note: string): Promise<QuarantineEntry | undefined>;

  // --- activity log and runs ------------------------------------------------------------------------------
  startRun(run: { flows: string[]; dryRun: boolean }): Promise<string>;
  finishRun(runId: string, summary: Json): Promise<void>;
  getRun(runId: string): Promise<RunRecord | undefined>;
  listRuns(limit: number): Promise<RunRecord[]>;
  logActivity(entry: ActivityInput): Promise<void>;
  listActivity(filter?: ActivityFilter): Promise<ActivityEntry[]>;
  /**
   * How many records each flow created, updated, ... since `since` (dry runs not counted), per time bucket of
   * `bucketMs` milliseconds (bucket = floor(epoch ms / bucketMs)): the dashboard's counts and charts, without
   * reading the log itself.
   */
  countActivity(since: Date, bucketMs: number): Promise<ActivityCount[]>;

  /**
   * Deletes activity and runs older than `before`, and quarantine entries resolved before it. Open quarantine
   * entries are never purged: they are work a person still has to look at.
   */
  purge(before: Date): Promise<PurgeCounts>;

  /**
   * Takes the named lock for `owner` unless another live holder has it. A holder that is gone (its process no
   * longer runs on this host, or its lease expired) loses the lock. Returns the current holder when refused.
   */
  acquireLock(name: string, owner: LockOwner, leaseMs: number): Promise<{ acquired: true } | { acquired: false; holder: LockHolder }>;
  releaseLock(name: string, ownerId: string): Promise<void>;
  /**
   * Extends the lease of a lock `ownerId` still holds to `leaseMs` from now (the heartbeat of a long run). False
   * when it no longer holds it (its lease ran out and another holder took it): the caller should stop.
   */
  renewLock(name: string, ownerId: string, leaseMs: number): Promise<boolean>;

  close(): Promise<void>;
}

export interface LockOwner {
  readonly id: string;
  readonly host: string;
  readonly pid: number;
}

export interface LockHolder extends LockOwner {
  readonly acquiredAt: string;
  readonly expiresAt: string;
}

export interface Link {
  readonly flow: string;
  readonly sourceId: string;
  readonly targetId: string;
  /** The `identify by` key value the target record was recognised or created with, when the flow has one. */
  readonly key: string | null;
  /** Hash of the last payload written (or found equal); an unchanged record is not rewritten. */
  readonly contentHash: string | null;
  readonly updatedAt: string;
}

export interface PendingWrite {
  readonly id: number;
  readonly flow: string;
  readonly sourceId: string;
  /** `connector.entity` the create goes to. */
  readonly targetEntity: string;
  /** The field and value by which the record can be found again if the outcome of the create is unknown. */
  readonly keyField: string | null;
  readonly keyValue: string | null;
  readonly contentHash: string | null;
  readonly createdAt: string;
}

export interface QuarantineInput {
  readonly runId: string | null;
  readonly flow: string;
  readonly sourceId: string;
  readonly reason: string;
  readonly sourceRecord: Json;
  readonly payload: Json | null;
  readonly response: Json | null;
}

export interface QuarantineEntry extends QuarantineInput {
  readonly id: number;
  readonly attempts: number;
  readonly resolved: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly resolvedAt: string | null;
  /** Why a person dismissed it (`dismissQuarantine`); null when it was resolved by a run or is open. */
  readonly note: string | null;
}

export type ActivityAction = 'create' | 'update' | 'skip' | 'fail' | 'write-back' | 'upsert-create' | 'upsert-update';

export interface ActivityInput {
  readonly runId: string;
  readonly flow: string;
  readonly sourceId: string;
  readonly action: ActivityAction;
  readonly reason: string;
  readonly dryRun: boolean;
  readonly targetId: string | null;
  readonly sourceRecord: Json | null;
  readonly payload: Json | null;
  readonly response: Json | null;
  readonly durationMs: number;
  /** Target field path -> `.map` file:line of the rule that produced it. */
  readonly lineage: Readonly<Record<string, string>> | null;
}

export interface ActivityEntry extends ActivityInput {
  readonly id: number;
  readonly at: string;
}

export interface ActivityFilter {
  readonly flow?: string;
  readonly sourceId?: string;
  readonly runId?: string;
  readonly actions?: readonly ActivityAction[];
  /** Text that must occur (case-insensitively) in the source id, target id, reason, source record or payload. */
  readonly search?: string;
  /** Entries at or after this instant (ISO 8601). */
  readonly since?: string;
  /** Entries before this instant (ISO 8601). */
  readonly until?: string;
  /** Keyset paging: only entries with a smaller id than this (the last id of the previous page). */
  readonly beforeId?: number;
  /** Newest first; default 100. */
  readonly limit?: number;
}

export interface ActivityCount {
  readonly flow: string;
  readonly action: ActivityAction;
  /** floor(epoch ms / bucketMs) of the entries counted. */
  readonly bucket: number;
  readonly count: number;
}

export interface RunRecord {
  readonly id: string;
  readonly flows: string[];
  readonly dryRun: boolean;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly summary: Json | null;
}

export interface PurgeCounts {
  readonly activity: number;
  readonly runs: number;
  readonly quarantine: number;
}
