import type { TokenPair, TokenStore } from './token-store.js';

/**
 * Adapts any store that keeps one JSON token row per connection (the runtime's SQLite `StateStore` has
 * `loadToken`/`saveToken`) to the client's `TokenStore`. Typed structurally so the client does not depend on
 * the runtime.
 */
export interface TokenRows {
  loadToken(connection: string): Promise<unknown>;
  saveToken(connection: string, token: Record<string, string | number>): Promise<void>;
}

export function keyedTokenStore(rows: TokenRows, connection: string): TokenStore {
  return {
    async load() {
      return asTokenPair(await rows.loadToken(connection));
    },
    async save(pair) {
      const row: Record<string, string | number> = {
        accessToken: pair.accessToken,
        refreshToken: pair.refreshToken,
        expiresAt: pair.expiresAt,
      };
      if (pair.obtainedAt !== undefined) row.obtainedAt = pair.obtainedAt;
      if (pair.scope !== undefined) row.scope = pair.scope;
      await rows.saveToken(connection, row);
    },
  };
}

function asTokenPair(value: unknown): TokenPair | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const row = value as Record<string, unknown>;
  if (typeof row.accessToken !== 'string' || typeof row.refreshToken !== 'string' || typeof row.expiresAt !== 'number') {
    return undefined;
  }
  return {
    accessToken: row.accessToken,
    refreshToken: row.refreshToken,
    expiresAt: row.expiresAt,
    ...(typeof row.obtainedAt === 'number' ? { obtainedAt: row.obtainedAt } : {}),
    ...(typeof row.scope === 'string' ? { scope: row.scope } : {}),
  };
}
