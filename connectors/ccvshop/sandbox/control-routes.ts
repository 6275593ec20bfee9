import { CONTROL_PREFIX, controlBody } from '../../sandbox/control.js';
import { jsonResponse } from '../../sandbox/http-types.js';
import type { Router } from '../../sandbox/router.js';
import type { CcvMerchant, PlaceOrderInput } from './merchant.js';
import type { WebhookDeliveries } from './webhook-delivery.js';

/**
 * The CCV server's own control routes, next to the shared ones under `/__sandbox`:
 * - `GET /__sandbox/webhook-deliveries`: every delivery since the last reset, with its attempts;
 * - `POST /__sandbox/webhook-deliveries/settle`: sends what is pending, retries without their waits, and answers
 *   when each delivery is delivered or failed; `.../run-due` sends only what is due on the sandbox clock;
 * - `POST /__sandbox/merchant/orders`: the merchant (a customer) places an order;
 * - `PATCH /__sandbox/merchant/orders/{id}`: the merchant changes an order (`paid`, `status`, ...).
 */
export function ccvControlRoutes(router: Router, deliveries: WebhookDeliveries, merchant: CcvMerchant): void {
  router
    .add('GET', `${CONTROL_PREFIX}/webhook-deliveries`, () => jsonResponse(200, deliveries.list()))
    .add('POST', `${CONTROL_PREFIX}/webhook-deliveries/settle`, async () => jsonResponse(200, await deliveries.settle()))
    .add('POST', `${CONTROL_PREFIX}/webhook-deliveries/run-due`, async () => jsonResponse(200, await deliveries.runDue()))
    .add('POST', `${CONTROL_PREFIX}/merchant/orders`, (request) => jsonResponse(200, merchant.placeOrder(controlBody(request) as unknown as PlaceOrderInput)))
    .add('PATCH', `${CONTROL_PREFIX}/merchant/orders/{id}`, (request, { id = '' }) => jsonResponse(200, merchant.changeOrder(id, controlBody(request))));
}
