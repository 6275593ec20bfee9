import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Json } from '../../compiler/artifact.js';
import { likePattern, SEARCHED_COLUMNS } from './activity-search.js';
import { jsonText, jsonTextOrNull } from './json-text.js';
import { holderIsGone } from './lock-holder.js';
import { MIGRATIONS } from './migrations.js';
import { activityFrom, decodeSqlite, holderFrom, linkFrom, pendingFrom, quarantineFrom, runFrom } from './rows.js';
import type {
  ActivityAction,
  ActivityCount,
  ActivityEntry,
  ActivityFilter,
  ActivityInput,
  Link,
  LockHolder,
  LockOwner,
  PendingWrite,
  PurgeCounts,
  QuarantineEntry,
  QuarantineInput,
  RunRecord,
  StateStore,
} from './store.js';
import { messageOf } from '../message-of.js';

export interface SqliteStoreOptions {
  /** The clock, so tests can age entries for the retention purge. */
  readonly now?: () => Date;
}

/** The state store in one SQLite file (WAL mode, so a reader such as `mapline logs` never blocks a run). */
export class SqliteStateStore implements StateStore {
  private readonly db: Database.Database;
  private readonly now: () => Date;

  private constructor(db: Database.Database, options: SqliteStoreOptions) {
    this.db = db;
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Opens (creating when needed) the state file and brings its schema up to date. The file holds OAuth tokens,
   * so it and its WAL companions are readable by their owner only (0600), whatever the umask.
   */
  static open(path: string, options: SqliteStoreOptions = {}): SqliteStateStore {
    const onDisk = path !== ':memory:';
    let db: Database.Database | undefined;
    try {
      if (onDisk) {
        if (existsSync(path) && statSync(path).isDirectory()) {
          throw new StateFileError(path, 'is a directory, not a state file; set "state" in the config (or --state) to a file path');
        }
        mkdirSync(dirname(path), { recursive: true });
        // An empty file is an empty SQLite database: creating it here is how it gets its mode before any data.
        if (!existsSync(path)) writeFileSync(path, '', { mode: 0o600 });
      }
      db = new Database(path);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('busy_timeout = 5000');
      migrate(db, path);
      if (onDisk) for (const file of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(file)) chmodSync(file, 0o600);
      return new SqliteStateStore(db, options);
    } catch (error) {
      db?.close();
      throw stateFileError(path, error);
    }
  }

  /** The schema version of the open file (the number of migrations applied). */
  get schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  private stamp(): string {
    return this.now().toISOString();
  }

  // --- links ----------------------------------------------------------------------------------------------

  async getLink(flow: string, sourceId: string): Promise<Link | undefined> {
    const row = this.db.prepare('SELECT * FROM links WHERE flow = ? AND source_id = ?').get(flow, sourceId) as Row | undefined;
    return row && linkFrom(row, decodeSqlite);
  }

  async saveLink(link: Omit<Link, 'updatedAt'>): Promise<void> {
    this.upsertLink(link);
  }

  private upsertLink(link: Omit<Link, 'updatedAt'>): void {
    this.db
      .prepare(
        `INSERT INTO links (flow, source_id, target_id, key, content_hash, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (flow, source_id) DO UPDATE SET target_id = excluded.target_id, key = excluded.key,
           content_hash = excluded.content_hash, updated_at = excluded.updated_at`,
      )
      .run(link.flow, link.sourceId, link.targetId, link.key, link.contentHash, this.stamp());
  }

  async deleteLink(flow: string, sourceId: string): Promise<void> {
    this.db.prepare('DELETE FROM links WHERE flow = ? AND source_id = ?').run(flow, sourceId);
  }

  async listLinks(flow: string): Promise<Link[]> {
    return (this.db.prepare('SELECT * FROM links WHERE flow = ? ORDER BY source_id').all(flow) as Row[]).map((r) => linkFrom(r, decodeSqlite));
  }

  // --- pending writes -------------------------------------------------------------------------------------

  async addPendingWrite(write: Omit<PendingWrite, 'id' | 'createdAt'>): Promise<number> {
    const result = this.db
      .prepare(
        `INSERT INTO pending_writes (flow, source_id, target_entity, key_field, key_value, content_hash, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(write.flow, write.sourceId, write.targetEntity, write.keyField, write.keyValue, write.contentHash, this.stamp());
    return Number(result.lastInsertRowid);
  }

  async clearPendingWrite(id: number): Promise<void> {
    this.db.prepare('DELETE FROM pending_writes WHERE id = ?').run(id);
  }

  async completePendingWrite(id: number, link: Omit<Link, 'updatedAt'>): Promise<void> {
    this.db.transaction(() => {
      this.upsertLink(link);
      this.db.prepare('DELETE FROM pending_writes WHERE id = ?').run(id);
      this.resolveQuarantineNow(link.flow, link.sourceId);
    })();
  }

  async listPendingWrites(flow?: string): Promise<PendingWrite[]> {
    const rows = (
      flow === undefined
        ? this.db.prepare('SELECT * FROM pending_writes ORDER BY id').all()
        : this.db.prepare('SELECT * FROM pending_writes WHERE flow = ? ORDER BY id').all(flow)
    ) as Row[];
    return rows.map((r) => pendingFrom(r, decodeSqlite));
  }

  // --- cursors --------------------------------------------------------------------------------------------

  async getCursor(flow: string): Promise<string | undefined> {
    const row = this.db.prepare('SELECT value FROM cursors WHERE flow = ?').get(flow) as { value: string } | undefined;
    return row?.value;
  }

  async saveCursor(flow: string, value: string): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO cursors (flow, value, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (flow) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      )
      .run(flow, value, this.stamp());
  }

  // --- tokens ---------------------------------------------------------------------------------------------

  async loadToken(connection: string): Promise<Json | undefined> {
    const row = this.db.prepare('SELECT token FROM tokens WHERE connection = ?').get(connection) as
      | { token: string }
      | undefined;
    return row ? (JSON.parse(row.token) as Json) : undefined;
  }

  async saveToken(connection: string, token: Json): Promise<void> {
    // One statement is one transaction: the row holds the old token or the new one, never half of each.
    this.db
      .prepare(
        `INSERT INTO tokens (connection, token, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (connection) DO UPDATE SET token = excluded.token, updated_at = excluded.updated_at`,
      )
      .run(connection, JSON.stringify(token), this.stamp());
  }

  // --- quarantine -----------------------------------------------------------------------------------------

  async quarantine(entry: QuarantineInput): Promise<number> {
    return this.db.transaction(() => {
      const open = this.db
        .prepare('SELECT id FROM quarantine WHERE flow = ? AND source_id = ? AND resolved = 0')
        .get(entry.flow, entry.sourceId) as { id: number } | undefined;
      const stamp = this.stamp();
      if (open) {
        this.db
          .prepare(
            `UPDATE quarantine SET run_id = ?, reason = ?, source_record = ?, payload = ?, response = ?,
               attempts = attempts + 1, updated_at = ? WHERE id = ?`,
          )
          .run(entry.runId, entry.reason, jsonText(entry.sourceRecord), jsonTextOrNull(entry.payload), jsonTextOrNull(entry.response), stamp, open.id);
        return open.id;
      }
      const result = this.db
        .prepare(
          `INSERT INTO quarantine (run_id, flow, source_id, reason, source_record, payload, response, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(entry.runId, entry.flow, entry.sourceId, entry.reason, jsonText(entry.sourceRecord), jsonTextOrNull(entry.payload), jsonTextOrNull(entry.response), stamp, stamp);
      return Number(result.lastInsertRowid);
    })();
  }

  async listQuarantine(filter: { flow?: string; includeResolved?: boolean } = {}): Promise<QuarantineEntry[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.flow !== undefined) {
      where.push('flow = ?');
      params.push(filter.flow);
    }
    if (!filter.includeResolved) where.push('resolved = 0');
    const sql = `SELECT * FROM quarantine ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id`;
    return (this.db.prepare(sql).all(...params) as Row[]).map((r) => quarantineFrom(r, decodeSqlite));
  }

  async resolveQuarantine(flow: string, sourceId: string): Promise<void> {
    this.resolveQuarantineNow(flow, sourceId);
  }

  private resolveQuarantineNow(flow: string, sourceId: string): void {
    this.db
      .prepare('UPDATE quarantine SET resolved = 1, resolved_at = ? WHERE flow = ? AND source_id = ? AND resolved = 0')
      .run(this.stamp(), flow, sourceId);
  }

  async dismissQuarantine(id: number, note: string): Promise<QuarantineEntry | undefined> {
    const row = this.db
      .prepare('UPDATE quarantine SET resolved = 1, resolved_at = ?, note = ? WHERE id = ? AND resolved = 0 RETURNING *')
      .get(this.stamp(), note, id) as Row | undefined;
    return row && quarantineFrom(row, decodeSqlite);
  }

  // --- runs and activity ----------------------------------------------------------------------------------

  async startRun(run: { flows: string[]; dryRun: boolean }): Promise<string> {
    const id = randomUUID();
    this.db
      .prepare('INSERT INTO runs (id, flows, dry_run, started_at) VALUES (?, ?, ?, ?)')
      .run(id, JSON.stringify(run.flows), run.dryRun ? 1 : 0, this.stamp());
    return id;
  }

  async finishRun(runId: string, summary: Json): Promise<void> {
    this.db.prepare('UPDATE runs SET finished_at = ?, summary = ? WHERE id = ?').run(this.stamp(), JSON.stringify(summary), runId);
  }

  async getRun(runId: string): Promise<RunRecord | undefined> {
    const row = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(runId) as Row | undefined;
    return row && runFrom(row, decodeSqlite);
  }

  async listRuns(limit: number): Promise<RunRecord[]> {
    return (this.db.prepare('SELECT * FROM runs ORDER BY started_at DESC, rowid DESC LIMIT ?').all(limit) as Row[]).map((r) => runFrom(r, decodeSqlite));
  }

  async logActivity(entry: ActivityInput): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO activity (run_id, flow, source_id, action, reason, dry_run, target_id, source_record, payload,
           response, duration_ms, lineage, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        entry.runId,
        entry.flow,
        entry.sourceId,
        entry.action,
        entry.reason,
        entry.dryRun ? 1 : 0,
        entry.targetId,
        jsonTextOrNull(entry.sourceRecord),
        jsonTextOrNull(entry.payload),
        jsonTextOrNull(entry.response),
        entry.durationMs,
        entry.lineage ? JSON.stringify(entry.lineage) : null,
        this.stamp(),
      );
  }

