import type { ErrorFormat } from '../definition.js';
import { ApiError, type ApiFieldError, type RequestSummary } from './errors.js';
import type { Redactor } from './redact.js';
import type { WireResponse } from './transport.js';

/** Turns an error response into an `ApiError` holding the API's own fields, as the definition names them. */
export function apiErrorFrom(
  connector: string,
  format: ErrorFormat,
  request: RequestSummary,
  response: WireResponse,
  redactor: Redactor,
): ApiError {
  const body = parseJson(response.body);
  const record = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const code = record[format.codeField];
  const message = record[format.messageField];
  const id = format.idField ? record[format.idField] : undefined;
  const details = format.detailsField ? fieldErrors(record[format.detailsField]) : [];
  return new ApiError(
    connector,
    request,
    response.status,
    typeof code === 'string' || typeof code === 'number' ? code : undefined,
    typeof message === 'string' ? redactor.text(message) : undefined,
    typeof id === 'string' ? id : undefined,
    details.map((detail) => ({ ...detail, message: detail.message && redactor.text(detail.message) })),
    body === undefined ? redactor.text(response.body.slice(0, 2000)) : redactor.value(body),
  );
}

/**
 * How long a 429 asks us to wait, in real milliseconds: the definition's pattern over the message (eAccounting
 * "Try again in 55 seconds"), else a `Retry-After` header, both as told (a server states real time, a scaled
 * sandbox included); else the definition's default, which is API time and so is scaled by `timeScale`.
 */
export function retryAfterMs(format: ErrorFormat, response: WireResponse, timeScale: number): number {
  if (format.retryAfterPattern) {
    const body = parseJson(response.body);
    const message =
      body !== null && typeof body === 'object' ? (body as Record<string, unknown>)[format.messageField] : undefined;
    const match = new RegExp(format.retryAfterPattern).exec(typeof message === 'string' ? message : response.body);
    if (match?.[1] !== undefined && Number.isFinite(Number(match[1]))) return Number(match[1]) * 1000;
  }
  const header = response.headers['retry-after'];
  if (header !== undefined && /^\d+$/.test(header.trim())) return Number(header) * 1000;
  return format.defaultRetryAfterMs * timeScale;
}

export function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function fieldErrors(value: unknown): ApiFieldError[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((item): item is Record<string, unknown> => item !== null && typeof item === 'object')
    .map((item) => {
      const pick = (name: string): string | undefined => {
        const key = Object.keys(item).find((candidate) => candidate.toLowerCase() === name);
        const found = key === undefined ? undefined : item[key];
        return found === undefined || found === null ? undefined : String(found);
      };
      return { field: pick('field'), code: pick('errorcode') ?? pick('code'), message: pick('message') };
    });
}
