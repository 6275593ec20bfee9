import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandboxes, type RunningSandboxes } from '../../../connectors/sandbox/index.js';
import { TERMS_14_DAYS, ea, eaToken, query } from './helpers.js';

let s: RunningSandboxes;
const REDIRECT = 'http://127.0.0.1:9/callback';

beforeAll(async () => {
  s = await startSandboxes({ seed: 'ea-tests', anchor: '2026-06-01T00:00:00Z', sizes: { products: 30, customers: 24, orders: 10 } });
});
afterAll(() => s.close());
beforeEach(() => s.eaccounting.control.reset());

async function authorize(state = 'xyz'): Promise<{ code: string; location: URL }> {
  const url = `${s.eaccounting.authorizeUrl}?${query({ client_id: 'demo', redirect_uri: REDIRECT, response_type: 'code', scope: 'ea:api offline_access ea:sales', state })}`;
  const response = await fetch(url, { redirect: 'manual' });
  expect(response.status).toBe(302);
  const location = new URL(response.headers.get('location') ?? '');
  return { code: location.searchParams.get('code') ?? '', location };
}

async function token(form: Record<string, string>, auth = `Basic ${Buffer.from('demo:demo').toString('base64')}`) {
  const response = await fetch(s.eaccounting.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: auth },
    body: new URLSearchParams(form).toString(),
  });
  return { status: response.status, json: (await response.json()) as Record<string, any> };
}

describe('eAccounting sandbox: identity server', () => {
  it('redirects with a code and the state, and swaps the code once for tokens', async () => {
    const { code, location } = await authorize('state-42');
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
    expect(location.searchParams.get('state')).toBe('state-42');
    const first = await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ token_type: 'Bearer', expires_in: 3600, access_token: expect.any(String), refresh_token: expect.any(String) });
    const again = await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
    expect(again).toEqual({ status: 400, json: { error: 'invalid_grant' } });
  });

  it('rejects a code after 5 minutes, a wrong redirect_uri and wrong client credentials', async () => {
    const late = await authorize();
    s.clock.advance(5 * 60_000 + 1000);
    expect((await token({ grant_type: 'authorization_code', code: late.code, redirect_uri: REDIRECT })).json.error).toBe('invalid_grant');
    const other = await authorize();
    expect((await token({ grant_type: 'authorization_code', code: other.code, redirect_uri: 'http://elsewhere/cb' })).json.error).toBe('invalid_grant');
    const wrong = await token({ grant_type: 'authorization_code', code: other.code, redirect_uri: REDIRECT }, `Basic ${Buffer.from('demo:nope').toString('base64')}`);
    expect(wrong).toEqual({ status: 400, json: { error: 'invalid_client' } });
    expect((await token({ grant_type: 'password' })).json.error).toBe('unsupported_grant_type');
  });

  it('rotates refresh tokens: the new pair works, the used refresh token is invalid_grant', async () => {
    const { code } = await authorize();
    const first = await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
    const refreshed = await token({ grant_type: 'refresh_token', refresh_token: first.json.refresh_token });
    expect(refreshed.status).toBe(200);
    expect(refreshed.json.refresh_token).not.toBe(first.json.refresh_token);
    expect((await ea(s, refreshed.json.access_token, 'GET', '/v2/units')).status).toBe(200);
    expect(await token({ grant_type: 'refresh_token', refresh_token: first.json.refresh_token })).toEqual({ status: 400, json: { error: 'invalid_grant' } });
  });

  it('keeps refresh tokens reusable when rotation is off', async () => {
    s.eaccounting.identity.setRotation(false);
    const { code } = await authorize();
    const first = await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
    const a = await token({ grant_type: 'refresh_token', refresh_token: first.json.refresh_token });
    const b = await token({ grant_type: 'refresh_token', refresh_token: first.json.refresh_token });
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.json.refresh_token).toBe(first.json.refresh_token);
  });

  it('expires access tokens after 60 minutes on the sandbox clock with the documented 401 body', async () => {
    const access = await eaToken(s);
    s.clock.advance(59 * 60_000);
    expect((await ea(s, access, 'GET', '/v2/units')).status).toBe(200);
    s.clock.advance(60_000);
    const expired = await ea(s, access, 'GET', '/v2/units');
    expect(expired.status).toBe(401);
    expect(expired.json).toEqual({
      ErrorCode: 4005,
      DeveloperErrorMessage: 'AuthorizationException - Authorization has been denied for this request.',
      ErrorId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect((await ea(s, 'made-up', 'GET', '/v2/customers')).status).toBe(401);
  });
});

