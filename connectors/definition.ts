import type { JsonSchema } from './json-schema.js';

/**
 * A connector is a definition, not code: everything the runtime and the client core need to talk to an API is
 * declared here as data. Only what cannot be declared (request signing, token refresh) is code, plugged in by
 * `auth.type`. This file is pure and isomorphic: the compiler and the playground read the same definitions.
 */
export interface ConnectorDefinition {
  /** The name used in `.map` files: `flow x: ccvshop.orders -> eaccounting.orders`. */
  readonly name: string;
  readonly title: string;
  /** Base URL of the real API; a config file (or the sandbox) overrides it. No trailing slash. */
  readonly defaultBaseUrl: string;
  readonly auth: AuthSpec;
  readonly paging: PagingSpec;
  readonly rateLimits: readonly RateLimitRule[];
  readonly errors: ErrorFormat;
  /** Headers sent with every request (e.g. `Accept`). */
  readonly headers?: Readonly<Record<string, string>>;
  readonly entities: Readonly<Record<string, EntityDefinition>>;
}

export type AuthSpec =
  | { readonly type: 'none' }
  /** CCV Shop: HMAC-SHA512 over `public|METHOD|uri|body|x-date`, signed responses. */
  | { readonly type: 'ccv-hmac'; readonly maxClockSkewSeconds: number }
  /** OAuth2 authorization code with refresh tokens (eAccounting, on Visma's identity server). */
  | {
      readonly type: 'oauth2';
      readonly authorizeUrl: string;
      readonly tokenUrl: string;
      readonly scopes: readonly string[];
      readonly clientAuth: 'basic' | 'post';
      /** Extra query parameters for the authorize URL (e.g. `prompt`, `acr_values`). */
      readonly authorizeParams?: Readonly<Record<string, string>>;
    }
  | { readonly type: 'api-key'; readonly header: string };

export type PagingSpec =
  /** `start`/`size` offsets, following the envelope's `next` link until it is null (CCV Shop). */
  | {
      readonly style: 'offset';
      readonly startParam: string;
      readonly sizeParam: string;
      readonly maxSize: number;
      readonly itemsField: string;
      readonly nextField: string;
    }
  /** Numbered pages with a metadata block telling the page count (eAccounting `Meta`/`Data`). */
  | {
      readonly style: 'page';
      readonly pageParam: string;
      readonly sizeParam: string;
      readonly firstPage: number;
      readonly maxSize: number;
      readonly itemsField: string;
      readonly metaField: string;
      readonly currentPageField: string;
      readonly totalPagesField: string;
    }
  /** One response holds the whole collection under `itemsField`. */
  | { readonly style: 'none'; readonly itemsField: string };

