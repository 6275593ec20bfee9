import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiError, AuthError, createClient, type ConnectorClient, MemoryTokenStore, OutcomeUnknownError } from '../../../connectors/client/index.js';
import { eaccounting } from '../../../connectors/eaccounting/definition.js';
import type { RunningSandboxes } from '../../../connectors/sandbox/index.js';
import { authoriseSandbox, EA_CLIENT, startTestSandboxes, TIME_SCALE } from './sandboxes.js';

const HOUR = 3_600_000;

/** Every eAccounting endpoint the flows use, both directions, plus OAuth2 refresh, over HTTP against the sandbox. */
describe('eAccounting client against the sandbox', () => {
  let sandboxes: RunningSandboxes;
  let sandbox: RunningSandboxes['eaccounting'];
  let store: MemoryTokenStore;
  let client: ConnectorClient;

  beforeAll(async () => {
    sandboxes = await startTestSandboxes();
    sandbox = sandboxes.eaccounting;
  });
  afterAll(async () => {
    await client?.close();
    await sandboxes.close();
  });
  beforeEach(async () => {
    sandbox.control.reset();
    sandboxes.ccvshop.control.reset();
    await client?.close();
    store = new MemoryTokenStore();
    await authoriseSandbox(sandboxes, store);
    client = clientOn(store);
    sandbox.control.clearRequests();
  });

  const clientOn = (tokens: MemoryTokenStore, extra: { rateLimits?: boolean; timeScale?: number } = {}) =>
    createClient(eaccounting, {
      baseUrl: sandbox.baseUrl,
      credentials: { ...EA_CLIENT, identityUrl: sandbox.origin },
      tokenStore: tokens,
      timeScale: TIME_SCALE,
      ...extra,
    });
  const api = () => sandbox.control.requests(5000).filter((entry) => entry.url.startsWith('/v2/'));
  const tokenCalls = () => sandbox.control.requests(5000).filter((entry) => entry.url === '/connect/token');

  /** A customer the sandbox accepts: it needs existing terms of payment. */
  async function newCustomer(name: string, number: string): Promise<Record<string, unknown>> {
    const [terms] = await client.listAll('termsofpayments', { pageSize: 1 });
    return { Name: name, CustomerNumber: number, InvoiceCity: 'Utrecht', InvoicePostalCode: '3511 AB', TermsOfPaymentId: terms?.Id, IsPrivatePerson: false, IsActive: true };
  }

  it('lists customers with $page/$pagesize until CurrentPage reaches TotalNumberOfPages', async () => {
    const expected = sandbox.control.records('customers').length;
    const pages: number[] = [];
    const ids = new Set<unknown>();
    for await (const page of client.list('customers', { pageSize: 7 })) {
      pages.push(page.items.length);
      for (const customer of page.items) ids.add(customer.Id);
    }
    expect(ids.size).toBe(expected);
    expect(pages.length).toBe(Math.ceil(expected / 7));
    expect(api()[1]?.url).toBe('/v2/customers?$page=2&$pagesize=7');
  });

  it('gets, creates (201), replaces with PUT, and finds by a name with apostrophes via $filter', async () => {
    const [first] = await client.listAll('customers', { pageSize: 1 }).then((all) => all.slice(0, 1));
    expect(await client.get('customers', first?.Id as string)).toMatchObject({ Id: first?.Id, Name: first?.Name });

    const created = await client.create('customers', await newCustomer("O'Brien's Bakkerij", '9001'));
    expect(created).toMatchObject({ Name: "O'Brien's Bakkerij", CustomerNumber: '9001' });
    const found = await client.search('customers', 'Name', "O'Brien's Bakkerij");
    expect(found.map((customer) => customer.Id)).toEqual([created?.Id]);
    expect(api().at(-1)?.url).toContain("$filter=Name%20eq%20'O''Brien''s%20Bakkerij'");

    // PUT replaces: the caller reads, merges and sends the whole record.
    const replaced = await client.update('customers', created?.Id as string, { ...created, Name: 'Bakkerij O’Brien' });
    expect(replaced).toMatchObject({ Id: created?.Id, Name: 'Bakkerij O’Brien', CustomerNumber: '9001' });
    expect(await client.search('customers', 'CustomerNumber', '9001')).toHaveLength(1);
    expect(sandbox.control.created()).toHaveLength(1);
  });

  it('reads incrementally with ChangedUtc ge (cursor - overlap)', async () => {
    const created = await client.create('customers', await newCustomer('Nieuw BV', '9002'));
    const cursor = new Date(sandboxes.clock.now() - 60_000);
    const changed = await client.listAll('customers', { since: cursor });
    expect(changed.map((customer) => customer.Id)).toContain(created?.Id);
    expect(changed.length).toBeLessThan(sandbox.control.records('customers').length);
    expect(decodeURIComponent(api().at(-1)?.url ?? '')).toMatch(/\$filter=ChangedUtc ge \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z/);
  });

  it('reports a validation error with the API fields (ErrorCode, DeveloperErrorMessage, ErrorId)', async () => {
    const error = await client.create('customers', { Name: 'No terms', IsPrivatePerson: false, IsActive: true }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    const apiError = error as ApiError;
    expect(apiError.status).toBe(400);
    expect(typeof apiError.code).toBe('number');
    expect(apiError.developerMessage).toBeTruthy();
    expect(apiError.errorId).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(apiError)).not.toContain(EA_CLIENT.clientSecret);
  });

  it('a token expiring mid-run is refreshed transparently, and the new pair survives a restart', async () => {
    const before = await store.load();
    expect(await client.listAll('termsofpayments')).not.toHaveLength(0);
    sandboxes.clock.advance(HOUR + 60_000); // the sandbox now sees the access token as expired
    expect(await client.listAll('termsofpayments')).not.toHaveLength(0);
    const after = await store.load();
    expect(after?.accessToken).not.toBe(before?.accessToken);
    expect(after?.refreshToken).not.toBe(before?.refreshToken); // the sandbox rotates refresh tokens
    expect(api().map((entry) => entry.status)).toContain(401);
    expect(tokenCalls()).toHaveLength(1);

    const restarted = clientOn(store);
    expect(await restarted.listAll('termsofpayments')).not.toHaveLength(0);
    await restarted.close();
    expect(tokenCalls()).toHaveLength(1); // the saved pair was used as is
  });

  it('rotation never loses the refresh token: after several refreshes the stored one still works', async () => {
    for (let round = 0; round < 3; round++) {
      sandboxes.clock.advance(HOUR + 60_000);
      await Promise.all([client.listAll('termsofpayments'), client.listAll('units'), client.get('customers', String(sandbox.control.records('customers')[0]?.Id))]);
    }
    expect(tokenCalls()).toHaveLength(3); // one refresh per expiry, however many requests were in flight
    expect(tokenCalls().every((entry) => entry.status === 200)).toBe(true);
    // A spent refresh token is refused by the identity server...
    const stale = new MemoryTokenStore({ ...(store.history[0] as NonNullable<Awaited<ReturnType<MemoryTokenStore['load']>>>), expiresAt: 0 });
    const staleClient = clientOn(stale);
    await expect(staleClient.listAll('units')).rejects.toBeInstanceOf(AuthError);
    await staleClient.close();
    // ...while the stored one, from the last rotation, still refreshes.
    sandboxes.clock.advance(HOUR + 60_000);
    expect(await client.listAll('units')).not.toHaveLength(0);
  });

  it('reads survive 20 % injected 5xx and dropped connections', async () => {
    sandbox.control.setFaults({ errorRate: 0.1, dropRate: 0.1, errorStatus: 502 });
    const customers = await client.listAll('customers', { pageSize: 5 });
    expect(customers).toHaveLength(sandbox.control.records('customers').length);
    const details = await Promise.all(customers.slice(0, 15).map((customer) => client.get('customers', customer.Id as string)));
    expect(details.map((customer) => customer.Id)).toEqual(customers.slice(0, 15).map((customer) => customer.Id));
    expect(api().some((entry) => entry.fault === 'drop')).toBe(true);
    expect(api().some((entry) => entry.fault === 'error')).toBe(true);
  });

  it('a create whose response is lost is "outcome unknown", never resent, found by its key', async () => {
    const payload = await newCustomer('Verloren Antwoord', '9003');
    sandbox.control.injectFaults([{ kind: 'lost-response', method: 'POST', pathPrefix: '/v2/customers' }]);
    await expect(client.create('customers', payload)).rejects.toBeInstanceOf(OutcomeUnknownError);
    expect(api().filter((entry) => entry.method === 'POST')).toHaveLength(1);
    expect(await client.search('customers', 'CustomerNumber', '9003')).toHaveLength(1);
    expect(sandbox.control.created()).toHaveLength(1);
  });

  it('a burst of two (scaled) minutes of reads stays at the limit with no 429', async () => {
    const ids = sandbox.control.records('customers').map((customer) => String(customer.Id));
    const results = await Promise.all(Array.from({ length: 1250 }, (_, index) => client.get('customers', ids[index % ids.length] as string)));
    expect(results).toHaveLength(1250);
    expect(api().filter((entry) => entry.status === 429)).toEqual([]);
  });

  it('with the governor off, 429s ("Try again in N seconds") are waited out and the run completes', async () => {
    // A window long enough that 620 reads surely start inside it even on a busy machine.
    const windowMs = 4000;
    sandbox.control.setRateLimits({ enabled: true, windowMs });
    sandboxes.clock.set(Math.ceil(Date.now() / windowMs) * windowMs + 1);
    const eager = clientOn(store, { rateLimits: false, timeScale: windowMs / 60_000 });
    const ids = sandbox.control.records('customers').map((customer) => String(customer.Id));
    const results = await Promise.all(Array.from({ length: 620 }, (_, index) => eager.get('customers', ids[index % ids.length] as string)));
    await eager.close();
    expect(results).toHaveLength(620);
    expect(api().filter((entry) => entry.status === 429).length).toBeGreaterThan(0);
  });
});
