import pg from 'pg';
import { migratePostgres } from '../state/pg-migrations.js';

/** The environment variable naming the service database when `--database` is not given. */
export const DATABASE_URL_ENV = 'MAPLINE_DATABASE_URL';

/** The database cannot be reached or used; the message names it without its password. */
export class DatabaseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseError';
  }
}

/** The service database: one connection pool, its schema migrated. Every integration's state lives in it. */
export interface MaplineDatabase {
  readonly pool: pg.Pool;
  /** The URL without its password, for messages. */
  readonly name: string;
  readonly schemaVersion: number;
  close(): Promise<void>;
}

/**
 * Connects to the database at `url` (a `postgres://user:password@host:port/db` URL, as libpq and node-postgres
 * take it) and brings Mapline's schema up to date. A refused connection, a wrong password or a database that does
 * not exist is a `DatabaseError` naming the database (never the password).
 */
export async function openDatabase(url: string, options: { readonly max?: number } = {}): Promise<MaplineDatabase> {
  const name = redactUrl(url);
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 4, connectionTimeoutMillis: 10_000 });
  // An idle connection that the server drops must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  try {
    const schemaVersion = await migratePostgres(pool);
    return { pool, name, schemaVersion, close: () => pool.end() };
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new DatabaseError(`PostgreSQL at ${name}: ${describePgError(error)}`);
  }
}

/** `postgres://mapline:secret@host/db` -> `postgres://mapline@host/db` (anything unparsable is not echoed). */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    return parsed.toString();
  } catch {
    return '(a database URL that is not a valid URL)';
  }
}

function describePgError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: string }).code;
  // AggregateError (every address refused) has an empty message; its parts say why.
  const message = error.message || (error instanceof AggregateError ? error.errors.map((e: Error) => e.message).join('; ') : '') || code || 'unknown error';
  return code && !message.includes(code) ? `${message} (${code})` : message;
}
