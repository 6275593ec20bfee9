import { type Loopback, sendJson, startLoopback } from './loopback.js';

/**
 * A small OAuth2 identity server plus one protected API route, for scripting token edge cases precisely
 * (rotation, reuse, a store that fails). Refresh tokens rotate and are single use, as Visma's used to.
 */
export const CLIENT_ID = 'mapline-test-client';
export const CLIENT_SECRET = 'client-secret-value-42';

export interface OAuthServer extends Loopback {
  /** Moves the server's clock (token expiry is judged on it). */
  advance(ms: number): void;
  readonly tokenCalls: { grant: string; refreshToken?: string }[];
  /** Refresh tokens presented after they were already used. */
  readonly reusedRefreshTokens: string[];
  readonly apiCalls: { token: string; status: number }[];
  issueCode(): string;
  expiresInSeconds: number;
  /** Makes the authorize redirect carry another state (a forged callback). */
  forgeState: boolean;
}

export async function startOAuthServer(): Promise<OAuthServer> {
  let offset = 0;
  let serial = 0;
  const now = () => Date.now() + offset;
  const accessTokens = new Map<string, number>(); // token -> expiry (server clock)
  const liveRefreshTokens = new Set<string>();
  const spentRefreshTokens = new Set<string>();
  const codes = new Set<string>();
  let server: OAuthServer | undefined;

  const issue = () => {
    serial++;
    const access = `access-${serial}-${'x'.repeat(8)}`;
    const refresh = `refresh-${serial}-${'y'.repeat(8)}`;
    accessTokens.set(access, now() + (server?.expiresInSeconds ?? 3600) * 1000);
    liveRefreshTokens.add(refresh);
    return { access_token: access, refresh_token: refresh, expires_in: server?.expiresInSeconds ?? 3600, token_type: 'Bearer', scope: 'ea:api offline_access' };
  };

  const loopback = await startLoopback((request, response) => {
    const url = new URL(request.url, 'http://x');
    if (request.method === 'POST' && url.pathname === '/connect/token') {
      const expected = `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`;
      if (request.headers.authorization !== expected) return sendJson(response, 401, { error: 'invalid_client' });
      if (!String(request.headers['content-type']).startsWith('application/x-www-form-urlencoded')) {
        return sendJson(response, 400, { error: 'invalid_request' });
      }
      const form = new URLSearchParams(request.body);
      const grant = form.get('grant_type') ?? '';
      if (grant === 'authorization_code') {
        server?.tokenCalls.push({ grant });
        const code = form.get('code') ?? '';
        if (!codes.delete(code)) return sendJson(response, 400, { error: 'invalid_grant' });
        return sendJson(response, 200, issue());
      }
      if (grant === 'refresh_token') {
        const token = form.get('refresh_token') ?? '';
        server?.tokenCalls.push({ grant, refreshToken: token });
        if (spentRefreshTokens.has(token)) server?.reusedRefreshTokens.push(token);
        if (!liveRefreshTokens.delete(token)) return sendJson(response, 400, { error: 'invalid_grant', error_description: `unknown ${token}` });
        spentRefreshTokens.add(token);
        return sendJson(response, 200, issue());
      }
      return sendJson(response, 400, { error: 'unsupported_grant_type' });
    }
    if (request.method === 'GET' && url.pathname === '/connect/authorize') {
      // Approves at once, like the sandbox: straight back to the client with a code and its state.
      const back = new URL(url.searchParams.get('redirect_uri') ?? '');
      back.searchParams.set('code', server?.issueCode() ?? '');
      back.searchParams.set('state', server?.forgeState ? 'forged' : (url.searchParams.get('state') ?? ''));
      response.writeHead(302, { location: back.href }).end();
      return;
    }
    if (request.method === 'GET' && url.pathname.startsWith('/v2/customers')) {
      const token = String(request.headers.authorization ?? '').replace(/^Bearer /, '');
      const expiry = accessTokens.get(token);
      const ok = expiry !== undefined && expiry > now();
      server?.apiCalls.push({ token, status: ok ? 200 : 401 });
      if (!ok) {
        return sendJson(response, 401, {
          ErrorCode: 4005,
          DeveloperErrorMessage: `AuthorizationException - Authorization has been denied for token ${token}.`,
          ErrorId: '1c296026-0000-4000-8000-000000000000',
        });
      }
      return sendJson(response, 200, { Meta: { CurrentPage: 1, PageSize: 50, TotalNumberOfPages: 1, TotalNumberOfResults: 1 }, Data: [{ Id: 'c1', Name: 'Acme' }] });
    }
    sendJson(response, 404, { error: 'not found' });
  });
  server = Object.assign(loopback, {
    advance: (ms: number) => {
      offset += ms;
    },
    tokenCalls: [],
    reusedRefreshTokens: [],
    apiCalls: [],
    issueCode: () => {
      const code = `code-${codes.size + 1}-${Math.random().toString(36).slice(2)}`;
      codes.add(code);
      return code;
    },
    expiresInSeconds: 3600,
    forgeState: false,
  });
  return server;
}
