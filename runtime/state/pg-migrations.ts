import type pg from 'pg';

/**
 * The PostgreSQL schema, as an append-only list of numbered migrations (version = index + 1), all in the schema
 * `mapline`. Never edit a shipped migration: add the next one. `migratePostgres` applies the missing ones.
 *
 * Tenancy: every row belongs to one integration. The registry's own tables (`integrations` and what an
 * integration is made of) are keyed by it; every state table carries `integration_id`, which leads its primary
 * key or unique index, and references the integration, so removing an integration removes all its rows.
 * Documents (records, payloads, responses) are `json`, not `jsonb`: `json` keeps the text as written (key
 * order, `\u0000` escapes and lone surrogates, which the bad-data proof sends and `jsonb` refuses).
 */
export const PG_MIGRATIONS: readonly string[] = [
  // 1: the registry and the state store
  `
  CREATE TABLE mapline.integrations (
    id          uuid PRIMARY KEY,
    name        text NOT NULL UNIQUE,
    state       text NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'paused')),
    config      json NOT NULL,
    flows       text[] NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
  );
  CREATE TABLE mapline.integration_maps (
    integration_id  uuid NOT NULL REFERENCES mapline.integrations (id) ON DELETE CASCADE,
    file            text NOT NULL,
    text            text NOT NULL,
    PRIMARY KEY (integration_id, file)
  );
  CREATE TABLE mapline.integration_secrets (
    integration_id  uuid NOT NULL REFERENCES mapline.integrations (id) ON DELETE CASCADE,
    path            text NOT NULL,
    sealed          bytea NOT NULL,
    PRIMARY KEY (integration_id, path)
  );

  CREATE TABLE mapline.links (
    integration_id  uuid NOT NULL REFERENCES mapline.integrations (id) ON DELETE CASCADE,
    flow            text NOT NULL,
    source_id       text NOT NULL,
    target_id       text NOT NULL,
    key             text,
    content_hash    text,
    updated_at      timestamptz NOT NULL,
    PRIMARY KEY (integration_id, flow, source_id)
  );
  CREATE TABLE mapline.pending_writes (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    integration_id  uuid NOT NULL REFERENCES mapline.integrations (id) ON DELETE CASCADE,
    flow            text NOT NULL,
    source_id       text NOT NULL,
    target_entity   text NOT NULL,
    key_field       text,
    key_value       text,
    content_hash    text,
    created_at      timestamptz NOT NULL
  );
  CREATE INDEX pending_writes_flow ON mapline.pending_writes (integration_id, flow);
  CREATE TABLE mapline.cursors (
    integration_id  uuid NOT NULL REFERENCES mapline.integrations (id) ON DELETE CASCADE,
    flow            text NOT NULL,
    value           text NOT NULL,
    updated_at      timestamptz NOT NULL,
    PRIMARY KEY (integration_id, flow)
  );
  CREATE TABLE mapline.tokens (
    integration_id  uuid NOT NULL REFERENCES mapline.integrations (id) ON DELETE CASCADE,
    connection      text NOT NULL,
    sealed          bytea NOT NULL,
    updated_at      timestamptz NOT NULL,
    PRIMARY KEY (integration_id, connection)
  );
  CREATE TABLE mapline.quarantine (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    integration_id  uuid NOT NULL REFERENCES mapline.integrations (id) ON DELETE CASCADE,
    run_id          text,
    flow            text NOT NULL,
    source_id       text NOT NULL,
    reason          text NOT NULL,
    source_record   json NOT NULL,
    payload         json,
    response        json,
    attempts        integer NOT NULL DEFAULT 1,
    resolved        boolean NOT NULL DEFAULT false,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    resolved_at     timestamptz
  );
  -- One open entry per record: a record failing again updates it (INSERT ... ON CONFLICT uses this index).
  CREATE UNIQUE INDEX quarantine_open ON mapline.quarantine (integration_id, flow, source_id) WHERE NOT resolved;
  CREATE INDEX quarantine_integration ON mapline.quarantine (integration_id, id);
  CREATE TABLE mapline.runs (
    integration_id  uuid NOT NULL REFERENCES mapline.integrations (id) ON DELETE CASCADE,
    id              text NOT NULL,
    seq             bigint GENERATED ALWAYS AS IDENTITY,
    flows           text[] NOT NULL,
    dry_run         boolean NOT NULL,
    started_at      timestamptz NOT NULL,
    finished_at     timestamptz,
    summary         json,
    PRIMARY KEY (integration_id, id)
  );
  CREATE INDEX runs_started ON mapline.runs (integration_id, started_at DESC, seq DESC);
  CREATE TABLE mapline.activity (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    integration_id  uuid NOT NULL REFERENCES mapline.integrations (id) ON DELETE CASCADE,
    run_id          text NOT NULL,
    flow            text NOT NULL,
    source_id       text NOT NULL,
    action          text NOT NULL,
    reason          text NOT NULL,
    dry_run         boolean NOT NULL,
    target_id       text,
    source_record   json,
    payload         json,
    response        json,
    duration_ms     double precision NOT NULL,
    lineage         json,
    at              timestamptz NOT NULL
  );
  CREATE INDEX activity_flow_source ON mapline.activity (integration_id, flow, source_id);
  CREATE INDEX activity_run ON mapline.activity (integration_id, run_id);
  CREATE INDEX activity_at ON mapline.activity (integration_id, at);
  CREATE INDEX activity_newest ON mapline.activity (integration_id, id DESC);
  CREATE TABLE mapline.locks (
    integration_id  uuid NOT NULL REFERENCES mapline.integrations (id) ON DELETE CASCADE,
    name            text NOT NULL,
    owner           text NOT NULL,
    host            text NOT NULL,
    pid             integer NOT NULL,
    acquired_at     timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL,
    PRIMARY KEY (integration_id, name)
  );
  CREATE TABLE mapline.notify_sent (
    integration_id  uuid NOT NULL REFERENCES mapline.integrations (id) ON DELETE CASCADE,
    quarantine_id   bigint NOT NULL,
    flow            text NOT NULL,
    source_id       text NOT NULL,
    sent_at         timestamptz NOT NULL,
    PRIMARY KEY (integration_id, quarantine_id)
  );
  CREATE TABLE mapline.notify_flags (
    integration_id  uuid NOT NULL REFERENCES mapline.integrations (id) ON DELETE CASCADE,
    name            text NOT NULL,
    value           text NOT NULL,
    PRIMARY KEY (integration_id, name)
  );
  `,
  // 2: a note on a quarantine entry a person dismissed from the dashboard; the dashboard's users
  `
  ALTER TABLE mapline.quarantine ADD COLUMN note text;
  CREATE TABLE mapline.dashboard_users (
    name           text PRIMARY KEY,
    password_hash  text NOT NULL,
    -- The integrations the user may see and act on; NULL: all of them (an operator of the whole service).
    integrations   text[],
    created_at     timestamptz NOT NULL
  );
  `,
  // 3: rate budgets shared by every worker on the same API credentials (runtime/service/shared-rate-budget.ts).
  // Keyed by a hash of the credential identity and the rule, never the credentials; not an integration's row
  // (two integrations on one shop key draw on one budget), so it has no integration_id.
  `
  CREATE TABLE mapline.rate_budgets (
    key            text PRIMARY KEY,
    -- Tokens left; negative = requests already promised a slot in the future (each waits its turn).
    tokens         double precision NOT NULL,
    capacity       double precision NOT NULL,
    refill_per_ms  double precision NOT NULL,
    refilled_at    timestamptz NOT NULL
  );
  `,
];

