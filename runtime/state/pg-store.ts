import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { Json } from '../../compiler/artifact.js';
import { SecretBox, SecretKeyError } from '../secrets/secret-box.js';
import { jsonText, jsonTextOrNull } from './json-text.js';
import { holderIsGone } from './lock-holder.js';
import { activityFrom, decodePg, holderFrom, linkFrom, pendingFrom, quarantineFrom, runFrom } from './rows.js';
import { IntegrationScope, type IntegrationRef, type ScopedQuery } from './pg-scope.js';
import { likePattern, SEARCHED_COLUMNS } from './activity-search.js';
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

export interface PgStoreOptions {
  /** The clock, so tests can age entries for the retention purge and leases. */
  readonly now?: () => Date;
  /** Seals the OAuth tokens; without it, reading or saving a token is a clear error. */
  readonly secrets?: SecretBox | undefined;
}

export type { IntegrationRef } from './pg-scope.js';

/**
 * The state store in PostgreSQL, for one integration among many in one database. The store is bound to its
 * integration when it is opened and every statement it runs goes through its `IntegrationScope`, which passes the
 * integration id as `$1` and refuses SQL that does not use it: no method can read or change another integration's rows (the
 * conformance and isolation tests in `test/runtime/state/` check every method). The pool belongs to the caller;
 * `close` does not end it.
 */
export class PgStateStore implements StateStore {
  private readonly scope: IntegrationScope;
  private readonly now: () => Date;
  private readonly secrets: SecretBox | undefined;

  private constructor(pool: pg.Pool, integration: IntegrationRef, options: PgStoreOptions) {
    this.scope = new IntegrationScope(pool, integration);
    this.now = options.now ?? (() => new Date());
    this.secrets = options.secrets;
  }

  get integration(): IntegrationRef {
    return this.scope.integration;
  }

  /** A store bound to `integration` (the schema must be migrated: `migratePostgres`). */
  static open(pool: pg.Pool, integration: IntegrationRef, options: PgStoreOptions = {}): PgStateStore {
    return new PgStateStore(pool, integration, options);
  }

  private stamp(): string {
    return this.now().toISOString();
  }

  private get query(): ScopedQuery {
    return this.scope.query;
  }

  // --- links ----------------------------------------------------------------------------------------------

  async getLink(flow: string, sourceId: string): Promise<Link | undefined> {
    const { rows } = await this.query<Row>('SELECT * FROM mapline.links WHERE integration_id = $1 AND flow = $2 AND source_id = $3', [flow, sourceId]);
    return rows[0] && linkFrom(rows[0], decodePg);
  }

  async saveLink(link: Omit<Link, 'updatedAt'>): Promise<void> {
    await this.upsertLink(this.query, link);
  }

  private async upsertLink(query: ScopedQuery, link: Omit<Link, 'updatedAt'>): Promise<void> {
    await query(
      `INSERT INTO mapline.links (integration_id, flow, source_id, target_id, key, content_hash, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (integration_id, flow, source_id) DO UPDATE SET target_id = excluded.target_id, key = excluded.key,
         content_hash = excluded.content_hash, updated_at = excluded.updated_at`,
      [link.flow, link.sourceId, link.targetId, link.key, link.contentHash, this.stamp()],
    );
  }

  async deleteLink(flow: string, sourceId: string): Promise<void> {
    await this.query('DELETE FROM mapline.links WHERE integration_id = $1 AND flow = $2 AND source_id = $3', [flow, sourceId]);
  }

  async listLinks(flow: string): Promise<Link[]> {
    const { rows } = await this.query<Row>('SELECT * FROM mapline.links WHERE integration_id = $1 AND flow = $2 ORDER BY source_id', [flow]);
    return rows.map((r) => linkFrom(r, decodePg));
  }

  // --- pending writes -------------------------------------------------------------------------------------

