/**
 * Where OAuth2 tokens live between runs. The client never keeps the only copy of a refresh token: a refreshed
 * pair is saved here BEFORE it is used, so a crash right after a refresh cannot lose a rotating refresh token.
 * The runtime implements this on its SQLite state; tests use `MemoryTokenStore`; `mapline auth` may use a file.
 */
export interface TokenPair {
  readonly accessToken: string;
  readonly refreshToken: string;
  /** When the access token expires, epoch milliseconds on the client's clock. */
  readonly expiresAt: number;
  /** When the pair was obtained (epoch ms), so the refresh margin can be a fraction of a short token's life. */
  readonly obtainedAt?: number;
  /** Scopes the identity server granted (space separated), when it said. */
  readonly scope?: string;
}

export interface TokenStore {
  /** The last saved pair, or undefined when the connector was never authorised. */
  load(): Promise<TokenPair | undefined>;
  /** Persist a pair durably; resolves only once it is stored (a later crash must not lose it). */
  save(pair: TokenPair): Promise<void>;
}

/** A store that lives as long as the process: for tests and one-off runs. */
export class MemoryTokenStore implements TokenStore {
  #pair: TokenPair | undefined;
  /** Every pair ever saved, oldest first: lets tests check that no refresh token was skipped. */
  readonly history: TokenPair[] = [];

  constructor(initial?: TokenPair) {
    this.#pair = initial;
  }

  async load(): Promise<TokenPair | undefined> {
    return this.#pair;
  }

  async save(pair: TokenPair): Promise<void> {
    this.#pair = pair;
    this.history.push(pair);
  }
}
