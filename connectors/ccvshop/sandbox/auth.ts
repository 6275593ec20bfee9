import { ccvDate, ccvSignature, ccvSignatureMatches } from '../hmac.js';
import { headerValue, type SandboxRequest, type SandboxResponse } from '../../sandbox/http-types.js';
import type { SandboxClock } from '../../sandbox/clock.js';
import { CcvErrors } from './errors.js';

export interface CcvCredentials {
  readonly publicKey: string;
  readonly secret: string;
}

/** §1: "this timestamp may not differ more than 5 minutes from server time" [H]. */
export const MAX_SKEW_MS = 5 * 60_000;

// ISO 8601 with a `Z`, `+00:00` or `+0000` style offset (all three seen in working clients, §1).
const ISO_DATE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?)(Z|[+-]\d{2}:?\d{2})$/;

/** Parses an `x-date`; undefined when it is not an ISO 8601 date-time with an offset. */
export function parseCcvDate(value: string): number | undefined {
  const match = ISO_DATE.exec(value.trim());
  if (!match) return undefined;
  const zone = match[2] === 'Z' ? 'Z' : (match[2] as string).replace(/^([+-]\d{2}):?(\d{2})$/, '$1:$2');
  const ms = Date.parse(`${match[1]}${zone}`);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Checks `x-public`/`x-date`/`x-hash` over the raw path+query and raw body. Returns the 401 to send, or
 * undefined when the request is authentic.
 */
export function verifyRequest(request: SandboxRequest, credentials: CcvCredentials, clock: SandboxClock): SandboxResponse | undefined {
  const publicKey = headerValue(request, 'x-public');
  const date = headerValue(request, 'x-date');
  const hash = headerValue(request, 'x-hash');
  if (!publicKey || !date || !hash) return CcvErrors.missingAuth();
  if (publicKey !== credentials.publicKey) return CcvErrors.unknownPublicKey();
  const sent = parseCcvDate(date);
  if (sent === undefined) return CcvErrors.badDate('expected ISO 8601 UTC, e.g. 2024-01-15T10:00:00Z');
  if (Math.abs(clock.now() - sent) > MAX_SKEW_MS) return CcvErrors.badDate('differs more than 5 minutes from server time');
  const input = { publicKey, method: request.method, uri: request.rawUrl, body: request.rawBody, date };
  if (!ccvSignatureMatches(credentials.secret, input, hash)) return CcvErrors.badHash();
  return undefined;
}

/**
 * Signs a response as the official SDK checks it (§1 response signing): `x-date` now, `x-hash` over the
 * request's method and uri and the raw response body. Unsigned when the caller's public key is unknown,
 * because then there is no secret to sign with.
 */
export function signResponse(request: SandboxRequest, response: SandboxResponse, credentials: CcvCredentials, clock: SandboxClock): SandboxResponse {
  if (headerValue(request, 'x-public') !== credentials.publicKey) return response;
  const date = ccvDate(clock.date());
  const hash = ccvSignature(credentials.secret, {
    publicKey: credentials.publicKey,
    method: request.method,
    uri: request.rawUrl,
    body: response.body ?? '',
    date,
  });
  return { ...response, headers: { ...response.headers, 'x-date': date, 'x-hash': hash } };
}
