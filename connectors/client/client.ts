import { searchableBy, type ConnectorDefinition, type EntityDefinition, type HttpMethod } from '../definition.js';
import { parseJson } from './api-error.js';
import type { AuthPluginTable, Credentials } from './auth-plugin.js';
import { type CallCount, CallCounter } from './call-counter.js';
import { defaultAuthPlugins } from './default-auth-plugins.js';
import { ProtocolError, UsageError } from './errors.js';
import { type Call, defaultRetryPolicy, execute, type ExecutorContext, type RetryPolicy } from './executor.js';
import { RateGovernor } from './governor.js';
import type { RateBudgetFactory } from './rate-budget.js';
import { type ClientLogger, silentLogger } from './logger.js';
import { cursorParams } from './cursor.js';
import { odataEquals } from './odata.js';
import { type ApiRecord, type Page, walkPages } from './paging.js';
import { Redactor } from './redact.js';
import { type Clock, systemClock } from './timing.js';
import type { TokenStore } from './token-store.js';
import { Transport, type TransportOptions } from './transport.js';
import { fillPath, type QueryParams } from './url.js';

/**
 * The generic connector client. Everything it does comes from a `ConnectorDefinition`: endpoints, paging,
 * search and cursor styles, rate limits, error fields. Only authentication is code, a plug-in chosen by
 * `definition.auth.type`. Adding an API means writing a definition (and at most an auth plug-in), never
 * changing this file.
 */
export interface ClientOptions {
  /** Overrides `definition.defaultBaseUrl` (a sandbox, a shop's own domain). No trailing slash. */
  readonly baseUrl?: string;
  readonly credentials?: Credentials;
  /** Where OAuth2 tokens are loaded from and saved to. Required for `oauth2` connectors. */
  readonly tokenStore?: TokenStore;
  readonly timeouts?: TransportOptions;
  /**
   * Multiplies every wait the client derives from the API's rules: rate-limit windows, 429 waits, retry backoff.
   * 1 is real time; tests use e.g. 0.01 so "a minute" lasts 600 ms. Match the sandbox's own time scale.
   */
  readonly timeScale?: number;
  /** `false` turns the rate governor off (benchmarks). Default on. */
  readonly rateLimits?: boolean;
  /**
   * Where the rate budget comes from when rate limits are on: the in-process governor by default; service mode
   * gives a budget shared by every worker on the same credentials.
   */
  readonly rateBudget?: RateBudgetFactory;
  readonly retry?: Partial<RetryPolicy>;
  /** Receives safe-to-print events (no headers, bodies or secrets). */
  readonly logger?: ClientLogger;
  /** Share one counter between clients to print one table of API calls. */
  readonly calls?: CallCounter;
  readonly clock?: Clock;
  /** Auth plug-ins by `auth.type`; defaults to the built-in table. */
  readonly authPlugins?: AuthPluginTable;
}

export interface ListOptions {
  /** Query parameters added to the definition's own (filters, `orderby`, ...). */
  readonly params?: QueryParams;
  /** Records per page; capped at the definition's `maxSize`. */
  readonly pageSize?: number;
  /** Only records changed (or, for `created-since`, created) since this instant; see `listSince`. */
  readonly since?: string | Date;
  /** Newest records first, by the entity's `newestFirst` parameters (the API's own order when it declares none). */
  readonly newestFirst?: boolean;
}

