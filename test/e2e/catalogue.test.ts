import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { RunResult } from '../../runtime/engine/index.js';
import { syncOnce } from '../../runtime/sync.js';
import { authorizeSandboxConnections } from '../../runtime/config/sandbox-auth.js';
import { article, lastSeq, putArticle, putProduct, shopProduct, startCatalogueEnv, writesSince, type CatalogueEnv, type FlowFile } from './catalogue-env.js';

/**
 * The catalogue flows end to end over both sandboxes, through `syncOnce` as `mapline run` calls it:
 * articles -> shop products (products.map), stock (stock.map), shop products -> articles
 * (products-to-accounting.map). One behaviour per test; each uses its own article numbers.
 */
const REDUCED_CODING = '6c307511-b2b9-437a-a8df-6ec4ce4a2bbd'; // "Goederen 9%" in the sandbox

// Categories first, as a merchant's config runs them: products.map puts each product in its labels' categories.
const products = (settings: Record<string, boolean> = {}): FlowFile[] => [{ file: 'mappings/categories.map' }, { file: 'mappings/products.map', settings }];
const stock = (settings: Record<string, string> = {}): FlowFile[] => [{ file: 'mappings/stock.map', settings }];
const shopToAccounting: FlowFile[] = [{ file: 'mappings/products-to-accounting.map' }];

let env: CatalogueEnv;

beforeAll(async () => {
  env = await startCatalogueEnv(products());
  // The first runs read everything and bring the seeded catalogue in line; the tests then change single records.
  await env.sync(products());
  await env.sync(stock());
});
afterAll(async () => {
  await env.close();
});

function outcomeOf(result: RunResult, sourceId: unknown) {
  return result.flows.flatMap((f) => f.records).find((r) => r.sourceId === String(sourceId));
}

