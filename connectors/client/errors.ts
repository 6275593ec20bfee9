/**
 * Every failure the client reports is a `ClientError` subclass with a `kind` tag, so callers can `switch` on
 * `error.kind` (or use `instanceof`). Each carries the connector, the request as sent (method, path with query,
 * body) with secrets already masked, and serialises to plain JSON via `toJSON()`. No error holds a raw header,
 * token or key: messages are built from redacted parts only.
 */
export interface RequestSummary {
  readonly method: string;
  /** Path and query as sent, secrets masked. */
  readonly path: string;
  /** Parsed request body, secrets masked; absent when there was none. */
  readonly body?: unknown;
}

/** The API's own error fields (eAccounting `Errors[]`, one entry per field problem). */
export interface ApiFieldError {
  readonly field?: string;
  readonly code?: string;
  readonly message?: string;
}

export type ClientErrorKind =
  | 'api'
  | 'outcome-unknown'
  | 'network'
  | 'response-signature'
  | 'auth'
  | 'rate-limited'
  | 'protocol'
  | 'usage';

export abstract class ClientError extends Error {
  abstract readonly kind: ClientErrorKind;
  readonly connector: string;
  readonly request: RequestSummary | undefined;

  constructor(connector: string, message: string, request: RequestSummary | undefined) {
    super(request ? `${connector} ${request.method} ${request.path}: ${message}` : `${connector}: ${message}`);
    this.name = new.target.name;
    this.connector = connector;
    this.request = request;
  }

  toJSON(): Record<string, unknown> {
    const fields: Record<string, unknown> = { kind: this.kind, name: this.name, message: this.message };
    for (const [key, value] of Object.entries(this)) fields[key] = value;
    return fields;
  }
}

/** The API answered with an error status (after any retries). Holds the API's own error fields. */
export class ApiError extends ClientError {
  readonly kind = 'api' as const;
  constructor(
    connector: string,
    request: RequestSummary,
    readonly status: number,
    /** `ErrorCode` (eAccounting, a number) or `code` (CCV, e.g. `"404.20"`). */
    readonly code: string | number | undefined,
    /** `DeveloperErrorMessage` / `developermessage`. */
    readonly developerMessage: string | undefined,
    /** `ErrorId` (eAccounting), to quote to the API's support. */
    readonly errorId: string | undefined,
    readonly details: readonly ApiFieldError[],
    /** The response body, secrets masked, for anything the fields above do not cover. */
    readonly responseBody: unknown,
  ) {
    super(connector, describeApiError(status, code, developerMessage, details), request);
  }
}

/**
 * A write may or may not have happened: the request was sent but no trustworthy answer came back (timeout,
 * connection lost, a 5xx other than 503). The client never sends such a create again; the runtime resolves it by
 * looking the record up by its key.
 */
export class OutcomeUnknownError extends ClientError {
  readonly kind = 'outcome-unknown' as const;
  constructor(
    connector: string,
    request: RequestSummary,
    readonly reason: string,
    readonly status?: number,
  ) {
    super(connector, `outcome unknown (${reason}); not resent, look the record up by its key`, request);
  }
}

/** The connection failed and retries ran out. `sent` tells whether the request may have reached the server. */
export class NetworkError extends ClientError {
  readonly kind = 'network' as const;
  constructor(
    connector: string,
    request: RequestSummary,
    /** undici / Node error code, e.g. `ECONNREFUSED`, `UND_ERR_HEADERS_TIMEOUT`. */
    readonly code: string,
    readonly sent: boolean,
    readonly attempts: number,
  ) {
    super(connector, `network failure ${code} after ${attempts} attempt(s)`, request);
  }
}

/** A response that is unsigned or whose signature does not match its body (CCV `x-hash`). Never trusted. */
export class ResponseSignatureError extends ClientError {
  readonly kind = 'response-signature' as const;
  constructor(
    connector: string,
    request: RequestSummary,
    readonly status: number,
    readonly problem: 'missing' | 'mismatch',
  ) {
    super(connector, `response signature ${problem === 'missing' ? 'missing' : 'does not match'} (HTTP ${status})`, request);
  }
}

/**
 * No usable credentials: never authorised, refresh token rejected, identity server error, or the API refused the
 * credentials we sent (then `status` is its HTTP status and `fields` the credential fields that are wrong).
 */
export class AuthError extends ClientError {
  readonly kind = 'auth' as const;
  constructor(
    connector: string,
    message: string,
    /** OAuth2 `error` (`invalid_grant`, ...) or HTTP status text, when the server gave one. */
    readonly oauthError?: string,
    request?: RequestSummary,
    /** The credentials were refused: the HTTP status, which fields (`secret`, `clientSecret`, ...), and why we think so. */
    readonly refused?: { readonly status: number; readonly fields: readonly string[]; readonly reason: string },
  ) {
    super(connector, message, request);
  }
}

/** The API kept answering 429 after the allowed number of waits. */
export class RateLimitedError extends ClientError {
  readonly kind = 'rate-limited' as const;
  constructor(
    connector: string,
    request: RequestSummary,
    readonly attempts: number,
  ) {
    super(connector, `still rate limited after ${attempts} attempt(s)`, request);
  }
}

/** The API answered something the definition does not allow (bad JSON, missing paging fields). */
export class ProtocolError extends ClientError {
  readonly kind = 'protocol' as const;
  constructor(connector: string, message: string, request?: RequestSummary) {
    super(connector, message, request);
  }
}

/** The caller asked for something the definition does not declare (unknown entity, no update endpoint). */
export class UsageError extends ClientError {
  readonly kind = 'usage' as const;
  constructor(connector: string, message: string) {
    super(connector, message, undefined);
  }
}

export function isClientError(error: unknown): error is ClientError {
  return error instanceof ClientError;
}

function describeApiError(
  status: number,
  code: string | number | undefined,
  developerMessage: string | undefined,
  details: readonly ApiFieldError[],
): string {
  const parts = [`HTTP ${status}`];
  if (code !== undefined) parts.push(`code ${code}`);
  if (developerMessage) parts.push(developerMessage);
  for (const detail of details.slice(0, 5)) parts.push(`${detail.field ?? '?'}: ${detail.message ?? detail.code ?? ''}`);
  return parts.join(' - ');
}
