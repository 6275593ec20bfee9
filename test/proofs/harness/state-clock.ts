import Database from 'better-sqlite3';

/**
 * Moves the runner's pending create intents `ms` into the past, as if that much time had passed since they were
 * recorded. The runner leaves an intent whose create it never saw answered open for a minute (the write may still
 * be in flight at the API) and settles it on a later run; real scheduled runs are minutes apart, the proofs rerun
 * within seconds, so they age the intents instead of sleeping a minute.
 */
export function ageIntents(stateFile: string, ms: number): void {
  const db = new Database(stateFile);
  try {
    const rows = db.prepare('SELECT id, created_at FROM pending_writes').all() as { id: number; created_at: string }[];
    const update = db.prepare('UPDATE pending_writes SET created_at = ? WHERE id = ?');
    for (const row of rows) update.run(new Date(Date.parse(row.created_at) - ms).toISOString(), row.id);
  } finally {
    db.close();
  }
}

/** More than the runner's one-minute settle grace. */
export const SCHEDULER_INTERVAL_MS = 61_000;