export interface ConnectorClient {
  readonly definition: ConnectorDefinition;
  /** Pages of an entity's list endpoint. */
  list(entity: string, options?: ListOptions): AsyncGenerator<Page>;
  /** Every record of `list`, collected. */
  listAll(entity: string, options?: ListOptions): Promise<ApiRecord[]>;
  get(entity: string, id: string | number): Promise<ApiRecord>;
  /** All records of a child collection of one parent (a CCV order's rows). */
  children(entity: string, parentId: string | number, child: string): Promise<ApiRecord[]>;
  /** POST. Resolves to the created record, or undefined when the API answers without a body. */
  create(entity: string, payload: unknown): Promise<ApiRecord | undefined>;
  /** PATCH (merge) or PUT (replace), as the definition says; the caller decides what to send. */
  update(entity: string, id: string | number, payload: unknown): Promise<ApiRecord | undefined>;
  /** Records whose `field` equals `value`, through the entity's search style (OData `$filter` or a query param). */
  search(entity: string, field: string, value: string | number | boolean): Promise<ApiRecord[]>;
  /** Pages of records changed since `cursor` (minus the definition's overlap), per `entity.cursor`. */
  listSince(entity: string, cursor: string | Date, options?: Omit<ListOptions, 'since'>): AsyncGenerator<Page>;
  /** API calls sent so far (this client's counter). */
  calls(): CallCount[];
  close(): Promise<void>;
}