/**
 * Any fixed 64-bit number names the lock; this one is "mapline" in ASCII. Held for the length of the migrating
 * transaction only (`pg_advisory_xact_lock`), so a worker that dies mid-migration releases it with its connection.
 */
const MIGRATION_LOCK = 0x6d61706c696e65n;

/**
 * Brings the database's `mapline` schema up to date: in one transaction, under an advisory lock, so two workers
 * starting at once do not both apply a migration (the second waits, then finds nothing left to do). A database
 * migrated by a newer Mapline is refused instead of being used with a schema this version does not know.
 * Returns the schema version.
 */
export async function migratePostgres(pool: pg.Pool, migrations: readonly string[] = PG_MIGRATIONS): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK.toString()]);
    await client.query('CREATE SCHEMA IF NOT EXISTS mapline');
    await client.query(`CREATE TABLE IF NOT EXISTS mapline.schema_migrations (
      version     integer PRIMARY KEY,
      applied_at  timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await client.query<{ version: number | null }>('SELECT max(version) AS version FROM mapline.schema_migrations');
    const current = rows[0]?.version ?? 0;
    if (current > migrations.length) {
      throw new Error(`the database has Mapline schema version ${current}, newer than this Mapline (${migrations.length}): upgrade Mapline`);
    }
    for (let version = current + 1; version <= migrations.length; version++) {
      await client.query(migrations[version - 1]!);
      await client.query('INSERT INTO mapline.schema_migrations (version) VALUES ($1)', [version]);
    }
    await client.query('COMMIT');
    return migrations.length;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
