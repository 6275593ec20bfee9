import type { AuthSpec, ConnectorDefinition } from '../definition.js';
import type { CallCounter } from './call-counter.js';
import type { ClientLogger } from './logger.js';
import type { Redactor } from './redact.js';
import type { Clock } from './timing.js';
import type { TokenStore } from './token-store.js';
import type { Transport, WireResponse } from './transport.js';

/**
 * What is per API and cannot be declared: signing requests, checking response signatures, getting and
 * refreshing tokens. The client core calls these hooks and knows nothing else about authentication; a plug-in
 * is chosen by the definition's `auth.type` from a table (`default-auth-plugins.ts`) the caller may extend.
 */
export interface OutgoingRequest {
  readonly method: string;
  /** Path and query exactly as sent. */
  readonly path: string;
  /** Body exactly as sent, or undefined. */
  readonly body: string | undefined;
}

export interface AuthPlugin {
  /** Headers for one attempt (called again on every retry: signatures carry a date, tokens may change). */
  headers(request: OutgoingRequest): Promise<Record<string, string>>;
  /** Throws a `ResponseSignatureError` when a response is not signed as the API promises. */
  verify?(request: OutgoingRequest, response: WireResponse): void;
  /**
   * The API said 401 to a request sent with `sentHeaders`. Returns true when fresh credentials are in place and
   * the request should be tried once more.
   */
  recoverFromUnauthorized?(sentHeaders: Readonly<Record<string, string>>): Promise<boolean>;
}

/** Credentials by auth type; only the fields the chosen plug-in reads are needed. */
export interface Credentials {
  /** CCV `x-public`. */
  readonly publicKey?: string;
  /** CCV secret (HMAC key). */
  readonly secret?: string;
  /** OAuth2 client. */
  readonly clientId?: string;
  readonly clientSecret?: string;
  /** Replaces the origin of the definition's authorize/token URLs (sandbox identity server). */
  readonly identityUrl?: string;
  /** API-key auth. */
  readonly apiKey?: string;
}

export interface AuthContext<Spec extends AuthSpec = AuthSpec> {
  readonly definition: ConnectorDefinition;
  readonly spec: Spec;
  readonly credentials: Credentials;
  readonly tokenStore: TokenStore | undefined;
  readonly transport: Transport;
  readonly clock: Clock;
  readonly redactor: Redactor;
  readonly logger: ClientLogger;
  readonly calls: CallCounter;
}

export type AuthPluginFactory = (context: AuthContext) => AuthPlugin;

export type AuthPluginTable = Readonly<Record<string, AuthPluginFactory>>;
