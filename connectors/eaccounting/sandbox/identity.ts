import { randomBytes } from 'node:crypto';
import { emptyResponse, headerValue, jsonResponse, type SandboxRequest, type SandboxResponse } from '../../sandbox/http-types.js';
import type { SandboxClock } from '../../sandbox/clock.js';

export interface OAuthClient {
  readonly clientId: string;
  readonly clientSecret: string;
}

export interface IdentityOptions {
  readonly client: OAuthClient;
  /** §1: access tokens live 60 minutes [H]. */
  readonly accessTokenSeconds?: number;
  /** §1: rotating refresh tokens (a used one is rejected) are the historic default; newer clients get reusable ones. */
  readonly rotateRefreshTokens?: boolean;
}

/** §1: "one-time use, valid 5 minutes" [H]. */
export const AUTH_CODE_TTL_MS = 5 * 60_000;
const DEFAULT_SCOPE = 'ea:api offline_access ea:sales';

interface IssuedCode {
  readonly redirectUri: string;
  readonly scope: string;
  readonly expiresAt: number;
  used: boolean;
}

interface AccessToken {
  readonly clientId: string;
  readonly scope: string;
  readonly expiresAt: number;
}

interface RefreshToken {
  readonly clientId: string;
  readonly scope: string;
  used: boolean;
}

/**
 * The identity server part: `/connect/authorize` approves at once (no login page) and redirects with a
 * single-use code; `/connect/token` swaps codes and refresh tokens for tokens; `/connect/revocation` forgets
 * a refresh token. Tokens are random (never derived from the seed) and live in memory only.
 */
export class IdentityServer {
  private readonly codes = new Map<string, IssuedCode>();
  private readonly accessTokens = new Map<string, AccessToken>();
  private readonly refreshTokens = new Map<string, RefreshToken>();
  private rotate: boolean;

  constructor(
    private readonly options: IdentityOptions,
    private readonly clock: SandboxClock,
  ) {
    this.rotate = options.rotateRefreshTokens ?? true;
  }

  get rotatesRefreshTokens(): boolean {
    return this.rotate;
  }

  setRotation(rotate: boolean): void {
    this.rotate = rotate;
  }

