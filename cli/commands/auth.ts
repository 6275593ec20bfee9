import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Command } from 'commander';
import { request } from 'undici';
import { createClient } from '../../connectors/client/client.js';
import { CallCounter } from '../../connectors/client/call-counter.js';
import { isClientError } from '../../connectors/client/errors.js';
import { silentLogger } from '../../connectors/client/logger.js';
import { Redactor } from '../../connectors/client/redact.js';
import { Transport } from '../../connectors/client/transport.js';
import { buildAuthorizeUrl, newState, OAuth2Session, type OAuth2Spec } from '../../connectors/eaccounting/auth.js';
import { eaccounting } from '../../connectors/eaccounting/definition.js';
import { SqliteStateStore } from '../../runtime/state/sqlite-store.js';
import { tokenStoreFor } from '../../runtime/state/token-store.js';
import type { SetExitCode } from './index.js';

/**
 * `mapline auth eaccounting`: the OAuth2 authorization-code flow, once, to get the tokens a sync needs.
 * It listens on a loopback redirect URI, prints the authorize URL to open, waits for the code (checking
 * `state`), exchanges it, and stores the pair in the state file's token table through the client's `TokenStore`.
 * Against the sandbox, which approves at once, `--follow` (the default for a loopback identity server) makes it
 * follow the redirect itself. Tokens and the client secret are never printed.
 */
export interface AuthOptions {
  readonly clientId?: string;
  readonly clientSecret?: string;
  readonly identityUrl?: string;
  readonly apiUrl?: string;
  readonly redirectUri?: string;
  readonly state: string;
  /** Connection name the tokens are kept under; defaults to `eaccounting`. */
  readonly connection?: string;
  readonly follow?: boolean;
  readonly timeout: string;
  readonly verify: boolean;
}

export function registerAuth(program: Command, setExitCode: SetExitCode): void {
  const auth = program.command('auth').description('authorise Mapline with an API and store its tokens in the state file');
  auth
    .command('eaccounting')
    .description('run the OAuth2 authorization-code flow for Visma eAccounting (or its sandbox)')
    .option('--client-id <id>', 'OAuth2 client id (or env MAPLINE_EACCOUNTING_CLIENT_ID)')
    .option('--client-secret <secret>', 'client secret; prefer env MAPLINE_EACCOUNTING_CLIENT_SECRET (a flag shows in ps)')
    .option('--identity-url <url>', 'identity server base URL (default: Visma\'s, from the connector definition)')
    .option('--api-url <url>', 'API base URL used to check the new token (default: the definition\'s)')
    .option('--redirect-uri <uri>', 'loopback redirect URI registered for the client (default: http://127.0.0.1:<free port>/callback)')
    .option('--state <file>', 'state file (SQLite) that keeps the tokens', 'mapline.state.sqlite')
    .option('--connection <name>', 'connection name the tokens are kept under (as in the config file)', 'eaccounting')
    .option('--follow', 'follow the authorize redirect without a browser (sandbox); default for a loopback identity URL')
    .option('--no-follow', 'always wait for the browser')
    .option('--timeout <seconds>', 'how long to wait for the browser to come back', '300')
    .option('--no-verify', 'do not call the API with the new token')
    .action(async (options: AuthOptions) => {
      setExitCode(await authorizeEaccounting(options, (line) => process.stdout.write(`${line}\n`)));
    });
}