  async listActivity(filter: ActivityFilter = {}): Promise<ActivityEntry[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (condition: string, ...values: unknown[]): void => {
      where.push(condition);
      params.push(...values);
    };
    if (filter.flow !== undefined) add('flow = ?', filter.flow);
    if (filter.sourceId !== undefined) add('source_id = ?', filter.sourceId);
    if (filter.runId !== undefined) add('run_id = ?', filter.runId);
    if (filter.actions && filter.actions.length > 0) add(`action IN (${filter.actions.map(() => '?').join(', ')})`, ...filter.actions);
    if (filter.since !== undefined) add('at >= ?', filter.since);
    if (filter.until !== undefined) add('at < ?', filter.until);
    if (filter.beforeId !== undefined) add('id < ?', filter.beforeId);
    if (filter.search) {
      // SQLite's LIKE ignores ASCII case; the escape keeps a searched % or _ literal.
      const pattern = likePattern(filter.search);
      add(`(${SEARCHED_COLUMNS.map((c) => `${c} LIKE ? ESCAPE '\\'`).join(' OR ')})`, ...SEARCHED_COLUMNS.map(() => pattern));
    }
    params.push(filter.limit ?? 100);
    const sql = `SELECT * FROM activity ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...params) as Row[]).map((r) => activityFrom(r, decodeSqlite));
  }

  async countActivity(since: Date, bucketMs: number): Promise<ActivityCount[]> {
    // `at` is ISO text; julianday turns it into days, so the bucket is computed from epoch milliseconds.
    const rows = this.db
      .prepare(
        `SELECT flow, action, CAST(((julianday(at) - 2440587.5) * 86400000) / ? AS INTEGER) AS bucket, count(*) AS count
         FROM activity WHERE at >= ? AND dry_run = 0 GROUP BY flow, action, bucket ORDER BY flow, bucket`,
      )
      .all(bucketMs, since.toISOString()) as { flow: string; action: ActivityAction; bucket: number; count: number }[];
    return rows.map((r) => ({ flow: r.flow, action: r.action, bucket: r.bucket, count: r.count }));
  }

  async purge(before: Date): Promise<PurgeCounts> {
    const cutoff = before.toISOString();
    return this.db.transaction(() => ({
      activity: this.db.prepare('DELETE FROM activity WHERE at < ?').run(cutoff).changes,
      runs: this.db.prepare('DELETE FROM runs WHERE finished_at IS NOT NULL AND finished_at < ?').run(cutoff).changes,
      quarantine: this.db.prepare('DELETE FROM quarantine WHERE resolved = 1 AND resolved_at < ?').run(cutoff).changes,
    }))();
  }

  async acquireLock(name: string, owner: LockOwner, leaseMs: number): Promise<{ acquired: true } | { acquired: false; holder: LockHolder }> {
    return this.db.transaction(() => {
      const row = this.db.prepare('SELECT * FROM locks WHERE name = ?').get(name) as LockRow | undefined;
      const now = this.now();
      if (row && row.owner !== owner.id && !holderIsGone({ host: row.host, pid: row.pid, expiresAt: row.expires_at }, owner, now)) {
        return { acquired: false as const, holder: holderFrom(row as unknown as Row, decodeSqlite) };
      }
      this.db
        .prepare(
          `INSERT INTO locks (name, owner, host, pid, acquired_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, host = excluded.host, pid = excluded.pid,
             acquired_at = excluded.acquired_at, expires_at = excluded.expires_at`,
        )
        .run(name, owner.id, owner.host, owner.pid, now.toISOString(), new Date(now.getTime() + leaseMs).toISOString());
      return { acquired: true as const };
    })();
  }

  async releaseLock(name: string, ownerId: string): Promise<void> {
    this.db.prepare('DELETE FROM locks WHERE name = ? AND owner = ?').run(name, ownerId);
  }

  async renewLock(name: string, ownerId: string, leaseMs: number): Promise<boolean> {
    const expiresAt = new Date(this.now().getTime() + leaseMs).toISOString();
    return this.db.prepare('UPDATE locks SET expires_at = ? WHERE name = ? AND owner = ?').run(expiresAt, name, ownerId).changes === 1;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/**
 * Brings the file's schema up to date, under a write lock taken before its version is read: two processes
 * opening an old file at once (a cron run and `mapline logs` after an upgrade) must not both apply the same
 * migration ("table locks already exists"). A file whose tables are further along than its version says (a copy
 * that lost its `user_version`) is recognised by its tables and continued from there.
 */
function migrate(db: Database.Database, path: string): void {
  db.transaction(() => {
    const stated = db.pragma('user_version', { simple: true }) as number;
    if (stated > MIGRATIONS.length) {
      throw new StateFileError(path, `has schema version ${stated}, newer than this Mapline knows (${MIGRATIONS.length}): upgrade Mapline to open it`);
    }
    if (stated === MIGRATIONS.length) return;
    const found = schemaVersionOf(db);
    if (found === undefined) {
      throw new StateFileError(
        path,
        `says schema version ${stated}, but its tables match no schema version of this Mapline; it was left as it is (restore it from a backup, or set "state" to a new file)`,
      );
    }
    // The tables are the truth: continue from the version they match.
    for (let version = found; version < MIGRATIONS.length; version++) {
      try {
        db.exec(MIGRATIONS[version]!);
      } catch (error) {
        throw new StateFileError(path, `could not be upgraded from schema version ${version} to ${version + 1} (${messageOf(error)}); it was left as it is`);
      }
    }
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  }).immediate();
}

/** The schema objects (tables, indexes) each migration creates, by version: what a file at that version holds. */
let schemaByVersion: readonly (readonly string[])[] | undefined;

/** The schema version whose tables and indexes the file holds, or undefined when it matches none. */
function schemaVersionOf(db: Database.Database): number | undefined {
  schemaByVersion ??= (() => {
    const memory = new Database(':memory:');
    const versions: string[][] = [[]];
    for (const migration of MIGRATIONS) {
      memory.exec(migration);
      versions.push(schemaObjects(memory));
    }
    memory.close();
    return versions;
  })();
  const known = new Set(schemaByVersion.at(-1));
  // Tables other modules create in the same file (the notifier's ledger) are not part of the schema versions.
  const present = schemaObjects(db).filter((name) => known.has(name));
  const at = schemaByVersion.findIndex((objects) => objects.length === present.length && objects.every((o, i) => o === present[i]));
  return at < 0 ? undefined : at;
}

function schemaObjects(db: Database.Database): string[] {
  const rows = db.prepare("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").all() as { type: string; name: string }[];
  return rows.map((r) => `${r.type} ${r.name}`);
}

/** A state file that cannot be used, named by its path; said once, in words a user can act on. */
export class StateFileError extends Error {
  constructor(
    readonly path: string,
    problem: string,
  ) {
    super(`state file ${path} ${problem}`);
    this.name = 'StateFileError';
  }
}

/** SQLite's own errors at open time, as a StateFileError naming the path and what to do. */
function stateFileError(path: string, error: unknown): StateFileError {
  if (error instanceof StateFileError) return error;
  const code = (error as { code?: unknown }).code;
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return new StateFileError(path, 'is not a Mapline state file (SQLite says: ' + messageOf(error) + '); it was left as it is: move it away, or set "state" to another file');
  }
  if (code === 'SQLITE_CANTOPEN' || code === 'EACCES' || code === 'EISDIR' || code === 'ENOTDIR') {
    return new StateFileError(path, `cannot be opened (${messageOf(error)}): check that its folder exists and is writable`);
  }
  return new StateFileError(path, `cannot be used: ${messageOf(error)}`);
}

interface LockRow {
  name: string;
  owner: string;
  host: string;
  pid: number;
  acquired_at: string;
  expires_at: string;
}

type Row = Record<string, unknown>;