describe('catalogue: articles -> shop products', () => {
  it('publishes only physical products: the shipping and discount articles, marked for the webshop, have no stock and stay out', () => {
    const services = env.sandboxes.eaccounting.control.records('articles').filter((a) => /^(VERZEND|KORTING)/.test(String(a.Number)));
    expect(services.map((a) => a.Number).sort()).toEqual(['KORTING', 'KORTING-0', 'KORTING-9', 'VERZEND', 'VERZEND-0', 'VERZEND-9']);
    // The API's default for a new article is "send to webshop": only IsStock keeps these out.
    for (const a of services) expect(a).toMatchObject({ IsActive: true, SendToWebshop: true, IsStock: false });
    for (const a of services) expect(shopProduct(env, String(a.Number)), String(a.Number)).toBeUndefined();
  });

  it('publishes an article without stock only when include_non_stock is on', async () => {
    const a = putArticle(env, { Number: 'E2E-NOSTOCK-1', Name: 'Koffie op bestelling', NetPrice: 9.17, GrossPrice: 10, CodingId: REDUCED_CODING, IsActive: true, SendToWebshop: true, IsStock: false });
    const off = await env.sync(products());
    expect(outcomeOf(off, a.Id)?.action).toBe('skip');
    expect(shopProduct(env, 'E2E-NOSTOCK-1')).toBeUndefined();
    putArticle(env, { Number: 'E2E-NOSTOCK-1' }); // touched again, so the incremental read sees it
    const on = await env.sync(products({ include_non_stock: true }));
    expect(outcomeOf(on, a.Id)?.action).toBe('create');
    expect(shopProduct(env, 'E2E-NOSTOCK-1')).toMatchObject({ name: 'Koffie op bestelling', stockenabled: false });
  });

  it('creates a shop product from a new article for the webshop, with the create-only fields', async () => {
    const a = putArticle(env, { Number: 'E2E-NEW-1', Name: 'Groene thee', NameEnglish: 'Green tea', NetPrice: 5.5, GrossPrice: 6, CodingId: REDUCED_CODING, IsActive: true, SendToWebshop: true, IsStock: true });
    const result = await env.sync(products());
    expect(outcomeOf(result, a.Id)?.action).toBe('create');
    expect(shopProduct(env, 'E2E-NEW-1')).toMatchObject({ name: 'Groene thee', price: 6, taxtariff: 'reduced', shortdescription: 'Green tea', stockenabled: true, is_active: true });
  });

  it('leaves an existing product untouched while update_existing is off, and updates it when on', async () => {
    putArticle(env, { Number: 'E2E-UPD-1', Name: 'Rooibos', GrossPrice: 4, NetPrice: 3.67, CodingId: REDUCED_CODING, IsActive: true, SendToWebshop: true });
    await env.sync(products());
    const a = putArticle(env, { Number: 'E2E-UPD-1', Name: 'Rooibos vanille', GrossPrice: 4.5, NetPrice: 4.13 });

    const off = await env.sync(products());
    expect(outcomeOf(off, a.Id)?.action).toBe('skip');
    expect(shopProduct(env, 'E2E-UPD-1')).toMatchObject({ name: 'Rooibos', price: 4 });

    putArticle(env, { Number: 'E2E-UPD-1' }); // touched again, so the incremental read sees it
    const on = await env.sync(products({ update_existing: true }));
    expect(outcomeOf(on, a.Id)?.action).toBe('update');
    expect(shopProduct(env, 'E2E-UPD-1')).toMatchObject({ name: 'Rooibos vanille', price: 4.5 });

    // A Mapline with no state (a new machine) meets the same shop: the product already holds every value,
    // `active` included although the shop returns it as `is_active`, so nothing is written.
    const fresh = env.configWith(products({ update_existing: true }), { state: join(env.dir, 'fresh-state.sqlite') });
    const outcome = await syncOnce({ config: fresh, since: new Date(0), prepareConnections: authorizeSandboxConnections });
    if (outcome.kind !== 'ran') throw new Error('the products mapping does not compile');
    expect(outcome.result.errors).toEqual([]);
    const again = outcome.result.flows.find((f) => f.flow === 'products')!.records.find((r) => r.sourceId === a.Id);
    expect(again?.action).toBe('skip');
    expect(again?.reason).toContain('already holds these values');
  });

  it('never overwrites the create-only fields of an existing product, even with updates on', async () => {
    putArticle(env, { Number: 'E2E-OWN-1', Name: 'Earl Grey', NameEnglish: 'Earl Grey', GrossPrice: 5, NetPrice: 4.59, CodingId: REDUCED_CODING, IsActive: true, SendToWebshop: true, IsStock: true });
    await env.sync(products());
    // The merchant enriches the product in the shop and switches its stock off.
    putProduct(env, { productnumber: 'E2E-OWN-1', shortdescription: 'Our finest Earl Grey, hand-picked', stockenabled: false });
    putArticle(env, { Number: 'E2E-OWN-1', Name: 'Earl Grey bio', NameEnglish: 'Organic Earl Grey' });
    await env.sync(products({ update_existing: true }));
    expect(shopProduct(env, 'E2E-OWN-1')).toMatchObject({ name: 'Earl Grey bio', shortdescription: 'Our finest Earl Grey, hand-picked', stockenabled: false });
  });
});

