import type { IncomingHttpHeaders } from 'node:http';

/** A request as the sandbox sees it: the raw request target and raw body are kept byte for byte (CCV signs them). */
export interface SandboxRequest {
  readonly method: string;
  /** Path plus query exactly as sent on the request line, e.g. `/api/rest/v1/orders/?start=0&size=25`. */
  readonly rawUrl: string;
  /** Decoded path without the query. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: string;
  /** `http://host:port` as the client addressed the server (from the Host header). */
  readonly origin: string;
}

/**
 * What a route returns. Routes never write to the socket themselves, so the server can still decide to drop
 * the answer after the write was applied ("write applied, response lost").
 */
export interface SandboxResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** Exact body text; absent for 204 and redirects. */
  readonly body?: string;
}

export function jsonResponse(status: number, value: unknown, headers: Record<string, string> = {}): SandboxResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(value),
  };
}

export function emptyResponse(status: number, headers: Record<string, string> = {}): SandboxResponse {
  return { status, headers };
}

export function headerValue(request: SandboxRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** Parses the body as JSON; `undefined` when empty, an `Error` when it is not JSON. */
export function parseJsonBody(request: SandboxRequest): unknown {
  if (request.rawBody.trim() === '') return undefined;
  try {
    return JSON.parse(request.rawBody) as unknown;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}
