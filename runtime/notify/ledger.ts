import Database from 'better-sqlite3';

/**
 * What was already notified: one row per quarantine entry notified, and a few key/value flags (whether the last
 * cycle failed, so an outage is announced once, not every cycle). A quarantine entry is one failure episode of
 * one record: a record that fails again before it went through keeps its entry (and is not notified again); one
 * that went through and fails later gets a new entry. Kept next to the state it describes: in the SQLite state
 * file (below) or, in service mode, in PostgreSQL per integration (`pg-ledger.ts`).
 */
export interface NotificationLedger {
  notifiedIds(): Promise<Set<number>>;
  markNotified(entries: readonly { id: number; flow: string; sourceId: string }[], at: Date): Promise<void>;
  /** Forgets notifications whose quarantine entry the retention purged (the ids are never reused). */
  forgetAllBut(liveQuarantineIds: ReadonlySet<number>): Promise<number>;
  flag(name: string): Promise<string | undefined>;
  setFlag(name: string, value: string | undefined): Promise<void>;
  close(): Promise<void>;
}

/**
 * The ledger in the SQLite state file, in two tables this module owns (created if missing, outside the store's
 * migration list, which belongs to the state store).
 */
export class SqliteNotificationLedger implements NotificationLedger {
  private constructor(private readonly db: Database.Database) {}

  static open(stateFile: string): SqliteNotificationLedger {
    const db = new Database(stateFile);
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    db.exec(`
      CREATE TABLE IF NOT EXISTS notify_sent (
        quarantine_id  INTEGER PRIMARY KEY,
        flow           TEXT NOT NULL,
        source_id      TEXT NOT NULL,
        sent_at        TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS notify_flags (
        name   TEXT PRIMARY KEY,
        value  TEXT NOT NULL
      );
    `);
    return new SqliteNotificationLedger(db);
  }

  async notifiedIds(): Promise<Set<number>> {
    const rows = this.db.prepare('SELECT quarantine_id AS id FROM notify_sent').all() as { id: number }[];
    return new Set(rows.map((r) => r.id));
  }

  async markNotified(entries: readonly { id: number; flow: string; sourceId: string }[], at: Date): Promise<void> {
    const insert = this.db.prepare('INSERT OR IGNORE INTO notify_sent (quarantine_id, flow, source_id, sent_at) VALUES (?, ?, ?, ?)');
    this.db.transaction(() => {
      for (const e of entries) insert.run(e.id, e.flow, e.sourceId, at.toISOString());
    })();
  }

  async forgetAllBut(liveQuarantineIds: ReadonlySet<number>): Promise<number> {
    const ids = [...(await this.notifiedIds())].filter((id) => !liveQuarantineIds.has(id));
    const remove = this.db.prepare('DELETE FROM notify_sent WHERE quarantine_id = ?');
    this.db.transaction(() => {
      for (const id of ids) remove.run(id);
    })();
    return ids.length;
  }

  async flag(name: string): Promise<string | undefined> {
    return (this.db.prepare('SELECT value FROM notify_flags WHERE name = ?').get(name) as { value: string } | undefined)?.value;
  }

  async setFlag(name: string, value: string | undefined): Promise<void> {
    if (value === undefined) this.db.prepare('DELETE FROM notify_flags WHERE name = ?').run(name);
    else this.db.prepare('INSERT OR REPLACE INTO notify_flags (name, value) VALUES (?, ?)').run(name, value);
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
