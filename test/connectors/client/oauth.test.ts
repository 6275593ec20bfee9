import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuthError, createClient, MemoryTokenStore, type TokenPair, type TokenStore } from '../../../connectors/client/index.js';
import { CallCounter } from '../../../connectors/client/call-counter.js';
import { silentLogger } from '../../../connectors/client/logger.js';
import { Redactor } from '../../../connectors/client/redact.js';
import { Transport } from '../../../connectors/client/transport.js';
import { buildAuthorizeUrl, OAuth2Session, type OAuth2Spec } from '../../../connectors/eaccounting/auth.js';
import { eaccounting } from '../../../connectors/eaccounting/definition.js';
import { CLIENT_ID, CLIENT_SECRET, type OAuthServer, startOAuthServer } from './oauth-server.js';

/** The OAuth2 plug-in against a scripted identity server: refresh timing, single flight, rotation, storage. */
describe('eAccounting OAuth2 plug-in', () => {
  let server: OAuthServer;
  const spec = eaccounting.auth as OAuth2Spec;

  beforeEach(async () => {
    server = await startOAuthServer();
  });
  afterEach(async () => server.close());

  /** Authorises like `mapline auth` does: exchange a fresh code, the pair lands in the store. */
  async function authorise(store: TokenStore): Promise<TokenPair> {
    const transport = new Transport();
    const session = new OAuth2Session({
      connector: 'eaccounting',
      spec,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      identityUrl: server.url,
      store,
      transport,
      clock: Date.now,
      redactor: new Redactor(),
      logger: silentLogger,
      calls: new CallCounter(),
    });
    const pair = await session.exchangeCode(server.issueCode(), 'http://127.0.0.1/callback');
    await transport.close();
    return pair;
  }

  const events: unknown[] = [];
  const clientOn = (store: TokenStore, clock?: () => number) =>
    createClient(eaccounting, {
      logger: (event) => events.push(event),
      baseUrl: `${server.url}/v2`,
      credentials: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, identityUrl: server.url },
      tokenStore: store,
      timeScale: 0.001,
      ...(clock ? { clock } : {}),
    });

  it('builds the authorize URL with state, scopes and the definition parameters', () => {
    const url = new URL(buildAuthorizeUrl(spec, { clientId: CLIENT_ID, redirectUri: 'http://127.0.0.1:5000/cb', state: 's-1', identityUrl: server.url }));
    expect(url.origin + url.pathname).toBe(`${server.url}/connect/authorize`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: CLIENT_ID,
      redirect_uri: 'http://127.0.0.1:5000/cb',
      response_type: 'code',
      state: 's-1',
      scope: 'ea:api offline_access ea:sales ea:accounting',
      prompt: 'select_account',
    });
  });

  it('exchanges the code with Basic client auth and a form body, and stores the pair', async () => {
    const store = new MemoryTokenStore();
    const pair = await authorise(store);
    expect(await store.load()).toEqual(pair);
    expect(pair.refreshToken).toMatch(/^refresh-/);
    expect(server.tokenCalls).toEqual([{ grant: 'authorization_code' }]);
  });

  it('refreshes transparently when the server clock passes expiry mid-run, and the new pair survives a restart', async () => {
    const store = new MemoryTokenStore();
    const first = await authorise(store);
    const client = clientOn(store);
    expect(await client.listAll('customers')).toHaveLength(1);
    server.advance(3_601_000); // the API now sees the access token as expired; the client's clock does not know
    expect(await client.listAll('customers')).toHaveLength(1);
    await client.close();
    const stored = await store.load();
    expect(stored?.refreshToken).not.toBe(first.refreshToken);
    expect(server.apiCalls.map((call) => call.status)).toEqual([200, 401, 200]);

    // "Restart": a new client on the same store uses the saved pair without refreshing again.
    const restarted = clientOn(store);
    expect(await restarted.listAll('customers')).toHaveLength(1);
    await restarted.close();
    expect(server.tokenCalls.filter((call) => call.grant === 'refresh_token')).toHaveLength(1);
    expect(server.apiCalls.at(-1)).toEqual({ token: stored?.accessToken, status: 200 });
    // The log hook saw the refresh and the 401, and no token or secret.
    const log = JSON.stringify(events);
    expect(log).toContain('token-refreshed');
    expect(log).toContain('"status":401');
    for (const secret of [CLIENT_SECRET, first.accessToken, first.refreshToken, stored?.accessToken ?? '?', stored?.refreshToken ?? '?']) {
      expect(log).not.toContain(secret);
    }
  });

  it('refreshes 60 s before expiry, once for many concurrent requests (single flight)', async () => {
    const store = new MemoryTokenStore();
    const pair = await authorise(store);
    const client = clientOn(store, () => pair.expiresAt - 30_000); // 30 s left: inside the 60 s margin
    await Promise.all(Array.from({ length: 10 }, () => client.listAll('customers')));
    await client.close();
    expect(server.tokenCalls.filter((call) => call.grant === 'refresh_token')).toHaveLength(1);
    expect(server.apiCalls.every((call) => call.status === 200)).toBe(true); // refreshed before use, no 401
  });

  it('rotating refresh tokens: every refresh uses the newest one, each new pair is saved before use', async () => {
    const store = new MemoryTokenStore();
    await authorise(store);
    const client = clientOn(store);
    for (let round = 0; round < 4; round++) {
      server.advance(3_601_000);
      await Promise.all([client.listAll('customers'), client.listAll('customers')]);
    }
    await client.close();
    const refreshes = server.tokenCalls.filter((call) => call.grant === 'refresh_token');
    expect(refreshes).toHaveLength(4);
    expect(server.reusedRefreshTokens).toEqual([]);
    // Each refresh presented the refresh token saved just before: none skipped, none lost.
    expect(refreshes.map((call) => call.refreshToken)).toEqual(store.history.slice(0, 4).map((pair) => pair.refreshToken));
    // Every token the API saw was already in the store when it was used.
    const saved = new Set(store.history.map((pair) => pair.accessToken));
    expect(server.apiCalls.every((call) => saved.has(call.token))).toBe(true);
  });

  it('never uses a refreshed token the store could not save', async () => {
    const store = new MemoryTokenStore();
    await authorise(store);
    const failing: TokenStore = { load: () => store.load(), save: async () => Promise.reject(new Error('disk full')) };
    const client = clientOn(failing);
    server.advance(3_601_000);
    await expect(client.listAll('customers')).rejects.toThrow('disk full');
    await client.close();
    // The API saw only the old token (once valid, once expired); the refreshed one never left the client.
    const issuedAfterRefresh = server.apiCalls.filter((call) => call.token.startsWith('access-2-'));
    expect(issuedAfterRefresh).toEqual([]);
  });

  it('a rejected refresh token is a typed auth error that says what to do, with no secret in it', async () => {
    const store = new MemoryTokenStore({ accessToken: 'stale-access-token', refreshToken: 'unknown-refresh-token', expiresAt: 0 });
    const client = clientOn(store);
    const error = await client.listAll('customers').catch((caught: unknown) => caught);
    await client.close();
    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({ kind: 'auth', oauthError: 'invalid_grant' });
    expect((error as Error).message).toContain('mapline auth eaccounting');
    for (const text of [(error as Error).message, JSON.stringify(error), inspect(error, { depth: 5 }), (error as Error).stack ?? '']) {
      for (const secret of [CLIENT_SECRET, 'unknown-refresh-token', 'stale-access-token']) expect(text).not.toContain(secret);
    }
  });

  it('an API 401 after refreshing is an ApiError with the API fields and the token masked', async () => {
    const store = new MemoryTokenStore();
    await authorise(store);
    server.expiresInSeconds = 0; // every token the server issues is born expired
    server.advance(3_601_000);
    const client = clientOn(store);
    const error = await client.listAll('customers').catch((caught: unknown) => caught);
    await client.close();
    expect(error).toMatchObject({ kind: 'api', status: 401, code: 4005, errorId: '1c296026-0000-4000-8000-000000000000' });
    const text = JSON.stringify(error) + (error as Error).message;
    expect(text).not.toMatch(/access-\d+-x{8}/);
    expect(text).toContain('[redacted]');
  });
});