export interface RateLimitRule {
  /** `endpoint`: counted per entity path (the documented unit for both APIs); `connector`: one global budget. */
  readonly scope: 'endpoint' | 'connector';
  /** Methods this rule counts; empty means all. */
  readonly methods: readonly HttpMethod[];
  readonly limit: number;
  readonly windowMs: number;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Where an API puts its own error fields, so errors become typed values with the API's words in them. */
export interface ErrorFormat {
  /** Body field holding the API's error code (`ErrorCode`, `code`). */
  readonly codeField: string;
  /** Body field holding the developer message (`DeveloperErrorMessage`, `developermessage`). */
  readonly messageField: string;
  /** Body field holding a per-error id, when the API has one (`ErrorId`). */
  readonly idField?: string;
  /** Body field holding field-level errors (`Errors`). */
  readonly detailsField?: string;
  /** How long a 429 says to wait: a regex over the message whose first group is seconds (eAccounting). */
  readonly retryAfterPattern?: string;
  /** When a 429 says nothing, wait this long before the next try (CCV: about a minute). */
  readonly defaultRetryAfterMs: number;
}

export interface EndpointSpec {
  readonly method: HttpMethod;
  /** Path relative to the base URL, with `{id}` (or `{parentId}` for children) placeholders. */
  readonly path: string;
  /** Status the API answers on success (CCV PATCH 204, eAccounting POST 201). */
  readonly successStatus?: number;
}

export interface EntityDefinition {
  readonly name: string;
  readonly title?: string;
  /** Field holding the record's id in the read schema (`id`, `Id`). */
  readonly idField: string;
  readonly list?: EndpointSpec & { readonly paging?: PagingSpec; readonly params?: Readonly<Record<string, string>> };
  readonly get?: EndpointSpec;
  readonly create?: EndpointSpec;
  /** `replace`: the API replaces the whole record (eAccounting PUT: read, merge, write back); `merge`: PATCH. */
  readonly update?: EndpointSpec & { readonly semantics: 'replace' | 'merge' };
  readonly delete?: EndpointSpec;
  /** How to find records by a field value without reading everything. */
  readonly search?: SearchSpec;
  /** How to read only what changed since the last run. */
  readonly cursor?: CursorSpec;
  /**
   * List query parameters that return the newest records first (CCV `orderby=create_date_desc`, OData
   * `$orderby=ChangedUtc desc`). A flow that updates its target reads its source this way, so when several source
   * records name one target record, the newest one settles it (see docs/runtime.md, "One write per target").
   */
  readonly newestFirst?: Readonly<Record<string, string>>;
  /** Child collections the runtime loads per record and attaches under the given field (a CCV order's rows). */
  readonly children?: Readonly<Record<string, ChildSpec>>;
  /** Fields the API keeps unique; a second create with the same value is a conflict. */
  readonly unique?: readonly string[];
  /**
   * Write fields the API returns under another name, as a dotted read path: CCV products take `active` and
   * `package_id` but return `is_active` and `package.id`. Used to tell whether a record already holds a payload.
   */
  readonly readBack?: Readonly<Record<string, string>>;
  readonly schemas: EntitySchemas;
}

export interface EntitySchemas {
  /** What a GET returns. Source paths are checked against this. */
  readonly read: JsonSchema;
  /** What a create accepts; absent when the entity cannot be created through the API. */
  readonly create?: JsonSchema;
  /** What an update accepts; absent when the entity cannot be updated. */
  readonly update?: JsonSchema;
}

export type SearchSpec =
  /** OData `$filter=Field eq 'value'` on the list endpoint (eAccounting); any listed field may be used. */
  | { readonly style: 'odata'; readonly param: string; readonly fields: readonly string[] }
  /** Plain query parameters on the list endpoint, one per searchable field (CCV `productnumber=`). */
  | { readonly style: 'query'; readonly fields: Readonly<Record<string, string>> };

export type CursorSpec =
  /** Records carry a change stamp that the list endpoint can filter on (`ChangedUtc gt ...`). */
  | { readonly style: 'odata-modified'; readonly field: string; readonly overlapMs: number }
  /**
   * Only a creation-date filter exists (CCV orders): read from the cursor's create date, and re-poll records
   * not yet synced within `repollWindowMs` so later changes (paid, status) are seen.
   */
  | {
      readonly style: 'created-since';
      readonly field: string;
      readonly param: string;
      readonly format: 'date' | 'datetime';
      readonly overlapMs: number;
      readonly repollWindowMs: number;
    };

export interface ChildSpec {
  /** e.g. `/orders/{parentId}/orderrows` */
  readonly path: string;
  /** The entity the child records are (its read schema types them). */
  readonly entity: string;
  /**
   * Set when a flow may write the children too, as records of their own that point at the parent: a CCV product is
   * put in a category by `POST /producttocategories {product_id, category_id}`. See `linked-children.ts`.
   */
  readonly link?: ChildLink;
}

export interface ChildLink {
  /** The child's field that holds the parent's id (`product_id`); the runtime fills it in, rules do not. */
  readonly parentField: string;
  /** The child field that tells one child from another under the same parent (`category_id`). */
  readonly key: string;
}

/** Whether the API can find records of `entity` by `field` without reading them all (see `SearchSpec`). */
export function searchableBy(entity: EntityDefinition, field: string): boolean {
  const search = entity.search;
  if (!search) return false;
  if (search.style === 'odata') return search.fields.length === 0 || search.fields.includes(field);
  return Object.hasOwn(search.fields, field);
}