export async function authorizeEaccounting(options: AuthOptions, print: (line: string) => void): Promise<number> {
  const clientId = options.clientId ?? process.env.MAPLINE_EACCOUNTING_CLIENT_ID;
  const clientSecret = options.clientSecret ?? process.env.MAPLINE_EACCOUNTING_CLIENT_SECRET;
  if (!clientId || !clientSecret) {
    process.stderr.write('mapline auth eaccounting: needs --client-id and a client secret (env MAPLINE_EACCOUNTING_CLIENT_SECRET)\n');
    return 2;
  }
  const spec = eaccounting.auth as OAuth2Spec;
  const identityUrl = options.identityUrl?.replace(/\/$/, '');
  const follow = options.follow ?? (identityUrl !== undefined && isLoopback(new URL(identityUrl)));

  const listener = await listenForCallback(options.redirectUri);
  const state = newState();
  const authorizeUrl = buildAuthorizeUrl(spec, {
    clientId,
    redirectUri: listener.redirectUri,
    state,
    ...(identityUrl === undefined ? {} : { identityUrl }),
  });
  print('Open this URL in a browser and approve Mapline:');
  print(`  ${authorizeUrl}`);
  print(`Waiting for the identity server to redirect to ${listener.redirectUri} ...`);

  const states = SqliteStateStore.open(options.state);
  const transport = new Transport();
  try {
    const callback = listener.next(Number(options.timeout) * 1000);
    if (follow) await followRedirect(authorizeUrl);
    const result = await callback;
    if (result.state !== state) {
      process.stderr.write('mapline auth eaccounting: the callback\'s state does not match; nothing stored\n');
      return 1;
    }
    if (result.error !== undefined || result.code === undefined) {
      process.stderr.write(`mapline auth eaccounting: the identity server refused: ${result.error ?? 'no code'}\n`);
      return 1;
    }
    const connection = options.connection ?? eaccounting.name;
    const tokenStore = tokenStoreFor(states, connection);
    const session = new OAuth2Session({
      connector: eaccounting.name,
      spec,
      clientId,
      clientSecret,
      ...(identityUrl === undefined ? {} : { identityUrl }),
      store: tokenStore,
      transport,
      clock: Date.now,
      redactor: new Redactor(),
      logger: silentLogger,
      calls: new CallCounter(),
    });
    const pair = await session.exchangeCode(result.code, listener.redirectUri);
    print(`Tokens stored in ${options.state} (connection "${connection}"); access token valid until ${new Date(pair.expiresAt).toISOString()}.`);
    if (pair.scope) print(`Granted scopes: ${pair.scope}`);
    if (options.verify) {
      const client = createClient(eaccounting, {
        ...(options.apiUrl === undefined ? {} : { baseUrl: options.apiUrl.replace(/\/$/, '') }),
        credentials: { clientId, clientSecret, ...(identityUrl === undefined ? {} : { identityUrl }) },
        tokenStore,
        retry: { maxAttempts: 2 },
      });
      try {
        const first = await client.list('customers', { pageSize: 1 }).next();
        print(`Checked: GET customers answered (${first.done ? 0 : first.value.items.length} record on the first page).`);
      } finally {
        await client.close();
      }
    }
    return 0;
  } catch (error) {
    process.stderr.write(`mapline auth eaccounting: ${isClientError(error) || error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await listener.close();
    await transport.close();
    await states.close();
  }
}

interface CallbackResult {
  readonly code?: string;
  readonly state?: string;
  readonly error?: string;
}

interface CallbackListener {
  readonly redirectUri: string;
  next(timeoutMs: number): Promise<CallbackResult>;
  close(): Promise<void>;
}

/** A one-shot HTTP listener on the loopback redirect URI that hands over `code` and `state`. */
async function listenForCallback(redirectUri: string | undefined): Promise<CallbackListener> {
  const wanted = new URL(redirectUri ?? 'http://127.0.0.1:0/callback');
  if (wanted.protocol !== 'http:' || !isLoopback(wanted)) throw new Error(`--redirect-uri must be http on loopback, got ${wanted.href}`);
  let deliver: (result: CallbackResult) => void = () => {};
  const received = new Promise<CallbackResult>((resolve) => {
    deliver = resolve;
  });
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', wanted);
    if (url.pathname !== wanted.pathname) {
      res.writeHead(404).end();
      return;
    }
    const error = url.searchParams.get('error');
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(error ? 'Mapline was not authorised. You can close this tab.\n' : 'Mapline is authorised. You can close this tab.\n');
    deliver({
      ...(url.searchParams.get('code') === null ? {} : { code: url.searchParams.get('code') as string }),
      ...(url.searchParams.get('state') === null ? {} : { state: url.searchParams.get('state') as string }),
      ...(error === null ? {} : { error }),
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(Number(wanted.port || 80), wanted.hostname.replace(/^\[|\]$/g, ''), resolve);
  });
  const port = (server.address() as AddressInfo).port;
  const actual = new URL(wanted.href);
  actual.port = String(port);
  return {
    redirectUri: actual.href,
    next: (timeoutMs) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no answer from the browser within ${timeoutMs / 1000} s`)), timeoutMs);
        void received.then((result) => {
          clearTimeout(timer);
          resolve(result);
        });
      }),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Plays the browser against an identity server that approves at once: follow its redirects to our listener. */
async function followRedirect(authorizeUrl: string): Promise<void> {
  let url = authorizeUrl;
  for (let hop = 0; hop < 5; hop++) {
    const response = await request(url, { method: 'GET' });
    await response.body.dump();
    const location = response.headers.location;
    if (response.statusCode < 300 || response.statusCode >= 400 || typeof location !== 'string') return;
    url = new URL(location, url).href;
  }
}

function isLoopback(url: URL): boolean {
  return ['127.0.0.1', 'localhost', '[::1]', '::1'].includes(url.hostname);
}