describe('catalogue: a linked record deleted in the target', () => {
  it('a product deleted in the shop by hand is made again when its article changes; the stock flow then finds the new one', async () => {
    const a = putArticle(env, { Number: 'E2E-DEL-1', Name: 'Lapsang', GrossPrice: 7, NetPrice: 6.42, CodingId: REDUCED_CODING, IsActive: true, SendToWebshop: true });
    await env.sync(products({ update_existing: true }));
    const first = shopProduct(env, 'E2E-DEL-1')!;
    env.sandboxes.ccvshop.control.deleteRecords('products', [first.id as number]);

    putArticle(env, { Number: 'E2E-DEL-1', GrossPrice: 7.5, NetPrice: 6.88 });
    const result = await env.sync(products({ update_existing: true }));
    const outcome = outcomeOf(result, a.Id)!;
    expect(outcome.action).toBe('create');
    expect(outcome.reason).toMatch(new RegExp(`the linked ccvshop\\.products ${String(first.id)} is gone \\(404\\), so the link was dropped; created: no ccvshop\\.products had productnumber = "E2E-DEL-1"`));
    const again = env.sandboxes.ccvshop.control.records('products').filter((p) => p.productnumber === 'E2E-DEL-1');
    expect(again).toHaveLength(1);
    expect(again[0]).toMatchObject({ price: 7.5 });
    expect(again[0]!.id).not.toBe(first.id);

    // The next change updates the new product, with no failure left behind.
    putArticle(env, { Number: 'E2E-DEL-1', GrossPrice: 8, NetPrice: 7.34 });
    const next = await env.sync(products({ update_existing: true }));
    expect(outcomeOf(next, a.Id)?.action).toBe('update');
    expect(shopProduct(env, 'E2E-DEL-1')).toMatchObject({ id: again[0]!.id, price: 8 });
  });
});

describe('catalogue: shop products -> articles', () => {
  it('creates an article from a shop product, with prices that agree with the VAT coding', async () => {
    putProduct(env, { productnumber: 'E2E-SHOP-1', name: 'Theepot', price: 24.2, discount: 0, taxtariff: 'normal', eannumber: '8712345678906', is_active: true, stockenabled: true });
    const result = await env.sync(shopToAccounting);
    expect(result.flows[0]!.summary.failed).toBe(0);
    expect(article(env, 'E2E-SHOP-1')).toMatchObject({ Name: 'Theepot', GrossPrice: 24.2, NetPrice: 20, SendToWebshop: true, IsStock: true });
  });
});

describe('catalogue: stock', () => {
  it('sets the available stock by default, and the balance when the setting says so', async () => {
    putProduct(env, { productnumber: 'E2E-STK-1', stock: 0, stockenabled: true });
    putArticle(env, { Number: 'E2E-STK-1', IsActive: true, IsStock: true, StockBalance: 10, StockBalanceReserved: 3, StockBalanceAvailable: 7 });
    await env.sync(stock());
    expect(shopProduct(env, 'E2E-STK-1')?.stock).toBe(7);

    putArticle(env, { Number: 'E2E-STK-1' });
    await env.sync(stock({ calculation: 'balance' }));
    expect(shopProduct(env, 'E2E-STK-1')?.stock).toBe(10);
  });

  it('never creates a product for an article the shop does not have', async () => {
    const a = putArticle(env, { Number: 'E2E-STK-NEW', IsActive: true, IsStock: true, StockBalance: 5, StockBalanceReserved: 0, StockBalanceAvailable: 5 });
    const result = await env.sync(stock());
    expect(outcomeOf(result, a.Id)?.action).toBe('skip');
    expect(shopProduct(env, 'E2E-STK-NEW')).toBeUndefined();
  });

  it('does not write a stock that did not change: the second run sends no write', async () => {
    putProduct(env, { productnumber: 'E2E-STK-2', stock: 1, stockenabled: true });
    putArticle(env, { Number: 'E2E-STK-2', IsActive: true, IsStock: true, StockBalance: 12, StockBalanceReserved: 0, StockBalanceAvailable: 12 });
    const shop = env.sandboxes.ccvshop.control;
    let seq = lastSeq(shop);
    await env.sync(stock());
    expect(writesSince(shop, seq)).toEqual([`PATCH /api/rest/v1/products/${String(shopProduct(env, 'E2E-STK-2')!.id)}`]);

    putArticle(env, { Number: 'E2E-STK-2', Name: 'renamed, same stock' }); // read again, stock unchanged
    seq = lastSeq(shop);
    const second = await env.sync(stock());
    expect(second.flows[0]!.summary.read).toBeGreaterThan(0);
    expect(writesSince(shop, seq)).toEqual([]);
  });
});
