import { randomBytes } from 'node:crypto';
import type { AuthSpec } from '../definition.js';
import type { AuthPlugin, AuthPluginFactory } from '../client/auth-plugin.js';
import type { CallCounter } from '../client/call-counter.js';
import { AuthError, UsageError } from '../client/errors.js';
import type { ClientLogger } from '../client/logger.js';
import type { Redactor } from '../client/redact.js';
import type { Clock } from '../client/timing.js';
import type { TokenPair, TokenStore } from '../client/token-store.js';
import { type Transport, WireFailure } from '../client/transport.js';
import { queryString } from '../client/url.js';

/**
 * OAuth2 authorization-code plug-in (Visma eAccounting on Visma's identity server, or the sandbox's).
 *
 * - The authorize URL carries a random `state`; the code is exchanged with HTTP Basic client auth and a form body.
 * - An access token is refreshed 60 s before it expires (a quarter of its life when it lives under 4 minutes, so
 *   short-lived sandbox tokens are not refreshed on every call), and once more when the API answers 401.
 * - Refreshes are single-flight: concurrent requests share one refresh, so a rotating refresh token is never
 *   spent twice. Before refreshing, the store is re-read: another process may already have rotated the pair.
 * - A refreshed pair is saved to the `TokenStore` before anything uses it; if saving fails, the new token is not
 *   used, so the store always holds the newest refresh token the identity server handed out to us.
 */
export type OAuth2Spec = Extract<AuthSpec, { type: 'oauth2' }>;

export interface OAuth2SessionOptions {
  readonly connector: string;
  readonly spec: OAuth2Spec;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Replaces the origin of the spec's URLs (e.g. the sandbox identity server), keeping their paths. */
  readonly identityUrl?: string;
  readonly store: TokenStore;
  readonly transport: Transport;
  readonly clock: Clock;
  readonly redactor: Redactor;
  readonly logger: ClientLogger;
  readonly calls: CallCounter;
}

const REFRESH_MARGIN_MS = 60_000;

export function oauth2Endpoints(spec: OAuth2Spec, identityUrl?: string): { authorizeUrl: string; tokenUrl: string } {
  if (identityUrl === undefined) return { authorizeUrl: spec.authorizeUrl, tokenUrl: spec.tokenUrl };
  const base = identityUrl.replace(/\/$/, '');
  return { authorizeUrl: base + new URL(spec.authorizeUrl).pathname, tokenUrl: base + new URL(spec.tokenUrl).pathname };
}

/** A fresh unguessable `state` for one authorization. */
export function newState(): string {
  return randomBytes(24).toString('base64url');
}

export function buildAuthorizeUrl(
  spec: OAuth2Spec,
  request: { clientId: string; redirectUri: string; state: string; identityUrl?: string; scopes?: readonly string[] },
): string {
  const { authorizeUrl } = oauth2Endpoints(spec, request.identityUrl);
  const query = queryString({
    client_id: request.clientId,
    redirect_uri: request.redirectUri,
    scope: (request.scopes ?? spec.scopes).join(' '),
    response_type: 'code',
    state: request.state,
    ...spec.authorizeParams,
  });
  return `${authorizeUrl}?${query}`;
}

export class OAuth2Session {
  readonly #options: OAuth2SessionOptions;
  #pair: TokenPair | undefined;
  #loaded = false;
  #refreshing: Promise<TokenPair> | undefined;

  constructor(options: OAuth2SessionOptions) {
    this.#options = options;
    options.redactor.addSecret(options.clientSecret);
  }

  /** Exchanges a one-time authorization code for a token pair, and saves it. */
  async exchangeCode(code: string, redirectUri: string): Promise<TokenPair> {
    const pair = await this.#tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: redirectUri });
    await this.#options.store.save(pair);
    this.#pair = pair;
    this.#loaded = true;
    return pair;
  }

  /** A usable access token, refreshed first when it is about to expire. */
  async accessToken(): Promise<string> {
    const pair = await this.#current();
    if (!pair) {
      throw new AuthError(this.#options.connector, `not authorised yet: run "mapline auth ${this.#options.connector}"`);
    }
    if (this.#expiresSoon(pair)) return (await this.refresh(pair)).accessToken;
    return pair.accessToken;
  }

  /**
   * The API rejected `usedToken`. If someone refreshed meanwhile, the new token is simply used; otherwise the
   * pair is refreshed now (a moved server clock or a revoked token).
   */
  async onUnauthorized(usedToken: string | undefined): Promise<boolean> {
    const pair = await this.#current();
    if (!pair) return false;
    if (usedToken !== undefined && usedToken !== pair.accessToken) return true;
    await this.refresh(pair);
    return true;
  }

  /** Refreshes `stale` unless a refresh is already running (then shares it). */
  refresh(stale: TokenPair): Promise<TokenPair> {
    this.#refreshing ??= this.#refreshOnce(stale).finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  async #refreshOnce(stale: TokenPair): Promise<TokenPair> {
    const stored = await this.#options.store.load();
    if (stored && stored.refreshToken !== stale.refreshToken && stored.accessToken !== stale.accessToken && !this.#expiresSoon(stored)) {
      this.#remember(stored);
      return stored;
    }
    const refreshToken = (stored ?? stale).refreshToken;
    const fresh = await this.#tokenRequest({ grant_type: 'refresh_token', refresh_token: refreshToken }, refreshToken);
    await this.#options.store.save(fresh); // persisted before use: a rotated refresh token is never lost
    this.#pair = fresh;
    this.#options.logger({ type: 'token-refreshed', connector: this.#options.connector, expiresAt: fresh.expiresAt });
    return fresh;
  }

  #expiresSoon(pair: TokenPair): boolean {
    const life = pair.obtainedAt === undefined ? Infinity : pair.expiresAt - pair.obtainedAt;
    const margin = Math.min(REFRESH_MARGIN_MS, life / 4);
    return pair.expiresAt - margin <= this.#options.clock();
  }

  async #current(): Promise<TokenPair | undefined> {
    if (!this.#loaded) {
      const stored = await this.#options.store.load();
      if (stored) this.#remember(stored);
      this.#loaded = true;
    }
    return this.#pair;
  }

