import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getEntity } from '../../../connectors/registry.js';
import { startSandboxes, type RunningSandboxes } from '../../../connectors/sandbox/index.js';
import { BodyValidator } from '../../../connectors/sandbox/validation.js';
import { ccv, ea, eaToken } from './helpers.js';

/** What the sandboxes answer must fit the connectors' read schemas, or mappings checked against them lie. */
let s: RunningSandboxes;
const validator = new BodyValidator();

beforeAll(async () => {
  s = await startSandboxes({ seed: 'schemas', sizes: { products: 25, customers: 20, orders: 40 } });
});
afterAll(() => s.close());

function problems(connector: string, entity: string, items: unknown[]): string[] {
  const schema = getEntity(connector, entity)?.schemas.read;
  expect(schema, `${connector}.${entity} has a read schema`).toBeDefined();
  return items.flatMap((item, index) => validator.validate(schema!, structuredClone(item)).map((e) => `${entity}[${index}].${e.field}: ${e.message}`));
}

describe('sandbox answers fit the read schemas', () => {
  it.each([
    ['orders', '/api/rest/v1/orders?size=250&is_completed=false'],
    ['orders', '/api/rest/v1/orders?size=250'],
    ['orderrows', '/api/rest/v1/orders/781001/orderrows'],
    ['products', '/api/rest/v1/products?size=250'],
    ['categories', '/api/rest/v1/categories'],
    ['producttocategories', '/api/rest/v1/producttocategories?size=250'],
    ['paymethods', '/api/rest/v1/paymethods'],
  ])('CCV %s (%s)', async (entity, uri) => {
    const answer = await ccv(s, { uri });
    expect(answer.status).toBe(200);
    expect(problems('ccvshop', entity, answer.json.items)).toEqual([]);
  });

  it.each(['customers', 'articles', 'articlelabels', 'articleaccountcodings', 'units', 'termsofpayments', 'vatcodes', 'deliverymethods', 'countries'])(
    'eAccounting %s',
    async (entity) => {
      const access = await eaToken(s);
      const answer = await ea(s, access, 'GET', `/v2/${entity}?$pagesize=1000`);
      expect(answer.status).toBe(200);
      expect(problems('eaccounting', entity, answer.json.Data)).toEqual([]);
    },
  );
});

describe('created records fit the read schemas', () => {
  it('eAccounting orders, invoices and articles created through the API', async () => {
    const access = await eaToken(s);
    const customer = s.eaccounting.control.records('customers')[0] as { Id: string };
    const article = s.eaccounting.control.records('articles')[0] as { Id: string };
    const row = { LineNumber: 1, IsTextRow: false, IsWorkCost: false, EligibleForReverseChargeOnVat: false, ArticleId: article.Id, Quantity: 2 };
    const order = await ea(s, access, 'POST', '/v2/orders', { CustomerId: customer.Id, CurrencyCode: 'EUR', OrderDate: '2026-05-14', Status: 2, EuThirdParty: false, ReverseChargeOnConstructionServices: false, RotReducedInvoicingType: 0, Rows: [row] });
    expect(order.status).toBe(201);
    expect(problems('eaccounting', 'orders', [order.json])).toEqual([]);
    const invoice = await ea(s, access, 'POST', '/v2/customerinvoices', { CustomerId: customer.Id, EuThirdParty: false, RotReducedInvoicingType: 0, Rows: [{ ArticleId: article.Id, Quantity: 1, IsTextRow: false }] });
    expect(invoice.status).toBe(201);
    expect(problems('eaccounting', 'customerinvoices', [invoice.json])).toEqual([]);
    const { Id: _id, ...copy } = s.eaccounting.control.records('articles')[1] as Record<string, unknown>;
    const created = await ea(s, access, 'POST', '/v2/articles', { ...copy, Number: 'NEW-ART-1' });
    expect(created.status).toBe(201);
    expect(problems('eaccounting', 'articles', [created.json])).toEqual([]);
  });

  it('CCV webhooks and products created through the API', async () => {
    const hook = await ccv(s, { method: 'POST', uri: '/api/rest/v1/webhooks', body: '{"event":"orders.created","address":"https://x.example/hook"}' });
    expect(problems('ccvshop', 'webhooks', [hook.json])).toEqual([]);
    const product = await ccv(s, { method: 'POST', uri: '/api/rest/v1/products', body: '{"name":"Nieuw","price":5,"discount":0,"package_id":80831,"taxtariff":"normal"}' });
    expect(problems('ccvshop', 'products', [product.json])).toEqual([]);
  });
});
