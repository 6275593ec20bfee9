import type { SandboxRequest } from '../../sandbox/http-types.js';
import type { SandboxRecord } from '../../sandbox/store.js';

/** A query parameter the sandbox cannot use; becomes a 400 naming the parameter. */
export interface QueryProblem {
  readonly problem: string;
}

/** The first of some parsed parameters that is a problem. */
export function firstProblem(...parsed: unknown[]): QueryProblem | undefined {
  return parsed.find((value): value is QueryProblem => typeof value === 'object' && value !== null && 'problem' in value);
}

/** `true`/`false` (also `1`/`0`); `fallback` when absent. */
export function parseBoolean(query: URLSearchParams, name: string, fallback?: boolean): boolean | undefined | QueryProblem {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  return { problem: `Parameter ${name} must be true or false, got '${raw}'` };
}

export function parseInteger(query: URLSearchParams, name: string): number | undefined | QueryProblem {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  if (!/^-?\d+$/.test(raw)) return { problem: `Parameter ${name} must be an integer, got '${raw}'` };
  return Number(raw);
}

/**
 * A date filter: `YYYY-MM-DD` (as the JDK README sends it) or a full ISO date-time. A bare date counts as
 * the whole UTC day: from its start for a minimum, to its end for a maximum.
 */
export function parseDateBound(query: URLSearchParams, name: string, side: 'start' | 'end'): number | undefined | QueryProblem {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(raw)) {
    const day = Date.parse(`${raw}T00:00:00Z`);
    if (!Number.isNaN(day)) return side === 'start' ? day : day + 86_400_000 - 1;
  } else if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(raw)) {
    const normalized = raw.replace(' ', 'T').replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
    const at = Date.parse(/(Z|[+-]\d{2}:\d{2})$/.test(normalized) ? normalized : `${normalized}Z`);
    if (!Number.isNaN(at)) return at;
  }
  return { problem: `Parameter ${name} must be a date (YYYY-MM-DD) or an ISO 8601 date-time, got '${raw}'` };
}

/** `orderby=<field>` or `<field>_desc` over the allowed fields; by id ascending when absent. */
export function applyOrderBy(request: SandboxRequest, items: SandboxRecord[], fields: readonly string[]): { items: SandboxRecord[] } | QueryProblem {
  const raw = request.query.get('orderby') ?? 'id';
  const descending = raw.endsWith('_desc');
  const field = descending ? raw.slice(0, -5) : raw;
  if (!fields.includes(field)) return { problem: `Parameter orderby must be one of ${fields.flatMap((f) => [f, `${f}_desc`]).join(', ')}, got '${raw}'` };
  const sorted = [...items].sort((a, b) => compare(a[field], b[field]) || compare(a.id, b.id));
  return { items: descending ? sorted.reverse() : sorted };
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b));
}
