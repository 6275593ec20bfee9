import { request } from 'undici';
import { CallCounter } from '../../../connectors/client/call-counter.js';
import { silentLogger } from '../../../connectors/client/logger.js';
import { Redactor } from '../../../connectors/client/redact.js';
import type { TokenStore } from '../../../connectors/client/token-store.js';
import { Transport } from '../../../connectors/client/transport.js';
import { buildAuthorizeUrl, newState, OAuth2Session, type OAuth2Spec } from '../../../connectors/eaccounting/auth.js';
import { eaccounting } from '../../../connectors/eaccounting/definition.js';
import { type RunningSandboxes, type SandboxesOptions, startSandboxes } from '../../../connectors/sandbox/index.js';

/** Credentials the test sandboxes accept (test-only values, not secrets of any real account). */
export const CCV_KEYS = { publicKey: 'mapline-test-public', secret: 'mapline-test-secret-0123456789' };
export const EA_CLIENT = { clientId: 'mapline-test-client', clientSecret: 'mapline-test-client-secret-42' };

/** Sandbox rate windows last `60 000 ms x TIME_SCALE`; clients get the same `timeScale`. */
export const TIME_SCALE = 0.01;

/** Both real sandboxes on 127.0.0.1:0, seeded, minute windows scaled to TIME_SCALE. */
export function startTestSandboxes(options: Partial<SandboxesOptions> = {}): Promise<RunningSandboxes> {
  return startSandboxes({
    seed: 'client-tests',
    sizes: { products: 30, orders: 40, customers: 25 },
    ccvshop: CCV_KEYS,
    eaccounting: EA_CLIENT,
    rateLimits: { enabled: true, windowMs: 60_000 * TIME_SCALE },
    ...options,
  });
}

/**
 * The authorization-code flow against the eAccounting sandbox as `mapline auth` runs it: authorize (the sandbox
 * approves at once and redirects with a code), then exchange the code into `store`.
 */
export async function authoriseSandbox(sandboxes: RunningSandboxes, store: TokenStore): Promise<void> {
  const spec = eaccounting.auth as OAuth2Spec;
  const redirectUri = 'http://127.0.0.1:9/callback';
  const state = newState();
  const url = buildAuthorizeUrl(spec, { ...EA_CLIENT, redirectUri, state, identityUrl: sandboxes.eaccounting.origin });
  const answer = await request(url, { method: 'GET' });
  await answer.body.dump();
  const location = new URL(String(answer.headers.location));
  if (location.searchParams.get('state') !== state) throw new Error('sandbox returned another state');
  const transport = new Transport();
  try {
    const session = new OAuth2Session({
      connector: 'eaccounting',
      spec,
      ...EA_CLIENT,
      identityUrl: sandboxes.eaccounting.origin,
      store,
      transport,
      clock: Date.now,
      redactor: new Redactor(),
      logger: silentLogger,
      calls: new CallCounter(),
    });
    await session.exchangeCode(location.searchParams.get('code') ?? '', redirectUri);
  } finally {
    await transport.close();
  }
}
