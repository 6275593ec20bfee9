import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCatalogueEnv, type CatalogueEnv } from './catalogue-env.js';

/** Article labels -> shop categories over both sandboxes: created once, taken over by name, never doubled. */
describe('catalogue: article labels -> shop categories', () => {
  let env: CatalogueEnv;
  beforeAll(async () => {
    env = await startCatalogueEnv([{ file: 'mappings/categories.map' }], { seed: 'categories', sizes: { orders: 4, customers: 4, products: 8 } });
  });
  afterAll(async () => env?.close());

  it('creates a category per label, takes over one the shop already has by name, and a rerun creates nothing', async () => {
    const labels = env.sandboxes.eaccounting.control.records('articlelabels');
    const shopBefore = env.sandboxes.ccvshop.control.records('categories');
    const labelNames = new Set(labels.map((l) => l.Name));
    const alreadyThere = shopBefore.filter((c) => labelNames.has(c.name));
    // The shop holds one of the labels' names already (with another description): it must be updated, not doubled.
    const label = labels.find((l) => !alreadyThere.some((c) => c.name === l.Name))!;
    const existingId = 990_001;
    env.sandboxes.ccvshop.control.putRecords('categories', [{ id: existingId, href: `http://shop/categories/${existingId}/`, name: label.Name, description: 'made in the shop' }]);

    const first = await env.sync();
    const summary = first.flows[0]!.summary;
    expect(summary.failed).toBe(0);
    const categories = env.sandboxes.ccvshop.control.records('categories');
    for (const l of labels) expect(categories.filter((c) => c.name === l.Name), String(l.Name)).toHaveLength(1);
    expect(categories.find((c) => c.id === existingId)?.description).toBe(label.Description ?? 'made in the shop');
    expect(summary.created).toBe(labels.length - alreadyThere.length - 1);

    const second = await env.sync();
    expect(second.flows[0]!.summary.created).toBe(0);
    // Nothing changed: not even the categories created with their `on create` fields are written again.
    expect(second.flows[0]!.summary.updated).toBe(0);
    expect(env.sandboxes.ccvshop.control.records('categories')).toHaveLength(categories.length);
  });
});
