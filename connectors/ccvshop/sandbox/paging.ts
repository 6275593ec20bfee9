import { jsonResponse, type SandboxRequest, type SandboxResponse } from '../../sandbox/http-types.js';
import { CcvErrors } from './errors.js';

/** §2: max `size` is probably 250 [L]; larger sizes are clamped to it (decision in docs/sandbox.md). */
export const MAX_PAGE_SIZE = 250;
/** Default `size` is unknown; 25 is what the notes' examples show. */
export const DEFAULT_PAGE_SIZE = 25;

/**
 * The paged collection envelope `{href, start, size, first, previous, next, items}` with absolute links that
 * keep every other query parameter (§2).
 */
export function pagedCollection<T>(request: SandboxRequest, items: readonly T[], render: (item: T) => unknown): SandboxResponse {
  const start = parseOffset(request.query.get('start'), 0, 'start');
  const requestedSize = parseOffset(request.query.get('size'), DEFAULT_PAGE_SIZE, 'size');
  if (typeof start !== 'number') return start;
  if (typeof requestedSize !== 'number') return requestedSize;
  if (requestedSize < 1) return CcvErrors.badRequest('Parameter size must be at least 1');
  const size = Math.min(requestedSize, MAX_PAGE_SIZE);
  const link = (offset: number) => pageLink(request, offset, size);
  return jsonResponse(200, {
    href: link(start),
    start,
    size,
    first: link(0),
    previous: start > 0 ? link(Math.max(0, start - size)) : null,
    next: start + size < items.length ? link(start + size) : null,
    items: items.slice(start, start + size).map(render),
  });
}

/** The unpaged collection `{href, items}` (`/paymethods`). */
export function unpagedCollection<T>(request: SandboxRequest, items: readonly T[], render: (item: T) => unknown): SandboxResponse {
  return jsonResponse(200, { href: `${request.origin}${request.rawUrl}`, items: items.map(render) });
}

function pageLink(request: SandboxRequest, start: number, size: number): string {
  const query = new URLSearchParams();
  query.set('start', String(start));
  query.set('size', String(size));
  for (const [key, value] of request.query) {
    if (key !== 'start' && key !== 'size') query.append(key, value);
  }
  const path = request.rawUrl.split('?')[0] ?? request.path;
  return `${request.origin}${path}?${query.toString()}`;
}

function parseOffset(raw: string | null, fallback: number, name: string): number | SandboxResponse {
  if (raw === null || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) return CcvErrors.badRequest(`Parameter ${name} must be a non-negative integer, got '${raw}'`);
  return Number(raw);
}
