import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliArgv, runProcess } from '../helpers/cli.js';
import { authorizeSandboxConnections } from '../../runtime/config/sandbox-auth.js';
import { syncOnce } from '../../runtime/sync.js';
import { sandboxConnections } from '../../runtime/config/sandbox-connections.js';
import { lastSeq, putArticle, putProduct, repoRoot, shopProduct, startCatalogueEnv, writesSince, type CatalogueEnv, type FlowFile } from './catalogue-env.js';

/**
 * Article labels -> shop categories -> products put in them (categories.map, then products.map, as `npm start`
 * runs them), over both sandboxes: each category made once, each product linked to each of its labels' categories
 * once, links made in the shop kept, and no link doubled by a rerun, a lost state file or a lost answer.
 */
type Rec = Record<string, unknown>;

const catalogue = (products: Record<string, boolean> = {}): FlowFile[] => [
  { file: 'mappings/categories.map' },
  { file: 'mappings/products.map', settings: products },
];

let env: CatalogueEnv;
let serial = 0;

beforeAll(async () => {
  env = await startCatalogueEnv(catalogue(), { seed: 'product-categories', sizes: { orders: 2, customers: 2, products: 10 } });
  // Brings the seeded catalogue in line (seeded products put in their labels' categories); each test then adds its own articles.
  await env.sync(catalogue({ update_existing: true }));
});
afterAll(async () => env?.close());

function addLabel(name: string): Rec {
  const label = { Id: `00000000-0000-4000-9000-${String(++serial).padStart(12, '0')}`, Name: name, Description: `${name} (label)` };
  env.sandboxes.eaccounting.control.putRecords('articlelabels', [label]);
  return label;
}

const categories = (): Rec[] => env.sandboxes.ccvshop.control.records('categories');
const categoryNamed = (name: unknown): Rec[] => categories().filter((c) => c.name === name);
const links = (): Rec[] => env.sandboxes.ccvshop.control.records('producttocategories');
const linkedCategoryNames = (productnumber: string): string[] => {
  const product = shopProduct(env, productnumber)!;
  return links()
    .filter((l) => l.product_id === product.id)
    .map((l) => String(categories().find((c) => c.id === l.category_id)?.name))
    .sort();
};

