import { jsonResponse } from '../../../sandbox/http-types.js';
import type { Router } from '../../../sandbox/router.js';
import { API_PREFIX, type CcvContext } from '../context.js';

/** The top-level collections the sandbox serves (rows, notes and photos are listed under their parent). */
const RESOURCES: readonly [string, string][] = [
  ['orders', 'Orders'],
  ['invoices', 'Invoices'],
  ['products', 'Products'],
  ['categories', 'Categories'],
  ['categorytree', 'Category tree'],
  ['producttocategories', 'Product to categories'],
  ['packages', 'Packages'],
  ['paymethods', 'Payment methods'],
  ['users', 'Users'],
  ['webhooks', 'Webhooks'],
  ['webshops', 'Webshops'],
];

/** `GET /api/rest/v1/`: the resources this key may use, `{items:[{href,title,description,uri}]}` (§1, [M]). */
export function rootRoute(router: Router, ctx: CcvContext): void {
  router.add('GET', API_PREFIX, (request) =>
    jsonResponse(200, {
      items: RESOURCES.map(([name, title]) => ({
        href: `${ctx.base(request)}/${name}/`,
        title,
        description: `${title} of the sandbox shop`,
        uri: `${API_PREFIX}/${name}/`,
      })),
    }),
  );
}
