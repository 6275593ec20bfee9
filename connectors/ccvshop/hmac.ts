import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * CCV Shop request and response signing: HMAC-SHA512, keyed with the secret, over
 * `public|METHOD|uri|body|x-date`, lowercase hex. `uri` is the path plus query string exactly as sent;
 * `body` is the exact bytes sent (empty for GET and DELETE). Clients and the sandbox share this one function.
 */
export interface SignatureInput {
  readonly publicKey: string;
  readonly method: string;
  /** Path and query exactly as on the wire, e.g. `/api/rest/v1/orders/?start=0&size=25`. */
  readonly uri: string;
  /** Raw body string; empty string when there is none. */
  readonly body: string;
  /** The `x-date` header value, byte for byte. */
  readonly date: string;
}

export function ccvSignature(secret: string, input: SignatureInput): string {
  const message = [input.publicKey, input.method.toUpperCase(), input.uri, input.body, input.date].join('|');
  return createHmac('sha512', Buffer.from(secret, 'utf8')).update(message, 'utf8').digest('hex');
}

/** Constant-time comparison of a received hash with the expected one. */
export function ccvSignatureMatches(secret: string, input: SignatureInput, received: string): boolean {
  const expected = Buffer.from(ccvSignature(secret, input), 'utf8');
  const actual = Buffer.from(received.toLowerCase(), 'utf8');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** ISO 8601 UTC without milliseconds, as CCV's docs show: `2024-01-15T10:00:00Z`. */
export function ccvDate(now: Date): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
