import { randomBytes } from 'node:crypto';
import type { Viewer } from './users.js';

export interface Session {
  readonly id: string;
  readonly viewer: Viewer;
  /** Sent back with every change (header `x-mapline-csrf`): a page on another site cannot read it. */
  readonly csrf: string;
  expiresAt: number;
}

export const SESSION_COOKIE = 'mapline_session';
const IDLE_MS = 8 * 3_600_000;

/**
 * Logged-in sessions, in memory: the cookie holds a random id, never who the user is, and restarting the
 * dashboard logs everyone out. A session ends after eight idle hours.
 */
export class Sessions {
  private readonly byId = new Map<string, Session>();

  constructor(private readonly now: () => number = Date.now) {}

  start(viewer: Viewer): Session {
    const session = { id: randomBytes(32).toString('base64url'), viewer, csrf: randomBytes(24).toString('base64url'), expiresAt: this.now() + IDLE_MS };
    this.byId.set(session.id, session);
    return session;
  }

  find(id: string | undefined): Session | undefined {
    const session = id === undefined ? undefined : this.byId.get(id);
    if (!session) return undefined;
    if (session.expiresAt <= this.now()) {
      this.byId.delete(session.id);
      return undefined;
    }
    session.expiresAt = this.now() + IDLE_MS;
    return session;
  }

  end(id: string): void {
    this.byId.delete(id);
  }
}

/** The session id in a request's Cookie header. */
export function sessionIdOf(cookieHeader: string | undefined): string | undefined {
  for (const part of (cookieHeader ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE) return value.join('=');
  }
  return undefined;
}

/** The Set-Cookie value: HttpOnly (scripts cannot read it), SameSite=Strict (no other site's request carries it). */
export function sessionCookie(id: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

export function clearedCookie(): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`;
}