describe('eAccounting sandbox: lists', () => {
  it('pages with $page/$pagesize in the Meta/Data envelope (default 50, max 1000)', async () => {
    const access = await eaToken(s);
    const total = s.eaccounting.control.records('articles').length;
    const page2 = await ea(s, access, 'GET', `/v2/articles?${query({ $page: 2, $pagesize: 7 })}`);
    expect(page2.json.Meta).toMatchObject({ CurrentPage: 2, PageSize: 7, TotalNumberOfResults: total, TotalNumberOfPages: Math.ceil(total / 7) });
    expect(page2.json.Meta.ServerTimeUtc).toMatch(/Z$/);
    expect(page2.json.Data).toHaveLength(7);
    expect((await ea(s, access, 'GET', '/v2/countries')).json.Meta.PageSize).toBe(50);
    expect((await ea(s, access, 'GET', '/v2/articles?$pagesize=5000')).json.Meta.PageSize).toBe(1000);
    const past = await ea(s, access, 'GET', '/v2/articles?$page=99');
    expect(past.json.Data).toEqual([]);
    expect((await ea(s, access, 'GET', '/v2/articles?$page=0')).json.ErrorCode).toBe(6000);
  });

  it('filters with the OData subset: quoted strings with doubled quotes, numbers, booleans, guids, datetimes, and/or', async () => {
    const access = await eaToken(s);
    const list = async (filter: string) => {
      const answer = await ea(s, access, 'GET', `/v2/${filter.startsWith('@') ? 'articles' : 'customers'}?${query({ $filter: filter.replace(/^@/, ''), $pagesize: 1000 })}`);
      expect(answer.status, filter).toBe(200);
      return answer.json.Data as Record<string, any>[];
    };
    const obrien = await list("EmailAddress eq 'o''brien@example.ie'");
    expect(obrien.map((c) => c.EmailAddress)).toEqual(["o'brien@example.ie"]);
    const articles = s.eaccounting.control.records('articles');
    const one = articles[4] as { Id: string; Number: string };
    expect((await list(`@Id eq ${one.Id}`)).map((a) => a.Number)).toEqual([one.Number]);
    const active = await list('@IsActive eq true');
    expect(active.length).toBe(articles.filter((a) => a.IsActive === true).length);
    const changed = await list('@ChangedUtc gt 2026-05-01T00:00:00Z');
    expect(changed.every((a) => a.ChangedUtc > '2026-05-01T00:00:00Z')).toBe(true);
    expect(changed.length).toBe(articles.filter((a) => String(a.ChangedUtc) > '2026-05-01T00:00:00Z').length);
    const either = await list(`@Number eq 'VERZEND' or (Number eq '${one.Number}' and IsActive eq ${String((one as any).IsActive)})`);
    expect(either.map((a) => a.Number).sort()).toEqual([one.Number, 'VERZEND'].sort());
    const stock = await list('@StockBalance ge 50');
    expect(stock.every((a) => a.StockBalance >= 50)).toBe(true);
  });

  it('answers a bad $filter with 400 ErrorCode 6000', async () => {
    const access = await eaToken(s);
    for (const filter of ["EmailAddress eq 'o'brien@example.ie'", 'Nope eq 1', 'Name eq', "CustomerNumber eq 10001", 'ChangedUtc gt 2026-13-45T00:00:00Z']) {
      const answer = await ea(s, access, 'GET', `/v2/customers?${query({ $filter: filter })}`);
      expect(answer.status, filter).toBe(400);
      expect(answer.json.ErrorCode, filter).toBe(6000);
    }
  });

  it('sorts with $orderby', async () => {
    const access = await eaToken(s);
    const names = (await ea(s, access, 'GET', `/v2/articles?${query({ $orderby: 'Number desc', $pagesize: 1000 })}`)).json.Data.map((a: { Number: string }) => a.Number);
    expect(names).toEqual([...names].sort((a: string, b: string) => b.localeCompare(a, 'en', { sensitivity: 'base' })));
  });
});

