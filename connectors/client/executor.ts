import type { ErrorFormat, HttpMethod } from '../definition.js';
import { apiErrorFrom, retryAfterMs } from './api-error.js';
import type { AuthPlugin } from './auth-plugin.js';
import { backoffDelay } from './backoff.js';
import type { CallCounter } from './call-counter.js';
import { NetworkError, OutcomeUnknownError, RateLimitedError, type RequestSummary } from './errors.js';
import type { RateBudget } from './rate-budget.js';
import type { ClientLogger } from './logger.js';
import type { Redactor } from './redact.js';
import { sleep } from './timing.js';
import { type Transport, WireFailure, type WireResponse } from './transport.js';
import { endpointKey } from './url.js';

/**
 * Runs one logical request to completion: governor slot, auth headers, send, verify, then retry or fail.
 *
 * Retry rules (why: a create must never be duplicated, everything else may be repeated):
 * - GET, PUT, PATCH, DELETE: retried on 5xx, 429 and connection errors, with exponential backoff and jitter.
 * - POST: retried only when it surely did not take effect: connection refused before sending, 429, 503. A POST
 *   whose outcome is unknown (timeout or connection lost after sending, any other 5xx) is never resent; it throws
 *   `OutcomeUnknownError` so the runtime looks the record up by its key.
 * - 401: the auth plug-in may refresh credentials once per request; the request is then tried again.
 */
export interface RetryPolicy {
  /** Attempts for failures other than 429 (network, 5xx). */
  readonly maxAttempts: number;
  /** 429 answers tolerated per request before giving up. */
  readonly maxRateLimitWaits: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 8, maxRateLimitWaits: 10, baseDelayMs: 200, maxDelayMs: 10_000 };

export interface ExecutorContext {
  readonly connector: string;
  readonly origin: string;
  readonly errors: ErrorFormat;
  readonly headers: Readonly<Record<string, string>>;
  readonly auth: AuthPlugin;
  readonly governor: RateBudget;
  readonly transport: Transport;
  readonly calls: CallCounter;
  readonly logger: ClientLogger;
  readonly redactor: Redactor;
  readonly retry: RetryPolicy;
  readonly timeScale: number;
}

export interface Call {
  readonly method: HttpMethod;
  /** Endpoint template relative to the base URL, for counting and rate limiting (`/orders/{id}`). */
  readonly template: string;
  /** Full path and query as sent (base path included). */
  readonly path: string;
  /** Body exactly as sent. */
  readonly body?: string;
}

export async function execute(context: ExecutorContext, call: Call): Promise<WireResponse> {
  const rateKey = endpointKey(call.template);
  const summary = summarise(context, call);
  let failures = 0;
  let rateLimitWaits = 0;
  let authRecovered = false;
  for (;;) {
    const release = await context.governor.acquire(rateKey, call.method);
    let outcome: Outcome;
    try {
      outcome = await attempt(context, call, summary, failures + rateLimitWaits + 1);
    } finally {
      release();
    }
    if (outcome.kind === 'wire-failure') {
      const error = outcome.failure;
      failures++;
      if (call.method === 'POST' && error.sent) {
        throw new OutcomeUnknownError(context.connector, summary, error.timeout ? `timeout ${error.code}` : `connection lost ${error.code}`);
      }
      if (failures >= context.retry.maxAttempts) {
        throw new NetworkError(context.connector, summary, error.code, error.sent, failures);
      }
      await backoff(context, call, summary, failures, error.code);
      continue;
    }
    const { response, authHeaders } = outcome;
    const status = response.status;
    if (status >= 200 && status < 300) return response;

    if (status === 401 && !authRecovered && context.auth.recoverFromUnauthorized) {
      authRecovered = true;
      if (await context.auth.recoverFromUnauthorized(authHeaders)) continue;
    }
    if (status === 429) {
      rateLimitWaits++;
      if (rateLimitWaits > context.retry.maxRateLimitWaits) throw new RateLimitedError(context.connector, summary, rateLimitWaits);
      const waitMs = retryAfterMs(context.errors, response, context.timeScale);
      // Hold back everything that shares this budget, then try again.
      context.governor.pause(rateKey, call.method, waitMs);
      context.logger({ type: 'rate-limited', connector: context.connector, method: call.method, path: summary.path, waitMs });
      await sleep(waitMs);
      continue;
    }
    if (status >= 500) {
      if (call.method === 'POST' && status !== 503) {
        // Still unknown (a 500 may come after the record was stored), but the API's own words go with it.
        const said = apiErrorFrom(context.connector, context.errors, summary, response, context.redactor).developerMessage;
        throw new OutcomeUnknownError(context.connector, summary, said ? `HTTP ${status}: ${said}` : `HTTP ${status}`, status);
      }
      failures++;
      if (failures < context.retry.maxAttempts) {
        await backoff(context, call, summary, failures, `HTTP ${status}`);
        continue;
      }
    }
    throw apiErrorFrom(context.connector, context.errors, summary, response, context.redactor);
  }
}

type Outcome =
  | { readonly kind: 'response'; readonly response: WireResponse; readonly authHeaders: Record<string, string> }
  | { readonly kind: 'wire-failure'; readonly failure: WireFailure };

/** One attempt on the wire: auth headers, send, count, log, verify the response signature. */
async function attempt(context: ExecutorContext, call: Call, summary: RequestSummary, number: number): Promise<Outcome> {
  const request = { method: call.method, path: call.path, body: call.body };
  const authHeaders = await context.auth.headers(request);
  const headers: Record<string, string> = { ...context.headers, ...authHeaders };
  if (call.body !== undefined) headers['content-type'] ??= 'application/json';
  context.calls.record(context.connector, call.template, call.method);
  const started = performance.now();
  let response: WireResponse;
  try {
    response = await context.transport.send({ origin: context.origin, path: call.path, method: call.method, headers, body: call.body });
  } catch (error) {
    if (error instanceof WireFailure) return { kind: 'wire-failure', failure: error };
    throw error;
  }
  context.logger({
    type: 'response',
    connector: context.connector,
    method: call.method,
    path: summary.path,
    status: response.status,
    ms: performance.now() - started,
    attempt: number,
  });
  context.auth.verify?.(request, response);
  return { kind: 'response', response, authHeaders };
}

async function backoff(context: ExecutorContext, call: Call, summary: RequestSummary, attempt: number, reason: string): Promise<void> {
  const waitMs = backoffDelay(attempt, { ...context.retry, timeScale: context.timeScale });
  context.logger({ type: 'retry', connector: context.connector, method: call.method, path: summary.path, reason, waitMs, attempt });
  await sleep(waitMs);
}

function summarise(context: ExecutorContext, call: Call): RequestSummary {
  const body = context.redactor.body(call.body, context.headers['content-type']);
  return body === undefined
    ? { method: call.method, path: context.redactor.path(call.path) }
    : { method: call.method, path: context.redactor.path(call.path), body };
}
