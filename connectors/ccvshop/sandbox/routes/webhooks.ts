import { emptyResponse, jsonResponse } from '../../../sandbox/http-types.js';
import type { Router } from '../../../sandbox/router.js';
import type { SandboxRecord } from '../../../sandbox/store.js';
import type { CcvContext } from '../context.js';
import { CcvErrors } from '../errors.js';
import { pagedCollection } from '../paging.js';
import { render } from '../render.js';
import { CCV_ID_BASE } from '../ids.js';
import { ccvNow } from '../seed.js';

/** `/webhooks`: registering them. Calling them is `webhook-delivery.ts`, fed by `events.ts`. */
export function webhookRoutes(router: Router, ctx: CcvContext, prefix: string): void {
  router.add('GET', `${prefix}/webhooks`, (request) =>
    pagedCollection(request, ctx.store.list('webhooks'), (webhook) => render.webhook(ctx.base(request), webhook)),
  );

  router.add('POST', `${prefix}/webhooks`, (request) => {
    const result = ctx.readBody(request, 'webhooks', 'create');
    if (result.error) return result.error;
    const webhook: SandboxRecord = {
      id: ctx.nextId('webhooks', CCV_ID_BASE.webhooks),
      createdate: ccvNow(ctx.services.clock.now()),
      event: result.body.event,
      address: result.body.address,
      key: ctx.random.hex(32),
      is_active: result.body.is_active ?? true,
    };
    ctx.store.put('webhooks', webhook, { created: true });
    return jsonResponse(201, render.webhook(ctx.base(request), webhook));
  });

  router.add('GET', `${prefix}/webhooks/{id}`, (request, { id }) => {
    const webhook = ctx.store.get('webhooks', id ?? '');
    return webhook ? jsonResponse(200, render.webhook(ctx.base(request), webhook)) : CcvErrors.notFound('webhooks', id ?? '');
  });

  router.add('PATCH', `${prefix}/webhooks/{id}`, (request, { id }) => {
    const webhook = ctx.store.get('webhooks', id ?? '');
    if (!webhook) return CcvErrors.notFound('webhooks', id ?? '');
    const result = ctx.readBody(request, 'webhooks', 'update');
    if (result.error) return result.error;
    const { address, is_active } = result.body;
    ctx.store.put('webhooks', { ...webhook, ...(address !== undefined ? { address } : {}), ...(is_active !== undefined ? { is_active } : {}) });
    return emptyResponse(204);
  });

  router.add('DELETE', `${prefix}/webhooks/{id}`, (_request, { id }) =>
    ctx.store.delete('webhooks', id ?? '') ? emptyResponse(204) : CcvErrors.notFound('webhooks', id ?? ''),
  );
}