describe('eAccounting sandbox: writes', () => {
  const customer = { Name: "Café D'Arcy", InvoiceCity: 'Lille', InvoicePostalCode: '59000', TermsOfPaymentId: TERMS_14_DAYS, IsPrivatePerson: false, IsActive: true, EmailAddress: 'contact@darcy.example.fr' };

  it('creates a customer (201) with read-only fields set and an auto CustomerNumber', async () => {
    const access = await eaToken(s);
    const created = await ea(s, access, 'POST', '/v2/customers', customer);
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ Name: "Café D'Arcy", Id: expect.stringMatching(/^[0-9a-f-]{36}$/), CustomerNumber: expect.stringMatching(/^\d+$/), ChangedUtc: expect.any(String) });
    expect(created.json.TermsOfPayment).toMatchObject({ Id: TERMS_14_DAYS, NumberOfDays: 14 });
    expect((await ea(s, access, 'GET', `/v2/customers/${created.json.Id}`)).json.Name).toBe("Café D'Arcy");
  });

  it('answers validation errors with ErrorCode 2000 and the field list', async () => {
    const access = await eaToken(s);
    const { InvoicePostalCode: _drop, ...withoutPostalCode } = customer;
    const answer = await ea(s, access, 'POST', '/v2/customers', { ...withoutPostalCode, Name: 'x'.repeat(51) });
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ ErrorCode: 2000, DeveloperErrorMessage: expect.stringContaining('DataModelValidationError'), ErrorId: expect.any(String) });
    const fields = answer.json.Errors.map((e: { Field: string }) => e.Field);
    expect(fields).toEqual(expect.arrayContaining(['InvoicePostalCode', 'Name']));
    expect(answer.json.Errors[0]).toEqual({ Field: expect.any(String), ErrorCode: expect.any(String), Message: expect.any(String), Key: null });
  });

  it('answers a duplicate CustomerNumber or article Number with 400 ErrorCode 4000', async () => {
    const access = await eaToken(s);
    const taken = s.eaccounting.control.records('customers')[0]?.CustomerNumber;
    const duplicate = await ea(s, access, 'POST', '/v2/customers', { ...customer, CustomerNumber: taken });
    expect(duplicate.status).toBe(400);
    expect(duplicate.json.ErrorCode).toBe(4000);
    expect(duplicate.json.Errors[0].Field).toBe('CustomerNumber');
    const article = s.eaccounting.control.records('articles')[0] as Record<string, unknown>;
    const copy = await ea(s, access, 'POST', '/v2/articles', { Number: article.Number, Name: 'Copy', CodingId: article.CodingId, UnitId: article.UnitId, IsActive: true });
    expect(copy.json.ErrorCode).toBe(4000);
  });

  it('answers a malformed VatNumber with 400 ErrorCode 4025', async () => {
    const access = await eaToken(s);
    const spaced = await ea(s, access, 'POST', '/v2/customers', { ...customer, VatNumber: 'NL 1234 5678 B01' });
    expect(spaced.status).toBe(400);
    expect(spaced.json).toMatchObject({ ErrorCode: 4025, Errors: [{ Field: 'VatNumber' }] });
    expect((await ea(s, access, 'POST', '/v2/customers', { ...customer, VatNumber: 'FR12345678901' })).status).toBe(201);
  });

  it('answers a missing reference with 400 ErrorCode 3000 naming the field, and a missing id in the path with 404', async () => {
    const access = await eaToken(s);
    const badTerms = await ea(s, access, 'POST', '/v2/customers', { ...customer, TermsOfPaymentId: '00000000-0000-4000-8000-000000000000' });
    expect(badTerms.status).toBe(400);
    expect(badTerms.json.ErrorCode).toBe(3000);
    expect(badTerms.json.Errors[0].Field).toBe('TermsOfPaymentId');
    const someone = s.eaccounting.control.records('customers')[0] as { Id: string };
    const order = {
      CustomerId: someone.Id, CurrencyCode: 'EUR', OrderDate: '2026-05-14', Status: 2, EuThirdParty: false, ReverseChargeOnConstructionServices: false, RotReducedInvoicingType: 0,
      Rows: [{ LineNumber: 1, IsTextRow: false, IsWorkCost: false, EligibleForReverseChargeOnVat: false, ArticleId: '00000000-0000-4000-8000-000000000001', Quantity: 1 }],
    };
    const badArticle = await ea(s, access, 'POST', '/v2/orders', order);
    expect(badArticle.json).toMatchObject({ ErrorCode: 3000, Errors: [{ Field: 'Rows[0].ArticleId' }] });
    expect((await ea(s, access, 'GET', '/v2/customers/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('creates an order with computed totals, number and customer fields', async () => {
    const access = await eaToken(s);
    const someone = s.eaccounting.control.records('customers')[1] as Record<string, any>;
    const shipping = s.eaccounting.control.records('articles').find((a) => a.Number === 'VERZEND') as Record<string, any>;
    const goods = s.eaccounting.control.records('articles').find((a) => a.Number !== 'VERZEND' && a.IsActive) as Record<string, any>;
    const row = (n: number, article: Record<string, any>, quantity: number) => ({ LineNumber: n, IsTextRow: false, IsWorkCost: false, EligibleForReverseChargeOnVat: false, ArticleId: article.Id, Quantity: quantity });
    const created = await ea(s, access, 'POST', '/v2/orders', {
      CustomerId: someone.Id, CurrencyCode: 'EUR', OrderDate: '2026-05-14', Status: 2, EuThirdParty: false, ReverseChargeOnConstructionServices: false, RotReducedInvoicingType: 0,
      YourReference: 'CCV #1001',
      Rows: [row(1, goods, 2), row(2, shipping, 1), { LineNumber: 3, IsTextRow: true, IsWorkCost: false, EligibleForReverseChargeOnVat: false, Text: 'Bedankt!' }],
    });
    expect(created.status).toBe(201);
    // Numbers continue after the seeded orders.
    const highest = Math.max(...s.eaccounting.control.records('orders').filter((o) => o.Id !== created.json.Id).map((o) => Number(o.Number)));
    expect(created.json).toMatchObject({ Number: highest + 1, CustomerIsPrivatePerson: someone.IsPrivatePerson, InvoiceCity: someone.InvoiceCity, InvoiceCustomerName: someone.Name });
    const expected = Math.round((goods.NetPrice * 2 + shipping.NetPrice) * 100) / 100;
    expect(created.json.Amount).toBeCloseTo(expected, 2);
    expect(created.json.Rows[0]).toMatchObject({ ArticleNumber: goods.Number, Text: goods.Name, UnitPrice: goods.NetPrice });
    const second = await ea(s, access, 'POST', '/v2/orders', { ...created.json, Id: undefined });
    expect(second.json.Number).toBe(highest + 2);
  });

  it('PUT replaces the whole record: omitted writable fields are reset', async () => {
    const access = await eaToken(s);
    const created = await ea(s, access, 'POST', '/v2/customers', { ...customer, Telephone: '+33 3 20000000', Note: 'VIP' });
    const { Note: _note, ...withoutNote } = created.json;
    const replaced = await ea(s, access, 'PUT', `/v2/customers/${created.json.Id}`, { ...withoutNote, Name: 'Café Dupont' });
    expect(replaced.status).toBe(200);
    expect(replaced.json).toMatchObject({ Id: created.json.Id, CustomerNumber: created.json.CustomerNumber, Name: 'Café Dupont', Telephone: '+33 3 20000000', Note: null });
  });

  it('keeps StockBalanceAvailable = StockBalance - StockBalanceReserved on article updates', async () => {
    const access = await eaToken(s);
    const article = s.eaccounting.control.records('articles').find((a) => Number(a.StockBalanceReserved) > 0) as Record<string, any>;
    expect(article).toBeDefined();
    const updated = await ea(s, access, 'PUT', `/v2/articles/${article.Id}`, { ...article, StockBalance: 100 });
    expect(updated.status).toBe(200);
    expect(updated.json).toMatchObject({ StockBalance: 100, StockBalanceReserved: article.StockBalanceReserved, StockBalanceAvailable: 100 - article.StockBalanceReserved });
    const inconsistent = await ea(s, access, 'PUT', `/v2/articles/${article.Id}`, { ...article, NetPrice: 10, GrossPrice: 20 });
    expect(inconsistent.json).toMatchObject({ ErrorCode: 2000, Errors: [{ Field: 'GrossPrice' }] });
  });
});

describe('eAccounting sandbox: seed agrees with the shop', () => {
  it('has an article for every shop product number, the VERZEND service, and customers matching shop e-mails', () => {
    const numbers = new Set(s.eaccounting.control.records('articles').map((a) => a.Number));
    for (const product of s.ccvshop.control.records('products')) expect(numbers.has(product.productnumber)).toBe(true);
    for (const row of s.ccvshop.control.records('orderrows')) expect(numbers.has(row.product_number)).toBe(true);
    const verzend = s.eaccounting.control.records('articles').find((a) => a.Number === 'VERZEND');
    expect(verzend).toMatchObject({ CodingName: 'Verzendkosten 21%', IsStock: false });
    const shopEmails = new Set(s.ccvshop.control.records('orders').map((o: any) => o.customer.email));
    const known = s.eaccounting.control.records('customers').filter((c) => shopEmails.has(c.EmailAddress));
    expect(known.length).toBeGreaterThan(0);
    expect(known.length).toBeLessThan(shopEmails.size);
  });
});