  /** The client id the bearer token was issued to, or undefined when the token is unknown or expired. */
  authenticate(request: SandboxRequest): string | undefined {
    const header = headerValue(request, 'authorization');
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match) return undefined;
    const token = this.accessTokens.get(match[1] as string);
    if (!token || token.expiresAt <= this.clock.now()) return undefined;
    return token.clientId;
  }

  authorize(request: SandboxRequest): SandboxResponse {
    const q = request.query;
    const clientId = q.get('client_id');
    const redirectUri = q.get('redirect_uri');
    if (clientId !== this.options.client.clientId) return oauthError(400, 'invalid_client', 'Unknown client_id');
    if (!redirectUri || !isAbsoluteUrl(redirectUri)) return oauthError(400, 'invalid_request', 'redirect_uri must be an absolute URL');
    const target = new URL(redirectUri);
    const state = q.get('state');
    if (q.get('response_type') !== 'code') {
      target.searchParams.set('error', 'unsupported_response_type');
      if (state !== null) target.searchParams.set('state', state);
      return emptyResponse(302, { location: target.toString() });
    }
    const code = randomBytes(24).toString('hex');
    const scope = q.get('scope') ?? DEFAULT_SCOPE;
    this.codes.set(code, { redirectUri, scope, expiresAt: this.clock.now() + AUTH_CODE_TTL_MS, used: false });
    target.searchParams.set('code', code);
    target.searchParams.set('scope', scope);
    if (state !== null) target.searchParams.set('state', state);
    return emptyResponse(302, { location: target.toString() });
  }

  token(request: SandboxRequest): SandboxResponse {
    const contentType = headerValue(request, 'content-type') ?? '';
    if (!contentType.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
      return oauthError(400, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded');
    }
    const form = new URLSearchParams(request.rawBody);
    const client = clientCredentials(request, form);
    if (!client || client.clientId !== this.options.client.clientId || client.clientSecret !== this.options.client.clientSecret) {
      return oauthError(400, 'invalid_client');
    }
    const grant = form.get('grant_type');
    if (grant === 'authorization_code') return this.exchangeCode(form, client.clientId);
    if (grant === 'refresh_token') return this.refresh(form, client.clientId);
    return oauthError(400, 'unsupported_grant_type');
  }

  revoke(request: SandboxRequest): SandboxResponse {
    const form = new URLSearchParams(request.rawBody);
    const client = clientCredentials(request, form);
    if (!client || client.clientId !== this.options.client.clientId || client.clientSecret !== this.options.client.clientSecret) {
      return oauthError(400, 'invalid_client');
    }
    const token = form.get('token') ?? '';
    this.refreshTokens.delete(token);
    this.accessTokens.delete(token);
    return emptyResponse(200);
  }

  /** Forgets every code and token (control API reset). */
  reset(): void {
    this.codes.clear();
    this.accessTokens.clear();
    this.refreshTokens.clear();
    this.rotate = this.options.rotateRefreshTokens ?? true;
  }

  private exchangeCode(form: URLSearchParams, clientId: string): SandboxResponse {
    const code = this.codes.get(form.get('code') ?? '');
    if (!code || code.used || code.expiresAt <= this.clock.now()) return oauthError(400, 'invalid_grant');
    if (form.get('redirect_uri') !== code.redirectUri) return oauthError(400, 'invalid_grant');
    code.used = true;
    return this.issue(clientId, code.scope);
  }

  private refresh(form: URLSearchParams, clientId: string): SandboxResponse {
    const presented = form.get('refresh_token') ?? '';
    const token = this.refreshTokens.get(presented);
    if (!token || token.used || token.clientId !== clientId) return oauthError(400, 'invalid_grant');
    if (this.rotate) {
      token.used = true;
      return this.issue(clientId, token.scope);
    }
    return this.issue(clientId, token.scope, presented);
  }

  private issue(clientId: string, scope: string, keepRefreshToken?: string): SandboxResponse {
    const accessToken = randomBytes(32).toString('base64url');
    const expiresIn = this.options.accessTokenSeconds ?? 3600;
    this.accessTokens.set(accessToken, { clientId, scope, expiresAt: this.clock.now() + expiresIn * 1000 });
    let refreshToken = keepRefreshToken;
    if (!refreshToken) {
      refreshToken = randomBytes(32).toString('hex').toUpperCase();
      this.refreshTokens.set(refreshToken, { clientId, scope, used: false });
    }
    return jsonResponse(
      200,
      { access_token: accessToken, expires_in: expiresIn, token_type: 'Bearer', refresh_token: refreshToken, scope },
      { 'cache-control': 'no-store', pragma: 'no-cache' },
    );
  }
}

function clientCredentials(request: SandboxRequest, form: URLSearchParams): OAuthClient | undefined {
  const header = headerValue(request, 'authorization');
  const basic = header ? /^Basic\s+(\S+)$/i.exec(header) : null;
  if (basic) {
    const decoded = Buffer.from(basic[1] as string, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return undefined;
    // RFC 6749 2.3.1: both parts are form-encoded before base64.
    return { clientId: decodeForm(decoded.slice(0, colon)), clientSecret: decodeForm(decoded.slice(colon + 1)) };
  }
  const clientId = form.get('client_id');
  const clientSecret = form.get('client_secret');
  return clientId && clientSecret ? { clientId, clientSecret } : undefined;
}

function decodeForm(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

function isAbsoluteUrl(value: string): boolean {
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

/** RFC 6749 5.2 error body, as Duende IdentityServer answers it. */
function oauthError(status: number, error: string, description?: string): SandboxResponse {
  return jsonResponse(status, description ? { error, error_description: description } : { error }, { 'cache-control': 'no-store' });
}