  #remember(pair: TokenPair): void {
    this.#options.redactor.addSecret(pair.accessToken);
    this.#options.redactor.addSecret(pair.refreshToken);
    this.#pair = pair;
  }

  async #tokenRequest(form: Record<string, string>, previousRefreshToken?: string): Promise<TokenPair> {
    const { spec, clientId, clientSecret, transport, clock, calls, connector } = this.#options;
    const url = new URL(oauth2Endpoints(spec, this.#options.identityUrl).tokenUrl);
    const headers: Record<string, string> = {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    };
    const fields: Record<string, string> = { ...form };
    if (spec.clientAuth === 'basic') {
      const basic = `${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`;
      headers.authorization = `Basic ${Buffer.from(basic).toString('base64')}`;
    } else {
      fields.client_id = clientId;
      fields.client_secret = clientSecret;
    }
    const body = new URLSearchParams(fields).toString();
    const summary = { method: 'POST', path: url.pathname };
    let response;
    for (let attempt = 1; ; attempt++) {
      calls.record(connector, url.pathname, 'POST');
      try {
        response = await transport.send({ origin: url.origin, path: url.pathname + url.search, method: 'POST', headers, body });
        break;
      } catch (error) {
        // Only a request that surely never arrived is repeated: a refresh that arrived may have spent the token.
        if (error instanceof WireFailure && !error.sent && attempt < 3) continue;
        const code = error instanceof WireFailure ? error.code : 'UNKNOWN';
        throw new AuthError(connector, `identity server unreachable (${code})`, undefined, summary);
      }
    }
    const obtainedAt = clock();
    let parsed: Record<string, unknown> = {};
    try {
      parsed = JSON.parse(response.body) as Record<string, unknown>;
    } catch {
      // fall through: reported below with the status
    }
    if (response.status !== 200 || typeof parsed.access_token !== 'string') {
      const oauthError = typeof parsed.error === 'string' ? parsed.error : `HTTP ${response.status}`;
      const hint = oauthError === 'invalid_grant' ? `; authorise again with "mapline auth ${connector}"` : '';
      throw new AuthError(connector, `token request refused: ${oauthError}${hint}`, oauthError, summary);
    }
    const refreshToken = typeof parsed.refresh_token === 'string' ? parsed.refresh_token : previousRefreshToken;
    if (refreshToken === undefined) throw new AuthError(connector, 'identity server sent no refresh token (is offline_access granted?)');
    const expiresIn = Number(parsed.expires_in);
    const pair: TokenPair = {
      accessToken: parsed.access_token,
      refreshToken,
      obtainedAt,
      expiresAt: obtainedAt + (Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 3600) * 1000,
      ...(typeof parsed.scope === 'string' ? { scope: parsed.scope } : {}),
    };
    this.#remember(pair);
    return pair;
  }
}

/** The `oauth2` plug-in: bearer tokens from an `OAuth2Session`. */
export const oauth2Auth: AuthPluginFactory = (context): AuthPlugin => {
  const spec = context.spec;
  if (spec.type !== 'oauth2') throw new UsageError(context.definition.name, 'oauth2 plug-in used for another auth type');
  const { clientId, clientSecret, identityUrl } = context.credentials;
  if (!clientId || !clientSecret) throw new UsageError(context.definition.name, 'credentials.clientId and credentials.clientSecret are required');
  if (!context.tokenStore) throw new UsageError(context.definition.name, 'a tokenStore is required for OAuth2');
  const session = new OAuth2Session({
    connector: context.definition.name,
    spec,
    clientId,
    clientSecret,
    ...(identityUrl === undefined ? {} : { identityUrl }),
    store: context.tokenStore,
    transport: context.transport,
    clock: context.clock,
    redactor: context.redactor,
    logger: context.logger,
    calls: context.calls,
  });
  return {
    async headers() {
      return { authorization: `Bearer ${await session.accessToken()}` };
    },
    async recoverFromUnauthorized(sentHeaders) {
      return session.onUnauthorized(sentHeaders.authorization?.replace(/^Bearer /, ''));
    },
  };
};