  async addPendingWrite(write: Omit<PendingWrite, 'id' | 'createdAt'>): Promise<number> {
    const { rows } = await this.query<{ id: string }>(
      `INSERT INTO mapline.pending_writes (integration_id, flow, source_id, target_entity, key_field, key_value, content_hash, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [write.flow, write.sourceId, write.targetEntity, write.keyField, write.keyValue, write.contentHash, this.stamp()],
    );
    return Number(rows[0]!.id);
  }

  async clearPendingWrite(id: number): Promise<void> {
    await this.query('DELETE FROM mapline.pending_writes WHERE integration_id = $1 AND id = $2', [id]);
  }

  async completePendingWrite(id: number, link: Omit<Link, 'updatedAt'>): Promise<void> {
    await this.scope.transaction(async (query) => {
      await this.upsertLink(query, link);
      await query('DELETE FROM mapline.pending_writes WHERE integration_id = $1 AND id = $2', [id]);
      await query(RESOLVE_QUARANTINE, [this.stamp(), link.flow, link.sourceId]);
    });
  }

  async listPendingWrites(flow?: string): Promise<PendingWrite[]> {
    const { rows } =
      flow === undefined
        ? await this.query<Row>('SELECT * FROM mapline.pending_writes WHERE integration_id = $1 ORDER BY id')
        : await this.query<Row>('SELECT * FROM mapline.pending_writes WHERE integration_id = $1 AND flow = $2 ORDER BY id', [flow]);
    return rows.map((r) => pendingFrom(r, decodePg));
  }

  // --- cursors --------------------------------------------------------------------------------------------

  async getCursor(flow: string): Promise<string | undefined> {
    const { rows } = await this.query<{ value: string }>('SELECT value FROM mapline.cursors WHERE integration_id = $1 AND flow = $2', [flow]);
    return rows[0]?.value;
  }

  async saveCursor(flow: string, value: string): Promise<void> {
    await this.query(
      `INSERT INTO mapline.cursors (integration_id, flow, value, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (integration_id, flow) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      [flow, value, this.stamp()],
    );
  }

  // --- tokens: sealed with the integration's key, never stored in clear ------------------------------------

  async loadToken(connection: string): Promise<Json | undefined> {
    const { rows } = await this.query<{ sealed: Buffer }>('SELECT sealed FROM mapline.tokens WHERE integration_id = $1 AND connection = $2', [connection]);
    if (!rows[0]) return undefined;
    const text = this.box(connection).open(rows[0].sealed, this.tokenContext(connection), `integration ${this.integration.name}: the OAuth tokens of connection ${connection}`);
    return JSON.parse(text) as Json;
  }

  async saveToken(connection: string, token: Json): Promise<void> {
    const sealed = this.box(connection).seal(JSON.stringify(token), this.tokenContext(connection));
    // One statement is one transaction: the row holds the old token or the new one, never half of each.
    await this.query(
      `INSERT INTO mapline.tokens (integration_id, connection, sealed, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (integration_id, connection) DO UPDATE SET sealed = excluded.sealed, updated_at = excluded.updated_at`,
      [connection, sealed, this.stamp()],
    );
  }

  private box(connection: string): SecretBox {
    if (!this.secrets) {
      throw new SecretKeyError(
        `integration ${this.integration.name}: MAPLINE_SECRET_KEY is not set; it is needed to keep the OAuth tokens of connection ${connection} encrypted`,
      );
    }
    return this.secrets;
  }

  private tokenContext(connection: string): string {
    return tokenContext(this.integration.id, connection);
  }

  // --- quarantine -----------------------------------------------------------------------------------------

  async quarantine(entry: QuarantineInput): Promise<number> {
    const stamp = this.stamp();
    // One statement: a second worker failing the same record at once bumps the same open entry.
    const { rows } = await this.query<{ id: string }>(
      `INSERT INTO mapline.quarantine (integration_id, run_id, flow, source_id, reason, source_record, payload, response, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
       ON CONFLICT (integration_id, flow, source_id) WHERE NOT resolved DO UPDATE SET run_id = excluded.run_id, reason = excluded.reason,
         source_record = excluded.source_record, payload = excluded.payload, response = excluded.response,
         attempts = mapline.quarantine.attempts + 1, updated_at = excluded.updated_at
       RETURNING id`,
      [entry.runId, entry.flow, entry.sourceId, entry.reason, jsonText(entry.sourceRecord), jsonTextOrNull(entry.payload), jsonTextOrNull(entry.response), stamp],
    );
    return Number(rows[0]!.id);
  }

  async listQuarantine(filter: { flow?: string; includeResolved?: boolean } = {}): Promise<QuarantineEntry[]> {
    const where = ['integration_id = $1'];
    const params: unknown[] = [];
    if (filter.flow !== undefined) {
      params.push(filter.flow);
      where.push(`flow = $${params.length + 1}`);
    }
    if (!filter.includeResolved) where.push('NOT resolved');
    const { rows } = await this.query<Row>(`SELECT * FROM mapline.quarantine WHERE ${where.join(' AND ')} ORDER BY id`, params);
    return rows.map((r) => quarantineFrom(r, decodePg));
  }

  async resolveQuarantine(flow: string, sourceId: string): Promise<void> {
    await this.query(RESOLVE_QUARANTINE, [this.stamp(), flow, sourceId]);
  }

  async dismissQuarantine(id: number, note: string): Promise<QuarantineEntry | undefined> {
    const { rows } = await this.query<Row>(
      'UPDATE mapline.quarantine SET resolved = true, resolved_at = $2, note = $3 WHERE integration_id = $1 AND id = $4 AND NOT resolved RETURNING *',
      [this.stamp(), note, id],
    );
    return rows[0] && quarantineFrom(rows[0], decodePg);
  }

  // --- runs and activity ----------------------------------------------------------------------------------

  async startRun(run: { flows: string[]; dryRun: boolean }): Promise<string> {
    const id = randomUUID();
    await this.query('INSERT INTO mapline.runs (integration_id, id, flows, dry_run, started_at) VALUES ($1, $2, $3, $4, $5)', [id, run.flows, run.dryRun, this.stamp()]);
    return id;
  }

  async finishRun(runId: string, summary: Json): Promise<void> {
    await this.query('UPDATE mapline.runs SET finished_at = $2, summary = $3 WHERE integration_id = $1 AND id = $4', [this.stamp(), jsonText(summary), runId]);
  }

  async getRun(runId: string): Promise<RunRecord | undefined> {
    const { rows } = await this.query<Row>('SELECT * FROM mapline.runs WHERE integration_id = $1 AND id = $2', [runId]);
    return rows[0] && runFrom(rows[0], decodePg);
  }

  async listRuns(limit: number): Promise<RunRecord[]> {
    const { rows } = await this.query<Row>('SELECT * FROM mapline.runs WHERE integration_id = $1 ORDER BY started_at DESC, seq DESC LIMIT $2', [limit]);
    return rows.map((r) => runFrom(r, decodePg));
  }

  /** The newest finished run (not a dry run) that ran `flow`: what `mapline integrations list` reports per flow. */
  async lastRunOf(flow: string): Promise<RunRecord | undefined> {
    const { rows } = await this.query<Row>(
      `SELECT * FROM mapline.runs WHERE integration_id = $1 AND $2 = ANY (flows) AND finished_at IS NOT NULL AND NOT dry_run
       ORDER BY started_at DESC, seq DESC LIMIT 1`,
      [flow],
    );
    return rows[0] && runFrom(rows[0], decodePg);
  }

  async logActivity(entry: ActivityInput): Promise<void> {
    await this.query(
      `INSERT INTO mapline.activity (integration_id, run_id, flow, source_id, action, reason, dry_run, target_id, source_record, payload,
         response, duration_ms, lineage, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
      [
        entry.runId,
        entry.flow,
        entry.sourceId,
        entry.action,
        entry.reason,
        entry.dryRun,
        entry.targetId,
        jsonTextOrNull(entry.sourceRecord),
        jsonTextOrNull(entry.payload),
        jsonTextOrNull(entry.response),
        entry.durationMs,
        entry.lineage ? JSON.stringify(entry.lineage) : null,
        this.stamp(),
      ],
    );
  }

  async listActivity(filter: ActivityFilter = {}): Promise<ActivityEntry[]> {
    const where = ['integration_id = $1'];
    const params: unknown[] = [];
    const add = (condition: (placeholder: string) => string, value: unknown): void => {
      params.push(value);
      where.push(condition(`$${params.length + 1}`));
    };
    if (filter.flow !== undefined) add((p) => `flow = ${p}`, filter.flow);
    if (filter.sourceId !== undefined) add((p) => `source_id = ${p}`, filter.sourceId);
    if (filter.runId !== undefined) add((p) => `run_id = ${p}`, filter.runId);
    if (filter.actions && filter.actions.length > 0) add((p) => `action = ANY (${p})`, [...filter.actions]);
    if (filter.since !== undefined) add((p) => `at >= ${p}`, filter.since);
    if (filter.until !== undefined) add((p) => `at < ${p}`, filter.until);
    if (filter.beforeId !== undefined) add((p) => `id < ${p}`, filter.beforeId);
    if (filter.search) add((p) => `(${SEARCHED_COLUMNS.map((c) => `${c}::text ILIKE ${p} ESCAPE '\\'`).join(' OR ')})`, likePattern(filter.search));
    params.push(filter.limit ?? 100);
    const { rows } = await this.query<Row>(
      `SELECT * FROM mapline.activity WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT $${params.length + 1}`,
      params,
    );
    return rows.map((r) => activityFrom(r, decodePg));
  }

  async countActivity(since: Date, bucketMs: number): Promise<ActivityCount[]> {
    const { rows } = await this.query<{ flow: string; action: ActivityAction; bucket: string; count: string }>(
      `SELECT flow, action, floor(extract(epoch FROM at) * 1000 / $2)::bigint AS bucket, count(*) AS count
       FROM mapline.activity WHERE integration_id = $1 AND at >= $3 AND NOT dry_run GROUP BY flow, action, bucket ORDER BY flow, bucket`,
      [bucketMs, since.toISOString()],
    );
    return rows.map((r) => ({ flow: r.flow, action: r.action, bucket: Number(r.bucket), count: Number(r.count) }));
  }

  async purge(before: Date): Promise<PurgeCounts> {
    const cutoff = before.toISOString();
    return this.scope.transaction(async (query) => ({
      activity: (await query('DELETE FROM mapline.activity WHERE integration_id = $1 AND at < $2', [cutoff])).rowCount ?? 0,
      runs: (await query('DELETE FROM mapline.runs WHERE integration_id = $1 AND finished_at IS NOT NULL AND finished_at < $2', [cutoff])).rowCount ?? 0,
      quarantine: (await query('DELETE FROM mapline.quarantine WHERE integration_id = $1 AND resolved AND resolved_at < $2', [cutoff])).rowCount ?? 0,
    }));
  }

  // --- locks ----------------------------------------------------------------------------------------------

  async acquireLock(name: string, owner: LockOwner, leaseMs: number): Promise<{ acquired: true } | { acquired: false; holder: LockHolder }> {
    const now = this.now();
    const values = [name, owner.id, owner.host, owner.pid, now.toISOString(), new Date(now.getTime() + leaseMs).toISOString()];
    return this.scope.transaction(async (query) => {
      // A free name is taken by the insert; a taken one is locked (FOR UPDATE) while its holder is judged, so of
      // two workers asking at once exactly one gets it.
      const inserted = await query(
        `INSERT INTO mapline.locks (integration_id, name, owner, host, pid, acquired_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (integration_id, name) DO NOTHING`,
        values,
      );
      if (inserted.rowCount === 1) return { acquired: true as const };
      const { rows } = await query<Row>('SELECT * FROM mapline.locks WHERE integration_id = $1 AND name = $2 FOR UPDATE', [name]);
      const row = rows[0];
      if (row && row.owner !== owner.id) {
        const holder = holderFrom(row, decodePg);
        if (!holderIsGone(holder, owner, now)) return { acquired: false as const, holder };
      }
      await query(
        `INSERT INTO mapline.locks (integration_id, name, owner, host, pid, acquired_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (integration_id, name) DO UPDATE SET owner = excluded.owner, host = excluded.host, pid = excluded.pid,
           acquired_at = excluded.acquired_at, expires_at = excluded.expires_at`,
        values,
      );
      return { acquired: true as const };
    });
  }

  async releaseLock(name: string, ownerId: string): Promise<void> {
    await this.query('DELETE FROM mapline.locks WHERE integration_id = $1 AND name = $2 AND owner = $3', [name, ownerId]);
  }

  async renewLock(name: string, ownerId: string, leaseMs: number): Promise<boolean> {
    const expiresAt = new Date(this.now().getTime() + leaseMs).toISOString();
    const { rowCount } = await this.query('UPDATE mapline.locks SET expires_at = $4 WHERE integration_id = $1 AND name = $2 AND owner = $3', [name, ownerId, expiresAt]);
    return rowCount === 1;
  }

  /** Every lock the integration's runs hold now, live or not (for status: which flow is running where). */
  async listLocks(): Promise<(LockHolder & { readonly name: string })[]> {
    const { rows } = await this.query<Row>('SELECT * FROM mapline.locks WHERE integration_id = $1 ORDER BY name');
    return rows.map((r) => ({ name: r.name as string, ...holderFrom(r, decodePg) }));
  }

  async close(): Promise<void> {
    this.scope.close();
  }
}

/** A sealed token's additional data: a token row copied to another integration or connection does not open. */
export function tokenContext(integrationId: string, connection: string): string {
  return `${integrationId}/tokens/${connection}`;
}

type Row = Record<string, unknown>;

const RESOLVE_QUARANTINE = 'UPDATE mapline.quarantine SET resolved = true, resolved_at = $2 WHERE integration_id = $1 AND flow = $3 AND source_id = $4 AND NOT resolved';
