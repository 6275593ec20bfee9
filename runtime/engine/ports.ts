import type { Json } from '../../compiler/artifact.js';

/**
 * What the engine needs from a connector's HTTP client, one per connector. The real client
 * (`connectors/client`) is adapted to this in `client-adapter.ts`; keeping the port this small keeps the engine
 * testable and lets a third connector work without engine changes. Entities are named as in the definition.
 */
export interface ConnectorClient {
  readonly connector: string;
  /** Every record of the entity (all pages). */
  list(entity: string): Promise<Json[]>;
  /** Records changed (or, for `created-since` cursors, created) at or after `since`, per the entity's cursor. */
  listSince(entity: string, since: Date): Promise<Json[]>;
  /**
   * The same records as `list` (or `listSince` when `since` is given), a page at a time as the API sends them,
   * so a run over a large source holds one page, not all of it. `newestFirst` asks for the newest records first
   * where the entity's definition declares how (`newestFirst`); otherwise the API's own order.
   */
  pages(entity: string, since?: Date, newestFirst?: boolean): AsyncIterable<Json[]>;
  get(entity: string, id: string): Promise<Json>;
  /** A child collection of one record (a shop order's rows), by its name in the entity's `children`. */
  children(entity: string, parentId: string, child: string): Promise<Json[]>;
  /** Records whose `field` equals `value`, without reading everything (the entity's `search`). */
  search(entity: string, field: string, value: Json): Promise<Json[]>;
  /** Throws an error with `kind === 'outcome-unknown'` when the create may or may not have happened. */
  create(entity: string, payload: Json): Promise<Json>;
  /** Returns the record as the API answered, or undefined when it answered without a body (CCV PATCH 204). */
  update(entity: string, id: string, payload: Json): Promise<Json | undefined>;
  /** HTTP calls made so far (retries included), for the run summary. */
  callCount(): number;
}

/**
 * The API refused a connection's credentials. Its message names the setting that holds them (never their value).
 * It fails the flow, not the record: every other record would be refused the same way.
 */
export class CredentialsRefusedError extends Error {
  readonly kind = 'credentials-refused' as const;
  constructor(
    /** The connector whose API refused (`ccvshop`). */
    readonly connector: string,
    message: string,
  ) {
    super(message);
    this.name = 'CredentialsRefusedError';
  }
}

export function isCredentialsRefused(error: unknown): error is CredentialsRefusedError {
  return typeof error === 'object' && error !== null && (error as { kind?: unknown }).kind === 'credentials-refused';
}

/** The client's "the write may or may not have happened" error, recognised by its kind tag. */
export function isOutcomeUnknown(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { kind?: unknown }).kind === 'outcome-unknown';
}

/** The API answered 404 (directly, or as the response a RecordFailure carries): the record is not there. */
export function isNotFound(error: unknown): boolean {
  const apiError = (value: unknown): boolean => {
    const e = typeof value === 'object' && value !== null ? (value as { kind?: unknown; status?: unknown }) : undefined;
    return e?.kind === 'api' && e.status === 404;
  };
  if (apiError(error)) return true;
  const response = typeof error === 'object' && error !== null ? (error as { response?: unknown }).response : undefined;
  return apiError(response);
}

/** What an API said when it refused a write, kept in the quarantine so a person can see the API's own words. */
export function responseOf(error: unknown): Json | null {
  if (typeof error !== 'object' || error === null) return null;
  const e = error as { toJSON?: () => unknown; responseBody?: unknown; status?: unknown; message?: unknown };
  if (typeof e.toJSON === 'function') return JSON.parse(JSON.stringify(e.toJSON())) as Json;
  return { message: String(e.message ?? error), ...(e.status !== undefined ? { status: e.status as Json } : {}) };
}
