import { jsonResponse } from '../../../sandbox/http-types.js';
import type { Router } from '../../../sandbox/router.js';
import type { CcvContext } from '../context.js';
import { CcvErrors } from '../errors.js';
import { pagedCollection, unpagedCollection } from '../paging.js';
import { render, renderRecord } from '../render.js';
import { recordRoute } from './children.js';

/**
 * The shop's reference resources (§4): `GET /paymethods` (unpaged) and `/paymethods/{id}`, `GET /packages`,
 * `GET /users` (`approval_status` filter), `GET /webshops` and `GET /webshops/{id}/settings`, whose
 * `order_status[]` names the order statuses; and each of their records on its own (`/packages/{id}`).
 */
export function shopRoutes(router: Router, ctx: CcvContext, prefix: string): void {
  router.add('GET', `${prefix}/paymethods`, (request) =>
    unpagedCollection(request, ctx.store.list('paymethods'), (method) => render.paymethod(ctx.base(request), method)),
  );

  for (const entity of ['paymethods', 'packages', 'users', 'webshops']) recordRoute(router, ctx, prefix, entity);

  router.add('GET', `${prefix}/packages`, (request) =>
    pagedCollection(request, ctx.store.list('packages'), (record) => renderRecord('packages', ctx.base(request), record)),
  );

  router.add('GET', `${prefix}/users`, (request) => {
    const approval = request.query.get('approval_status');
    if (approval !== null && approval !== 'pending' && approval !== 'accepted') {
      return CcvErrors.badRequest(`Parameter approval_status must be pending or accepted, got '${approval}'`);
    }
    const users = ctx.store.list('users').filter((user) => approval === null || user.approval_status === approval);
    return pagedCollection(request, users, (user) => renderRecord('users', ctx.base(request), user));
  });

  router.add('GET', `${prefix}/webshops`, (request) =>
    pagedCollection(request, ctx.store.list('webshops'), (webshop) => render.webshop(ctx.base(request), webshop)),
  );

  router.add('GET', `${prefix}/webshops/{id}/settings`, (request, { id = '' }) => {
    const webshop = ctx.store.get('webshops', id);
    return webshop ? jsonResponse(200, render.settings(ctx.base(request), webshop)) : CcvErrors.notFound('webshops', id);
  });
}
