import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../cli/main.js';
import { SqliteStateStore } from '../../../runtime/state/sqlite-store.js';
import { EA_CLIENT, startTestSandboxes } from './sandboxes.js';
import { CLIENT_ID, CLIENT_SECRET, type OAuthServer, startOAuthServer } from './oauth-server.js';

/** `mapline auth eaccounting` end to end: loopback listener, auto-approving identity server, SQLite state. */
describe('mapline auth eaccounting', () => {
  let server: OAuthServer;
  let dir: string;
  let output: string;

  beforeEach(async () => {
    server = await startOAuthServer();
    dir = mkdtempSync(join(tmpdir(), 'mapline-auth-'));
    output = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      output += String(chunk);
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      output += String(chunk);
      return true;
    });
    process.env.MAPLINE_EACCOUNTING_CLIENT_SECRET = CLIENT_SECRET;
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    delete process.env.MAPLINE_EACCOUNTING_CLIENT_SECRET;
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints the authorize URL, follows the sandbox redirect, stores the tokens in the state file and checks them', async () => {
    const state = join(dir, 'mapline.state.sqlite');
    const code = await main([
      'node', 'mapline', 'auth', 'eaccounting',
      '--client-id', CLIENT_ID,
      '--identity-url', server.url,
      '--api-url', `${server.url}/v2`,
      '--state', state,
    ]);
    expect(code).toBe(0);
    expect(output).toContain(`${server.url}/connect/authorize?client_id=${CLIENT_ID}`);
    expect(output).toContain('Tokens stored in');
    expect(output).toContain('Checked: GET customers answered');
    const store = SqliteStateStore.open(state);
    const saved = (await store.loadToken('eaccounting')) as { accessToken: string; refreshToken: string };
    await store.close();
    expect(saved.refreshToken).toMatch(/^refresh-1-/);
    expect(server.apiCalls).toEqual([{ token: saved.accessToken, status: 200 }]);
    // Nothing secret was printed.
    for (const secret of [CLIENT_SECRET, saved.accessToken, saved.refreshToken]) expect(output).not.toContain(secret);
  });

  it('refuses a callback whose state does not match, exchanges no code and stores nothing', async () => {
    server.forgeState = true;
    const state = join(dir, 'forged.sqlite');
    const code = await main(['node', 'mapline', 'auth', 'eaccounting', '--client-id', CLIENT_ID, '--identity-url', server.url, '--state', state]);
    expect(code).toBe(1);
    expect(output).toContain('state does not match');
    expect(server.tokenCalls).toEqual([]);
    const store = SqliteStateStore.open(state);
    expect(await store.loadToken('eaccounting')).toBeUndefined();
    await store.close();
  });

  it('without a client secret it is a usage error (exit 2) and stores nothing', async () => {
    delete process.env.MAPLINE_EACCOUNTING_CLIENT_SECRET;
    const code = await main(['node', 'mapline', 'auth', 'eaccounting', '--client-id', CLIENT_ID, '--state', join(dir, 's.sqlite')]);
    expect(code).toBe(2);
    expect(output).toContain('MAPLINE_EACCOUNTING_CLIENT_SECRET');
  });

  it('works against the eAccounting sandbox, whose identity server approves at once', async () => {
    const sandboxes = await startTestSandboxes();
    try {
      process.env.MAPLINE_EACCOUNTING_CLIENT_SECRET = EA_CLIENT.clientSecret;
      const state = join(dir, 'sandbox.sqlite');
      const code = await main([
        'node', 'mapline', 'auth', 'eaccounting',
        '--client-id', EA_CLIENT.clientId,
        '--identity-url', sandboxes.eaccounting.origin,
        '--api-url', sandboxes.eaccounting.baseUrl,
        '--state', state,
      ]);
      expect(code).toBe(0);
      expect(output).toContain('Checked: GET customers answered (1 record on the first page)');
      const store = SqliteStateStore.open(state);
      const saved = (await store.loadToken('eaccounting')) as { accessToken: string; refreshToken: string };
      await store.close();
      expect(saved.accessToken.length).toBeGreaterThan(10);
      for (const secret of [EA_CLIENT.clientSecret, saved.accessToken, saved.refreshToken]) expect(output).not.toContain(secret);
    } finally {
      await sandboxes.close();
    }
  });
});
