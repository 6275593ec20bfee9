import type { SandboxApp } from '../../sandbox/app.js';
import type { SandboxRequest, SandboxResponse } from '../../sandbox/http-types.js';
import { Router } from '../../sandbox/router.js';
import { createServices, type SandboxServices, type SandboxSetup } from '../../sandbox/services.js';
import { RecordStore, type EntityRecords } from '../../sandbox/store.js';
import { mergeRecords } from '../../sandbox/data-file.js';
import { SeededRandom } from '../../sandbox/rng.js';
import { eaccounting } from '../definition.js';
import { API_PREFIX, EaContext, eaIdField } from './context.js';
import { articleLabels, articles } from './entities/articles.js';
import { customers } from './entities/customers.js';
import { customerInvoiceDrafts, customerInvoices, orders, quotes } from './entities/documents.js';
import { referenceResources } from './entities/reference.js';
import { DEFAULT_COMPANY_SETTINGS, type EaCompanySettings } from './entities/vat.js';
import { IdentityServer, type OAuthClient } from './identity.js';
import { registerResource } from './routes.js';
import { eaccountingSeed } from './seed.js';

/** §3: 600 requests per minute per client and endpoint [H]. */
export const EA_LIMIT_PER_MINUTE = 600;

export interface EaSandboxOptions extends SandboxSetup {
  readonly client: OAuthClient;
  readonly rotateRefreshTokens?: boolean;
  readonly accessTokenSeconds?: number;
  /** Company settings that change how documents are priced; the default is "prices incl. VAT for private persons". */
  readonly companySettings?: Partial<EaCompanySettings>;
}

export interface EaSandbox {
  readonly app: SandboxApp;
  readonly services: SandboxServices;
  readonly identity: IdentityServer;
}

export function createEaccountingSandbox(options: EaSandboxOptions): EaSandbox {
  const seeded = options.dataOnly ? emptyEaccounting() : eaccountingSeed(options.plan);
  const dataIds = SeededRandom.derive(options.plan.seed, 'eaccounting-data-ids');
  const store = new RecordStore(mergeRecords(seeded, options.data ?? {}, eaIdField, () => dataIds.uuid()), eaIdField);
  const services = createServices(options, store);
  const ctx = new EaContext(services, { ...DEFAULT_COMPANY_SETTINGS, ...options.companySettings });
  const identity = new IdentityServer(
    { client: options.client, ...(options.rotateRefreshTokens !== undefined ? { rotateRefreshTokens: options.rotateRefreshTokens } : {}), ...(options.accessTokenSeconds ? { accessTokenSeconds: options.accessTokenSeconds } : {}) },
    services.clock,
  );

  const identityRoutes = new Router()
    .add('GET', '/connect/authorize', (request) => identity.authorize(request))
    .add('POST', '/connect/token', (request) => identity.token(request))
    .add('POST', '/connect/revocation', (request) => identity.revoke(request));
  const api = new Router();
  for (const resource of [customers, articles, articleLabels, orders, quotes, customerInvoiceDrafts, customerInvoices, ...referenceResources]) {
    registerResource(api, ctx, API_PREFIX, resource);
  }

  const app: SandboxApp = {
    name: 'eaccounting',
    routeOf(method, path) {
      for (const router of [identityRoutes, api]) {
        const match = router.match(method, path);
        if (match.kind !== 'not-found') return match.pattern;
      }
      return null;
    },
    async handle(request) {
      const identityMatch = identityRoutes.match(request.method, request.path);
      if (identityMatch.kind === 'found') return identityMatch.handler(request, identityMatch.params);
      if (identityMatch.kind === 'method-not-allowed') return ctx.errors.methodNotAllowed(request.method);
      const clientId = identity.authenticate(request);
      if (!clientId) return ctx.errors.notAuthorized();
      const match = api.match(request.method, request.path);
      if (match.kind === 'not-found') return ctx.errors.unknownPath(request.path);
      if (match.kind === 'method-not-allowed') return ctx.errors.methodNotAllowed(request.method);
      const limited = rateLimit(ctx, clientId, match.pattern);
      if (limited) return limited;
      return match.handler(request, match.params);
    },
    faultResponse: (_request: SandboxRequest, status: number) => ctx.errors.internal(status),
    reset: () => identity.reset(),
  };
  return { app, services, identity };
}

/** Counted per client and endpoint (the route, all methods together) [H: "per client and endpoint/URL"]. */
function rateLimit(ctx: EaContext, clientId: string, pattern: string): SandboxResponse | undefined {
  const decision = ctx.services.limiter.consume(`ea ${clientId} ${pattern}`, EA_LIMIT_PER_MINUTE);
  return decision.allowed ? undefined : ctx.errors.tooManyRequests(decision.retryAfterMs, EA_LIMIT_PER_MINUTE);
}

function emptyEaccounting(): EntityRecords {
  return Object.fromEntries(Object.keys(eaccounting.entities).map((name) => [name, []]));
}
