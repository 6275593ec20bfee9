import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ccvSignature } from '../../../connectors/ccvshop/hmac.js';
import { startSandboxes, type RunningSandboxes } from '../../../connectors/sandbox/index.js';
import { ccv, type CcvAnswer } from './helpers.js';

/**
 * Every link the CCV sandbox hands out must lead somewhere: the test starts at the API root (and at the answers
 * of the writes that create each kind of record), follows every absolute URL under the API base it finds in any
 * answer (`href`s, child links, `product_href`, paging links, an invoice's `order`...), and asks each one. A link
 * a renderer adds without a route behind it fails here, whatever resource it is on.
 */
const V1 = '/api/rest/v1';
let s: RunningSandboxes;

beforeAll(async () => {
  s = await startSandboxes({ seed: 'links', anchor: '2026-06-01T00:00:00Z', sizes: { orders: 24, products: 12, customers: 10 }, rateLimits: { enabled: false } });
});
afterAll(() => s.close());

/** Every string in a JSON value that is an absolute URL under the API base. */
function apiLinks(value: unknown, base: string, out: string[] = []): string[] {
  if (typeof value === 'string') {
    if (value === base || value.startsWith(`${base}/`)) out.push(value);
  } else if (Array.isArray(value)) {
    for (const item of value) apiLinks(item, base, out);
  } else if (value && typeof value === 'object') {
    for (const item of Object.values(value)) apiLinks(item, base, out);
  }
  return out;
}

/**
 * Objects with an integer `id` are resources and must carry their own `href` (a guest order's `user` has
 * `id: null`). The settings' `order_status[]` entries are not: their `id` is the status number.
 */
function resourcesWithoutHref(value: unknown, path = '$', out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((item, i) => resourcesWithoutHref(item, `${path}[${i}]`, out));
  else if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (Number.isInteger(record.id) && typeof record.href !== 'string') out.push(path);
    for (const [key, item] of Object.entries(record)) if (key !== 'order_status') resourcesWithoutHref(item, `${path}.${key}`, out);
  }
  return out;
}

function signedCorrectly(answer: CcvAnswer, method: string, uri: string): boolean {
  const date = answer.headers.get('x-date') ?? '';
  return answer.headers.get('x-hash') === ccvSignature(s.ccvshop.secret, { publicKey: s.ccvshop.publicKey, method, uri, body: answer.text, date });
}

describe('CCV Shop sandbox: every link resolves', () => {
  it('walks every API link in every answer, and each one answers 200, signed', async () => {
    const base = s.ccvshop.baseUrl;
    const problems: string[] = [];
    const queue: string[] = [];
    const seen = new Set<string>();
    const follow = (answer: CcvAnswer, where: string) => {
      for (const missing of resourcesWithoutHref(answer.json)) problems.push(`${where}: ${missing} has an id but no href`);
      for (const link of apiLinks(answer.json, base)) {
        if (!seen.has(link)) {
          seen.add(link);
          queue.push(link);
        }
      }
    };

    // Records of every kind made through the API: their answers are walked too.
    const order = s.ccvshop.control.records('orders').find((o) => o.is_completed && !o.paid)!;
    const writes: [string, string, unknown][] = [
      ['POST', `${V1}/products`, { name: 'Proefpakket', price: 12.5, discount: 0, package_id: 80832, taxtariff: 'reduced' }],
      ['POST', `${V1}/categories`, { name: 'Seizoen', parentcategory_id: 5001 }],
      ['POST', `${V1}/producttocategories`, { product_id: 320001, category_id: 5002 }],
      ['POST', `${V1}/webhooks`, { event: 'orders.created', address: 'http://127.0.0.1:9/hook', is_active: false }],
      ['POST', `${V1}/orders/${String(order.id)}/ordernotes`, { note: 'Gebeld over de levering' }],
      ['POST', `${V1}/orders/${String(order.id)}/ordernotifications`, { type: 'customer_orderconfirmation' }],
      ['POST', `${V1}/orders/${String(order.id)}/invoices`, {}],
    ];
    for (const [method, uri, body] of writes) {
      const answer = await ccv(s, { method, uri, body: JSON.stringify(body) });
      expect(answer.status, `${method} ${uri}: ${answer.text}`).toBe(201);
      expect(signedCorrectly(answer, method, uri), `${method} ${uri} signed`).toBe(true);
      follow(answer, `${method} ${uri}`);
    }

    // The root lists the collections; baskets, expanded products and the settings are not linked from it.
    for (const uri of [`${V1}/`, `${V1}/orders?is_completed=false`, `${V1}/products?expand=productphotos,producttocategories,attributecombinations`, `${V1}/webshops/1/settings`]) {
      seen.add(`${s.ccvshop.origin}${uri}`);
      queue.push(`${s.ccvshop.origin}${uri}`);
    }

    while (queue.length > 0) {
      expect(seen.size, 'the walk ends').toBeLessThan(4000);
      const link = queue.shift()!;
      const uri = link.slice(s.ccvshop.origin.length);
      const answer = await ccv(s, { uri });
      if (answer.status !== 200) {
        problems.push(`GET ${uri} answered ${answer.status}: ${answer.text.slice(0, 120)}`);
        continue;
      }
      if (!signedCorrectly(answer, 'GET', uri)) problems.push(`GET ${uri} is not signed correctly`);
      follow(answer, `GET ${uri}`);
    }
    expect(problems).toEqual([]);

    // The walk reached every kind of resource the links lead to (a link that is not rendered is not walked).
    const routes = Object.keys(s.ccvshop.control.state().requests.byRoute);
    for (const route of [
      'orders/{id}', 'orders/{id}/orderrows', 'orderrows/{id}', 'orders/{id}/ordernotes', 'ordernotes/{id}', 'orders/{id}/ordermessages',
      'ordermessages/{id}', 'orders/{id}/ordernotifications', 'ordernotifications/{id}', 'orders/{id}/orderlabels', 'orders/{id}/orderaffiliatenetworks',
      'orders/{id}/invoices', 'invoices', 'invoices/{id}', 'products/{id}', 'products/{id}/productphotos', 'productphotos/{id}',
      'products/{id}/producttocategories', 'products/{id}/attributecombinations', 'packages', 'packages/{id}', 'categories/{id}',
      'categories/{id}/categories', 'categories/{id}/producttocategories', 'categorytree', 'producttocategories/{id}', 'paymethods',
      'paymethods/{id}', 'webhooks/{id}', 'users', 'webshops', 'webshops/{id}', 'webshops/{id}/settings',
    ]) {
      expect(routes, route).toContain(`GET ${V1}/${route}`);
    }
  });
});