export function createClient(definition: ConnectorDefinition, options: ClientOptions = {}): ConnectorClient {
  const base = new URL(options.baseUrl ?? definition.defaultBaseUrl);
  const origin = base.origin;
  const basePath = base.pathname.replace(/\/$/, '');
  const timeScale = options.timeScale ?? 1;
  const clock = options.clock ?? systemClock;
  const calls = options.calls ?? new CallCounter();
  const logger = options.logger ?? silentLogger;
  const transport = new Transport(options.timeouts);
  const redactor = new Redactor();
  const credentials = options.credentials ?? {};
  for (const value of [credentials.secret, credentials.clientSecret, credentials.apiKey]) redactor.addSecret(value);

  const pluginFactory = (options.authPlugins ?? defaultAuthPlugins)[definition.auth.type];
  if (!pluginFactory) throw new UsageError(definition.name, `no auth plug-in for auth type "${definition.auth.type}"`);
  const auth = pluginFactory({
    definition,
    spec: definition.auth,
    credentials,
    tokenStore: options.tokenStore,
    transport,
    clock,
    redactor,
    logger,
    calls,
  });

  const context: ExecutorContext = {
    connector: definition.name,
    origin,
    errors: definition.errors,
    headers: { accept: 'application/json', ...lowercaseKeys(definition.headers ?? {}) },
    auth,
    governor:
      options.rateBudget && options.rateLimits !== false
        ? options.rateBudget({ connector: definition.name, baseUrl: `${origin}${basePath}`, credentials, rules: definition.rateLimits, timeScale })
        : new RateGovernor(definition.rateLimits, { timeScale, disabled: options.rateLimits === false }),
    transport,
    calls,
    logger,
    redactor,
    retry: { ...defaultRetryPolicy, ...options.retry },
    timeScale,
  };

  const entityOf = (name: string): EntityDefinition => {
    const entity = definition.entities[name];
    if (!entity) throw new UsageError(definition.name, `unknown entity "${name}"`);
    return entity;
  };

  const send = async (call: Call): Promise<unknown> => {
    const response = await execute(context, call);
    const body = parseJson(response.body);
    if (body === undefined && response.body.trim() !== '') {
      throw new ProtocolError(definition.name, `HTTP ${response.status} with a body that is not JSON`, {
        method: call.method,
        path: redactor.path(call.path),
      });
    }
    return body;
  };

  async function* list(entityName: string, listOptions: ListOptions = {}): AsyncGenerator<Page> {
    const entity = entityOf(entityName);
    const endpoint = entity.list;
    if (!endpoint) throw new UsageError(definition.name, `${entityName} has no list endpoint`);
    const order = listOptions.newestFirst ? entity.newestFirst : undefined;
    const params: Record<string, string | number | boolean | undefined> = { ...endpoint.params, ...order, ...listOptions.params };
    if (endpoint.path.includes('{')) {
      throw new UsageError(definition.name, `${entityName} is listed under a parent: use children()`);
    }
    if (listOptions.since !== undefined) {
      const sinceMs = listOptions.since instanceof Date ? listOptions.since.getTime() : Date.parse(listOptions.since);
      if (Number.isNaN(sinceMs)) throw new UsageError(definition.name, `cursor "${String(listOptions.since)}" is not a date`);
      const since = cursorParams(entity, params, sinceMs, clock());
      if (!since) throw new UsageError(definition.name, `${entityName} has no cursor for incremental reads`);
      Object.assign(params, since);
    }
    yield* walkPages(
      {
        connector: definition.name,
        paging: endpoint.paging ?? definition.paging,
        path: basePath + endpoint.path,
        params,
        pageSize: listOptions.pageSize,
        origin,
      },
      (path) => send({ method: endpoint.method, template: endpoint.path, path }),
    );
  }

  const collect = async (pages: AsyncIterable<Page>): Promise<ApiRecord[]> => {
    const all: ApiRecord[] = [];
    for await (const page of pages) all.push(...page.items);
    return all;
  };

  const asRecord = (body: unknown, what: string, call: { method: HttpMethod; path: string }): ApiRecord => {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new ProtocolError(definition.name, `${what} did not answer with an object`, {
        method: call.method,
        path: redactor.path(call.path),
      });
    }
    return body as ApiRecord;
  };

  const write = async (
    endpoint: { method: HttpMethod; path: string },
    values: Readonly<Record<string, string | number>>,
    payload: unknown,
  ): Promise<ApiRecord | undefined> => {
    const path = basePath + fillPath(endpoint.path, values);
    // Serialised once: these exact bytes are signed and sent, and a retry resends the same bytes.
    const body = JSON.stringify(payload);
    const result = await send({ method: endpoint.method, template: endpoint.path, path, body });
    return result === undefined ? undefined : asRecord(result, `${endpoint.method} ${endpoint.path}`, { ...endpoint, path });
  };

  return {
    definition,
    list,
    listAll: (entity, listOptions) => collect(list(entity, listOptions)),
    async get(entityName, id) {
      const endpoint = entityOf(entityName).get;
      if (!endpoint) throw new UsageError(definition.name, `${entityName} has no get endpoint`);
      const path = basePath + fillPath(endpoint.path, { id });
      return asRecord(await send({ method: endpoint.method, template: endpoint.path, path }), `${entityName} ${id}`, {
        method: endpoint.method,
        path,
      });
    },
    async children(entityName, parentId, childName) {
      const child = entityOf(entityName).children?.[childName];
      if (!child) throw new UsageError(definition.name, `${entityName} has no child collection "${childName}"`);
      return collect(
        walkPages(
          {
            connector: definition.name,
            paging: definition.paging,
            path: basePath + fillPath(child.path, { parentId, id: parentId }),
            params: {},
            pageSize: undefined,
            origin,
          },
          (path) => send({ method: 'GET', template: child.path, path }),
        ),
      );
    },
    async create(entityName, payload) {
      const endpoint = entityOf(entityName).create;
      if (!endpoint) throw new UsageError(definition.name, `${entityName} cannot be created`);
      return write(endpoint, {}, payload);
    },
    async update(entityName, id, payload) {
      const endpoint = entityOf(entityName).update;
      if (!endpoint) throw new UsageError(definition.name, `${entityName} cannot be updated`);
      return write(endpoint, { id }, payload);
    },
    async search(entityName, field, value) {
      const entity = entityOf(entityName);
      const search = entity.search;
      if (!search) throw new UsageError(definition.name, `${entityName} cannot be searched`);
      if (!searchableBy(entity, field)) throw new UsageError(definition.name, `${entityName} cannot be searched by ${field}`);
      if (search.style === 'odata') {
        const fieldSchema = entity.schemas.read.properties?.[field];
        return collect(list(entityName, { params: { [search.param]: odataEquals(field, value, fieldSchema) } }));
      }
      return collect(list(entityName, { params: { [search.fields[field]!]: value } }));
    },
    listSince: (entity, cursor, listOptions = {}) => list(entity, { ...listOptions, since: cursor }),
    calls: () => calls.snapshot().filter((entry) => entry.connector === definition.name),
    close: () => transport.close(),
  };
}

function lowercaseKeys(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}
