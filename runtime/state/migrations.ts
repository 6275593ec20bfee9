/**
 * The SQLite schema, as an append-only list of migrations. The database's `user_version` says how many have run;
 * opening a file applies the missing ones in one transaction. Never edit a shipped migration: add the next one.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: the initial schema
  `
  CREATE TABLE links (
    flow          TEXT NOT NULL,
    source_id     TEXT NOT NULL,
    target_id     TEXT NOT NULL,
    key           TEXT,
    content_hash  TEXT,
    updated_at    TEXT NOT NULL,
    PRIMARY KEY (flow, source_id)
  );
  CREATE TABLE pending_writes (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    flow           TEXT NOT NULL,
    source_id      TEXT NOT NULL,
    target_entity  TEXT NOT NULL,
    key_field      TEXT,
    key_value      TEXT,
    content_hash   TEXT,
    created_at     TEXT NOT NULL
  );
  CREATE INDEX pending_writes_flow ON pending_writes (flow);
  CREATE TABLE cursors (
    flow        TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    updated_at  TEXT NOT NULL
  );
  CREATE TABLE tokens (
    connection  TEXT PRIMARY KEY,
    token       TEXT NOT NULL,
    updated_at  TEXT NOT NULL
  );
  CREATE TABLE quarantine (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id          TEXT,
    flow            TEXT NOT NULL,
    source_id       TEXT NOT NULL,
    reason          TEXT NOT NULL,
    source_record   TEXT NOT NULL,
    payload         TEXT,
    response        TEXT,
    attempts        INTEGER NOT NULL DEFAULT 1,
    resolved        INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    resolved_at     TEXT
  );
  CREATE INDEX quarantine_open ON quarantine (flow, source_id, resolved);
  CREATE TABLE runs (
    id           TEXT PRIMARY KEY,
    flows        TEXT NOT NULL,
    dry_run      INTEGER NOT NULL,
    started_at   TEXT NOT NULL,
    finished_at  TEXT,
    summary      TEXT
  );
  CREATE TABLE activity (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id         TEXT NOT NULL,
    flow           TEXT NOT NULL,
    source_id      TEXT NOT NULL,
    action         TEXT NOT NULL,
    reason         TEXT NOT NULL,
    dry_run        INTEGER NOT NULL,
    target_id      TEXT,
    source_record  TEXT,
    payload        TEXT,
    response       TEXT,
    duration_ms    REAL NOT NULL,
    lineage        TEXT,
    at             TEXT NOT NULL
  );
  CREATE INDEX activity_flow_source ON activity (flow, source_id);
  CREATE INDEX activity_run ON activity (run_id);
  CREATE INDEX activity_at ON activity (at);
  `,
  // 2: per-flow run locks, so two overlapping runs (a cron job and a manual run) never process one flow at once
  `
  CREATE TABLE locks (
    name         TEXT PRIMARY KEY,
    owner        TEXT NOT NULL,
    host         TEXT NOT NULL,
    pid          INTEGER NOT NULL,
    acquired_at  TEXT NOT NULL,
    expires_at   TEXT NOT NULL
  );
  `,
  // 3: a note on a quarantine entry a person dismissed from the dashboard
  `
  ALTER TABLE quarantine ADD COLUMN note TEXT;
  `,
];
