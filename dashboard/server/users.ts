import type pg from 'pg';
import { hashPassword, verifyPassword } from './passwords.js';

/** Who is looking: a user, and the integrations they may see (null: all of them). */
export interface Viewer {
  readonly name: string;
  readonly integrations: ReadonlySet<string> | null;
}

/** The dashboard's accounts, with hashed passwords and the integrations each may see. */
export interface UserDirectory {
  /** The viewer when `password` is theirs; undefined for an unknown name or a wrong password alike. */
  authenticate(name: string, password: string): Promise<Viewer | undefined>;
}

/** Users in the service database (`mapline.dashboard_users`): an integrator's users see only their integrations. */
export class PgUserDirectory implements UserDirectory {
  constructor(private readonly pool: pg.Pool) {}

  /** Adds or replaces a user; `integrations` null gives access to every integration. */
  async put(name: string, password: string, integrations: readonly string[] | null): Promise<void> {
    await this.pool.query(
      `INSERT INTO mapline.dashboard_users (name, password_hash, integrations, created_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash, integrations = excluded.integrations`,
      [name, await hashPassword(password), integrations],
    );
  }

  async remove(name: string): Promise<boolean> {
    return ((await this.pool.query('DELETE FROM mapline.dashboard_users WHERE name = $1', [name])).rowCount ?? 0) > 0;
  }

  async list(): Promise<{ name: string; integrations: string[] | null }[]> {
    return (await this.pool.query<{ name: string; integrations: string[] | null }>('SELECT name, integrations FROM mapline.dashboard_users ORDER BY name')).rows;
  }

  async authenticate(name: string, password: string): Promise<Viewer | undefined> {
    const { rows } = await this.pool.query<{ password_hash: string; integrations: string[] | null }>('SELECT password_hash, integrations FROM mapline.dashboard_users WHERE name = $1', [name]);
    // An unknown name costs a hash too, so timing does not tell which names exist.
    const ok = await verifyPassword(password, rows[0]?.password_hash ?? UNKNOWN_USER_HASH);
    if (!ok || !rows[0]) return undefined;
    return { name, integrations: rows[0].integrations ? new Set(rows[0].integrations) : null };
  }
}

/** A well-formed hash no password matches (its key is random), verified for unknown names. */
const UNKNOWN_USER_HASH = `scrypt$${2 ** 17}$8$1$${Buffer.alloc(16).toString('base64url')}$${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url')}`;
