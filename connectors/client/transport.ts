import { Agent } from 'undici';

/**
 * The wire: one keep-alive undici `Agent` per client (it keeps a `Pool` per origin), with connect, headers and
 * body timeouts. It sends exact bytes and returns exact bytes, because CCV signs both; it knows nothing about
 * APIs. A failure is classified once, here: did the request possibly reach the server or surely not?
 */
export interface TransportOptions {
  readonly connectTimeoutMs?: number;
  /** Time to wait for response headers once the request is sent. */
  readonly headersTimeoutMs?: number;
  /** Time allowed between body chunks. */
  readonly bodyTimeoutMs?: number;
  /** Connections per origin. */
  readonly connectionsPerOrigin?: number;
}

export interface WireRequest {
  readonly origin: string;
  /** Path and query, exactly as signed. */
  readonly path: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface WireResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Raw body bytes decoded as UTF-8, byte for byte what was received. */
  readonly body: string;
}

/** A transport failure. `sent: false` only when the request surely never reached the server. */
export class WireFailure extends Error {
  constructor(
    readonly code: string,
    readonly sent: boolean,
    readonly timeout: boolean,
  ) {
    super(`wire failure ${code}`);
  }
}

/** Codes that happen before a single byte of the request left this machine. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
]);
const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

export class Transport {
  readonly #agent: Agent;

  constructor(options: TransportOptions = {}) {
    this.#agent = new Agent({
      connect: { timeout: options.connectTimeoutMs ?? 10_000 },
      headersTimeout: options.headersTimeoutMs ?? 30_000,
      bodyTimeout: options.bodyTimeoutMs ?? 30_000,
      connections: options.connectionsPerOrigin ?? 16,
      keepAliveTimeout: 4_000,
    });
  }

  async send(request: WireRequest): Promise<WireResponse> {
    try {
      const response = await this.#agent.request({
        origin: request.origin,
        path: request.path,
        method: request.method as 'GET',
        headers: request.headers,
        body: request.body,
      });
      const body = Buffer.from(await response.body.arrayBuffer()).toString('utf8');
      return { status: response.statusCode, headers: flattenHeaders(response.headers), body };
    } catch (error) {
      throw classify(error);
    }
  }

  async close(): Promise<void> {
    await this.#agent.close();
  }
}

function classify(error: unknown): WireFailure {
  const code = errorCode(error);
  return new WireFailure(code, !NOT_SENT_CODES.has(code), TIMEOUT_CODES.has(code));
}

function errorCode(error: unknown): string {
  // undici wraps socket errors; the Node system error (ECONNREFUSED, ECONNRESET) may sit in `cause`.
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    current = (current as { cause?: unknown }).cause;
  }
  return codes.find((code) => NOT_SENT_CODES.has(code)) ?? codes[0] ?? 'UNKNOWN';
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}
