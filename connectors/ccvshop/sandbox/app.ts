import type { SandboxApp } from '../../sandbox/app.js';
import type { SandboxRequest, SandboxResponse } from '../../sandbox/http-types.js';
import { Router } from '../../sandbox/router.js';
import { createServices, type SandboxServices, type SandboxSetup } from '../../sandbox/services.js';
import { RecordStore, type EntityRecords } from '../../sandbox/store.js';
import { mergeRecords } from '../../sandbox/data-file.js';
import { signResponse, verifyRequest, type CcvCredentials } from './auth.js';
import { API_PREFIX, CcvContext } from './context.js';
import { ccvControlRoutes } from './control-routes.js';
import { CcvErrors } from './errors.js';
import { eventsOf } from './events.js';
import { CcvMerchant } from './merchant.js';
import { categoryRoutes } from './routes/categories.js';
import { childRoutes } from './routes/children.js';
import { orderRecordRoutes } from './routes/order-records.js';
import { orderRoutes } from './routes/orders.js';
import { productRoutes } from './routes/products.js';
import { rootRoute } from './routes/root.js';
import { shopRoutes } from './routes/shop.js';
import { webhookRoutes } from './routes/webhooks.js';
import { ccvSeed } from './seed.js';
import { applyShopRules } from './shop-rules.js';
import { WebhookDeliveries } from './webhook-delivery.js';

/** §3 rate limits [M]: per resource and method per minute; the total limit's number is unknown [G: 600]. */
export const CCV_LIMITS = { get: 150, write: 100, total: 600 } as const;

export interface CcvSandboxOptions extends SandboxSetup {
  readonly credentials: CcvCredentials;
}

export interface CcvSandbox {
  readonly app: SandboxApp;
  readonly services: SandboxServices;
  /** The shop's calls to its webhooks: list them, settle them (tests), run what is due. */
  readonly webhooks: WebhookDeliveries;
  /** The merchant's own changes (pay an order, set its status, place one), raising webhooks like the API's. */
  readonly merchant: CcvMerchant;
}

export function createCcvShopSandbox(options: CcvSandboxOptions): CcvSandbox {
  const seeded = options.dataOnly ? emptyCcv() : ccvSeed(options.plan);
  const store = new RecordStore(mergeRecords(seeded, options.data ?? {}, () => 'id', nextIntegerId), () => 'id');
  const services = createServices(options, store);
  const ctx = new CcvContext(services);
  const webhooks = new WebhookDeliveries(services.clock);
  const merchant = new CcvMerchant(ctx, options.plan);
  // Every change, through any door, raises its webhook events and lets the shop do what it does by itself.
  store.onChange((change) => {
    for (const { event, payload } of eventsOf(change)) {
      const hooks = store.list('webhooks').filter((hook) => hook.event === event && hook.is_active !== false);
      if (hooks.length > 0) webhooks.enqueue(event, payload, hooks);
    }
    applyShopRules(ctx, change);
  });
  const router = new Router();
  orderRoutes(router, ctx, API_PREFIX);
  orderRecordRoutes(router, ctx, API_PREFIX);
  productRoutes(router, ctx, API_PREFIX);
  categoryRoutes(router, ctx, API_PREFIX);
  webhookRoutes(router, ctx, API_PREFIX);
  shopRoutes(router, ctx, API_PREFIX);
  // After the resources' own routes: it serves whatever child collection and record they leave out.
  childRoutes(router, ctx, API_PREFIX);
  rootRoute(router, ctx);
  const { credentials } = options;

  const app: SandboxApp = {
    name: 'ccvshop',
    routeOf(method, path) {
      const match = router.match(method, path);
      return match.kind === 'not-found' ? null : match.pattern;
    },
    async handle(request) {
      const denied = verifyRequest(request, credentials, services.clock);
      if (denied) return denied;
      const match = router.match(request.method, request.path);
      if (match.kind === 'not-found') return CcvErrors.invalidResourceName(request.path);
      if (match.kind === 'method-not-allowed') return CcvErrors.methodNotAllowed(request.method, resourceName(match.pattern));
      const limited = checkRateLimit(services, request, match.pattern);
      if (limited) return limited;
      return match.handler(request, match.params);
    },
    faultResponse: (_request, status) => CcvErrors.internal(status),
    finalize: (request: SandboxRequest, response: SandboxResponse) => signResponse(request, response, credentials, services.clock),
    reset: () => webhooks.reset(),
    controlRoutes: (control) => ccvControlRoutes(control, webhooks, merchant),
    close: () => webhooks.close(),
  };
  return { app, services, webhooks, merchant };
}

function checkRateLimit(services: SandboxServices, request: SandboxRequest, pattern: string): SandboxResponse | undefined {
  const isGet = request.method === 'GET';
  const limit = isGet ? CCV_LIMITS.get : CCV_LIMITS.write;
  const perResource = services.limiter.consume(`ccv ${request.method} ${pattern}`, limit);
  if (!perResource.allowed) return CcvErrors.methodRateLimit(request.method, resourceName(pattern), limit);
  const total = services.limiter.consume('ccv total', CCV_LIMITS.total);
  if (!total.allowed) return CcvErrors.totalRateLimit(CCV_LIMITS.total);
  return undefined;
}

/** `/api/rest/v1/orders/{id}/orderrows` -> `orders/{id}/orderrows`. */
function resourceName(pattern: string): string {
  return pattern.slice(API_PREFIX.length + 1);
}

function emptyCcv(): EntityRecords {
  return { orders: [], orderrows: [], products: [], categories: [], producttocategories: [], paymethods: [], webhooks: [], packages: [], webshops: [] };
}

/** One past the highest integer id among the records (CCV ids are integers). */
function nextIntegerId(_entity: string, records: readonly { id?: unknown }[]): number {
  return records.reduce((max, record) => Math.max(max, Number(record.id) || 0), 0) + 1;
}
