import { CallCounter } from '../../connectors/client/call-counter.js';
import { silentLogger } from '../../connectors/client/logger.js';
import { Redactor } from '../../connectors/client/redact.js';
import { Transport } from '../../connectors/client/transport.js';
import { buildAuthorizeUrl, newState, OAuth2Session, type OAuth2Spec } from '../../connectors/eaccounting/auth.js';
import { connectors } from '../../connectors/registry.js';
import { tokenStoreFor } from '../state/token-store.js';
import type { StateStore } from '../state/store.js';
import type { MaplineConfig } from './config.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
/** The sandbox approves any loopback redirect URI; nothing listens there, the code is read from the redirect. */
const REDIRECT_URI = 'http://127.0.0.1/callback';

/**
 * An OAuth2 connection whose identity server is on loopback is a sandbox, which approves at once: when no token
 * is stored yet, run the authorization-code flow without a browser and store the pair, so `npm start` needs no
 * manual step. A real identity server needs `mapline auth eaccounting` once.
 */
export async function authorizeSandboxConnections(config: MaplineConfig, store: StateStore): Promise<void> {
  for (const [name, connection] of Object.entries(config.connections)) {
    const definition = Object.hasOwn(connectors, connection.connector) ? connectors[connection.connector] : undefined;
    if (!definition || definition.auth.type !== 'oauth2' || connection.identityUrl === undefined) continue;
    if (!LOOPBACK.has(new URL(connection.identityUrl).hostname)) continue;
    if ((await store.loadToken(name)) !== undefined) continue;
    if (!connection.clientId || !connection.clientSecret) throw new Error(`connection ${name}: clientId and clientSecret are needed to authorise`);
    const spec = definition.auth as OAuth2Spec;
    const identityUrl = connection.identityUrl.replace(/\/$/, '');
    const authorizeUrl = buildAuthorizeUrl(spec, { clientId: connection.clientId, redirectUri: REDIRECT_URI, state: newState(), identityUrl });
    let location: string | null;
    try {
      location = (await fetch(authorizeUrl, { redirect: 'manual' })).headers.get('location');
    } catch {
      throw new Error(`connection ${name}: the sandbox identity server at ${identityUrl} does not answer; start the sandboxes with \`mapline sandbox\``);
    }
    const code = location ? new URL(location).searchParams.get('code') : null;
    if (!code) throw new Error(`connection ${name}: the identity server at ${identityUrl} did not approve (no code in its redirect)`);
    const transport = new Transport();
    try {
      const session = new OAuth2Session({
        connector: definition.name,
        spec,
        clientId: connection.clientId,
        clientSecret: connection.clientSecret,
        identityUrl,
        store: tokenStoreFor(store, name),
        transport,
        clock: Date.now,
        redactor: new Redactor(),
        logger: silentLogger,
        calls: new CallCounter(),
      });
      await session.exchangeCode(code, REDIRECT_URI);
    } finally {
      await transport.close();
    }
  }
}