describe('catalogue: products linked to the categories of their labels', () => {
  it('creates each label category once and links a new product to each of them, once; reruns add nothing, even without state', async () => {
    const seededLabel = env.sandboxes.eaccounting.control.records('articlelabels')[0]!;
    const herbal = addLabel('Kruidenthee');
    putArticle(env, { Number: 'E2E-CAT-1', Name: 'Kamille', IsActive: true, SendToWebshop: true, ArticleLabels: [herbal, seededLabel] });

    const first = await env.sync(catalogue({ update_existing: true }));
    expect(first.flows.map((f) => [f.flow, f.summary.failed])).toEqual([['categories', 0], ['products', 0]]);
    expect(categoryNamed('Kruidenthee')).toHaveLength(1);
    expect(linkedCategoryNames('E2E-CAT-1')).toEqual([String(seededLabel.Name), 'Kruidenthee'].sort());
    const created = first.flows[1]!.records.find((r) => r.action === 'create')!;
    expect(created.reason).toMatch(/added producttocategories \+2/);

    const linkCount = links().length;
    const categoryCount = categories().length;
    const since = lastSeq(env.sandboxes.ccvshop.control);
    const second = await env.sync(catalogue({ update_existing: true }));
    expect(second.flows.map((f) => f.summary.created + f.summary.updated)).toEqual([0, 0]);
    expect(writesSince(env.sandboxes.ccvshop.control, since)).toEqual([]);

    // A lost state file: everything is recognised in the shop again (products by SKU, links by category).
    const config = env.configWith(catalogue({ update_existing: true }), { state: join(env.dir, 'fresh.sqlite') });
    const fresh = await syncOnce({ config, prepareConnections: authorizeSandboxConnections });
    expect(fresh.kind === 'ran' && fresh.result.flows.map((f) => f.summary.failed)).toEqual([0, 0]);
    expect(links()).toHaveLength(linkCount);
    expect(categories()).toHaveLength(categoryCount);
    expect(env.sandboxes.ccvshop.control.records('products').filter((p) => p.productnumber === 'E2E-CAT-1')).toHaveLength(1);
  });

  it('adds only the missing link to an existing product, keeping the category it was given in the shop', async () => {
    const tea = addLabel('Losse thee');
    const shopOnly = { id: 880_001, href: 'http://shop/categories/880001/', name: 'Aanbiedingen', description: 'made in the shop' };
    env.sandboxes.ccvshop.control.putRecords('categories', [shopOnly]);
    const product = putProduct(env, { productnumber: 'E2E-CAT-2', name: 'Sencha' });
    env.sandboxes.ccvshop.control.putRecords('producttocategories', [{ id: 880_101, position: 1, product_id: product.id, category_id: shopOnly.id }]);
    putArticle(env, { Number: 'E2E-CAT-2', Name: 'Sencha', IsActive: true, SendToWebshop: true, ArticleLabels: [tea] });

    const off = await env.sync(catalogue());
    expect(linkedCategoryNames('E2E-CAT-2')).toEqual(['Aanbiedingen']); // update_existing off: the product is not touched
    expect(off.flows[1]!.summary.failed).toBe(0);

    await env.sync(catalogue({ update_existing: true }));
    expect(linkedCategoryNames('E2E-CAT-2')).toEqual(['Aanbiedingen', 'Losse thee']);
    const since = lastSeq(env.sandboxes.ccvshop.control);
    await env.sync(catalogue({ update_existing: true }));
    expect(writesSince(env.sandboxes.ccvshop.control, since)).toEqual([]);
  });

  it('after a lost answer to a link, the next run adds what is missing and doubles nothing', async () => {
    const a = addLabel('Groene thee');
    const b = addLabel('Biologisch');
    putArticle(env, { Number: 'E2E-CAT-3', Name: 'Gyokuro', IsActive: true, SendToWebshop: true, ArticleLabels: [a, b] });
    await env.sync([{ file: 'mappings/categories.map' }]);
    // The first link is made by the shop, but its answer never arrives.
    env.sandboxes.ccvshop.control.injectFaults([{ kind: 'lost-response', method: 'POST', pathPrefix: '/api/rest/v1/producttocategories' }]);

    const lost = await env.sync();
    const failed = lost.flows[1]!.records.find((r) => r.action === 'fail')!;
    expect(failed.reason).toMatch(/ccvshop\.products \d+ is written, but adding producttocategories with category_id = \d+ failed.*the next run adds what is missing/);
    expect(linkedCategoryNames('E2E-CAT-3')).toEqual(['Groene thee']);

    const next = await env.sync();
    expect(next.flows[1]!.summary.failed).toBe(0);
    expect(linkedCategoryNames('E2E-CAT-3')).toEqual(['Biologisch', 'Groene thee']);
    expect(env.sandboxes.ccvshop.control.records('products').filter((p) => p.productnumber === 'E2E-CAT-3')).toHaveLength(1);
    // The quarantine entry the lost answer left is resolved.
    const state = env.state();
    try {
      expect((await state.listQuarantine({ flow: 'products' })).filter((q) => q.reason.includes('E2E-CAT-3') || q.sourceId === failed.sourceId)).toEqual([]);
    } finally {
      state.close();
    }
  });

  it('a run killed between a product and its links: the next run adds the missing links, the product is not made twice', async () => {
    const [a, b] = [addLabel('Na de crash A'), addLabel('Na de crash B')];
    putArticle(env, { Number: 'E2E-CAT-7', Name: 'Genmaicha', IsActive: true, SendToWebshop: true, ArticleLabels: [a, b] });
    await env.sync([{ file: 'mappings/categories.map' }]);
    const configFile = join(env.dir, 'crash.config.json');
    writeFileSync(
      configFile,
      JSON.stringify({ state: env.config.state, connections: sandboxConnections(env.sandboxes, { rateLimits: false }), flows: [{ file: join(repoRoot, 'mappings/products.map') }] }),
    );

    // The first link reaches the shop and is held there; the run dies the moment it arrives.
    const shop = env.sandboxes.ccvshop.control;
    shop.injectFaults([{ kind: 'latency', latencyMs: 300, method: 'POST', pathPrefix: '/api/rest/v1/producttocategories' }]);
    const run = await runProcess(cliArgv(['run', '--config', configFile]), { cwd: repoRoot, killWhen: () => shop.state().pendingFaults.length === 0 });
    expect(run.killed).toBe(true);
    while (linkedCategoryNames('E2E-CAT-7').length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(linkedCategoryNames('E2E-CAT-7')).toEqual(['Na de crash A']);

    const next = await env.sync([{ file: 'mappings/products.map' }]);
    expect(next.flows[0]!.summary.failed).toBe(0);
    expect(linkedCategoryNames('E2E-CAT-7')).toEqual(['Na de crash A', 'Na de crash B']);
    expect(shop.records('products').filter((p) => p.productnumber === 'E2E-CAT-7')).toHaveLength(1);
    const since = lastSeq(shop);
    await env.sync([{ file: 'mappings/products.map' }]);
    expect(writesSince(shop, since)).toEqual([]);
  });

  it('a label the categories flow has not made yet gets its category from the products flow, and the categories flow then takes it over', async () => {
    const label = addLabel('Nieuw in het assortiment');
    putArticle(env, { Number: 'E2E-CAT-4', Name: 'Matcha', IsActive: true, SendToWebshop: true, ArticleLabels: [label] });
    putArticle(env, { Number: 'E2E-CAT-5', Name: 'Hojicha', IsActive: true, SendToWebshop: true, ArticleLabels: [label] });
    const products = await env.sync([{ file: 'mappings/products.map' }]);
    expect(products.flows[0]!.summary.failed).toBe(0);
    expect(categoryNamed(label.Name)).toHaveLength(1);
    expect(linkedCategoryNames('E2E-CAT-4')).toEqual([label.Name]);
    expect(linkedCategoryNames('E2E-CAT-5')).toEqual([label.Name]);

    const after = await env.sync();
    expect(after.flows[0]!.summary.failed).toBe(0);
    expect(categoryNamed(label.Name)).toHaveLength(1);
    expect(categoryNamed(label.Name)[0]).toMatchObject({ description: label.Description });
  });

  it('with link_categories off, products are made without categories', async () => {
    const label = addLabel('Niet koppelen');
    putArticle(env, { Number: 'E2E-CAT-6', Name: 'Bancha', IsActive: true, SendToWebshop: true, ArticleLabels: [label] });
    await env.sync([{ file: 'mappings/products.map', settings: { link_categories: false } }]);
    expect(shopProduct(env, 'E2E-CAT-6')).toBeDefined();
    expect(linkedCategoryNames('E2E-CAT-6')).toEqual([]);
    expect(categoryNamed(label.Name)).toHaveLength(0);
  });
});
