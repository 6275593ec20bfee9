import type { SandboxResponse } from '../../../sandbox/http-types.js';
import type { SandboxRecord } from '../../../sandbox/store.js';
import type { EaContext, EaRecords } from '../context.js';

/**
 * Builds the stored record from a validated body (and the record it replaces, on PUT), or says why not. The
 * caller puts it in the contract's shape, so a builder sets what it knows and leaves the defaults to the contract.
 */
export type RecordBuilder = (ctx: EaRecords, body: SandboxRecord, existing?: SandboxRecord) => SandboxRecord | { readonly error: SandboxResponse };

/** One `/v2/<name>` resource and the operations the real API offers on it (§4). */
export interface EaResource {
  readonly name: string;
  readonly title: string;
  readonly list?: boolean;
  readonly get?: boolean;
  readonly create?: RecordBuilder;
  readonly update?: RecordBuilder;
  /** Undefined when the record may go; otherwise the refusal. */
  readonly delete?: (ctx: EaContext, record: SandboxRecord) => SandboxResponse | undefined;
  /** Extra list filtering from non-OData query parameters (`modifiedSinceUtc`). */
  readonly listFilter?: (query: URLSearchParams, records: SandboxRecord[]) => SandboxRecord[] | { readonly problem: string };
}

export function isError(value: SandboxRecord | { readonly error: SandboxResponse }): value is { readonly error: SandboxResponse } {
  return 'error' in value && typeof value.error === 'object' && value.error !== null && 'status' in (value.error as object);
}
