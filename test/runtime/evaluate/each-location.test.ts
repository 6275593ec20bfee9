import { describe, expect, it } from 'vitest';
import type { Json } from '../../../compiler/artifact.js';
import { compile, stdlibBindings } from '../../../compiler/index.js';
import { connectors } from '../../../connectors/registry.js';
import { FlowEvaluator, locatorFor, type LookupHost } from '../../../runtime/evaluate/index.js';

/**
 * A run-time error inside `each` (and `+= each`) names the failing expression's line and column, not the `each`
 * line: the compiled body is called through the standard library's `$eachOf`, which leaves JSONata's error
 * position alone.
 */
const text = [
  'flow orders: ccvshop.orders -> eaccounting.orders {', //                                 1
  '  on missing: skip', //                                                                  2
  '  identify by YourReference = ordernumber_full', //                                      3
  '  YourReference = ordernumber_full', //                                                  4
  '  on existing: update', //                                                               5
  '  OrderDate = "2026-01-01"', //                                                          6
  '  Rows = each orderrows as row at i {', //                                               7
  '    let article = find eaccounting.articles by Number = row.product_number', //          8
  '    LineNumber = i + 1', //                                                              9
  '    ArticleId  = article.Id', //                                                        10
  '    UnitPrice  = row.price / 2', //                                                     11
  '  }', //                                                                                12
  '  Rows += each orderrows as extra {', //                                                13
  '    LineNumber = 100', //                                                               14
  '    ArticleId  = (find eaccounting.articles by Number = "BIG-{extra.product_number}").Id', // 15
  '  } when extra.price > 100', //                                                         16
  '}',
].join('\n');

const host: LookupHost = {
  async lookup(entity, key, value) {
    return value === 'SKU-1' ? [{ Id: 'A1', Number: 'SKU-1' }] : [];
  },
  async upsert() {
    throw new Error('no upserts here');
  },
};

async function run(rows: Json[], backend: 'jsonata' | 'js') {
  const { artifact, diagnostics } = compile({ files: [{ name: 'orders.map', text }], connectors });
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const flow = artifact!.flows[0]!;
  const evaluator = new FlowEvaluator({ backend, settings: {}, tables: {}, stdlib: stdlibBindings as Record<string, unknown>, locate: locatorFor({ 'orders.map': text }) });
  return evaluator.evaluate(flow.payload.update!, { ordernumber_full: 'W1', orderrows: rows }, host);
}

describe.each(['jsonata', 'js'] as const)('run-time errors inside each, %s backend', (backend) => {
  it('builds the rows when nothing fails', async () => {
    const result = await run([{ product_number: 'SKU-1', price: 10 }, { product_number: 'SKU-1', price: 4 }], backend);
    expect(result.ok && (result.value as { Rows: unknown }).Rows).toEqual([
      { LineNumber: 1, ArticleId: 'A1', UnitPrice: 5 },
      { LineNumber: 2, ArticleId: 'A1', UnitPrice: 2 },
    ]);
  });

  it('names the line of the lookup in the body for a missing article', async () => {
    const result = await run([{ product_number: 'SKU-1', price: 10 }, { product_number: 'SKU-404', price: 1 }], backend);
    expect(!result.ok && result.error.message).toBe('orders.map:8:19: no eaccounting.articles with Number = "SKU-404"');
  });

  it('names the line of the lookup inside `+= each` for the row its condition lets through', async () => {
    const result = await run([{ product_number: 'SKU-1', price: 10 }, { product_number: 'SKU-1', price: 150 }], backend);
    expect(!result.ok && result.error.message).toBe('orders.map:15:19: no eaccounting.articles with Number = "BIG-SKU-1"');
  });

  it('names the expression of a type error in the body', async () => {
    const result = await run([{ product_number: 'SKU-1', price: 'ten' }], backend);
    expect(!result.ok && result.error.where).toBe('orders.map:11:18');
    expect(!result.ok && result.error.code).toMatch(/^T20/);
  });
});
