import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from '../../compiler/index.js';
import { connectors } from '../../connectors/registry.js';
import { SourceText } from '../../language/source-text.js';

/**
 * A flow whose target a setting chooses: one compiled flow per key of the table, each checked against its own
 * target, with `for` blocks only where their key is chosen, and a source map into the lines as written.
 */
const name = 'mappings/orders.map';
const text = readFileSync(join(import.meta.dirname, '../../', name), 'utf8');
const source = new SourceText(name, text);
const lineOf = (offset: number) => source.lineCol(offset).line;
const lineWith = (needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('orders.map: one process for four document types', () => {
  const { artifact, diagnostics } = compile({ files: [{ name, text }], connectors });

  it('compiles to one flow per document type, named after it, with its own target', () => {
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(artifact?.flows.map((f) => [f.name, `${f.target.connector}.${f.target.entity}`, f.variant?.family, f.variant?.value])).toEqual([
      ['orders', 'eaccounting.orders', 'orders', 'orders'],
      ['invoicedrafts', 'eaccounting.customerinvoicedrafts', 'orders', 'invoicedrafts'],
      ['invoices', 'eaccounting.customerinvoices', 'orders', 'invoices'],
      ['quotes', 'eaccounting.quotes', 'orders', 'quotes'],
    ]);
    expect(artifact?.flows[0]?.settings.document).toMatchObject({ value: 'orders', type: 'string', values: ['orders', 'invoicedrafts', 'invoices', 'quotes'] });
  });

  it('keeps a for block only in the variants it names', () => {
    const fields = (flow: string) => new Set(artifact!.flows.find((f) => f.name === flow)!.fields.map((l) => l.target));
    expect(fields('quotes')).toContain('QuoteDate');
    expect(fields('quotes')).not.toContain('YourReference');
    expect(fields('orders')).toContain('Rows[].LineNumber');
    expect(fields('invoices')).not.toContain('Rows[].LineNumber');
    expect(fields('invoices')).toContain('Rows[].IsVatFree');
    expect(artifact!.flows.find((f) => f.name === 'quotes')!.identify).toBeNull();
    expect(artifact!.flows.find((f) => f.name === 'quotes')!.writeBack).toBeNull();
    expect(artifact!.flows.find((f) => f.name === 'invoices')!.identify?.field).toBe('YourReference');
  });

  it('points every variant\'s lineage at the rule as written, shared or in its for block', () => {
    const lineage = (flow: string, field: string) => artifact!.flows.find((f) => f.name === flow)!.fields.find((l) => l.target === field)!.location;
    for (const flow of ['orders', 'invoicedrafts', 'invoices', 'quotes']) {
      expect(lineage(flow, 'CustomerId')).toMatchObject({ file: name });
      expect(lineOf(lineage(flow, 'CustomerId').range.start)).toBe(lineWith('CustomerId    = debtor.Id'));
    }
    expect(lineOf(lineage('quotes', 'DueDate').range.start)).toBe(lineWith('DueDate       = add_days'));
    expect(lineOf(lineage('invoices', 'DeliveryCustomerName').range.start)).toBe(lineWith(', 100)'));
  });

  it('reports a problem all variants share once, without naming a document type', () => {
    const broken = text.replace('Name               = truncate(billing.company', 'Name               = truncate(billing.compnay');
    const found = compile({ files: [{ name, text: broken }], connectors }).diagnostics.filter((d) => d.severity === 'error');
    expect(found).toHaveLength(1);
    expect(found[0]!.message).not.toContain('when document is');
  });
});

describe('for blocks', () => {
  const header = 'settings {\n  document = "orders"\n}\ntable documents {\n  "orders" => eaccounting.orders\n  "quotes" => eaccounting.quotes\n}\n';
  const check = (body: string) => compile({ files: [{ name: 'f.map', text: `${header}flow orders: ccvshop.orders -> documents[settings.document] {\n  on missing: skip\n${body}}\n` }], connectors });

  it('nest, and hold lets, filters and policies in a flow body', () => {
    const { artifact, diagnostics } = check('  for "orders", "quotes" {\n    when paid\n    let day = date(create_date)\n    for "quotes" {\n      QuoteDate = day\n    }\n  }\n');
    expect(diagnostics).toEqual([]);
    expect(artifact?.flows.find((f) => f.name === 'quotes')?.fields.map((f) => f.target)).toEqual(['QuoteDate']);
    expect(artifact?.flows.find((f) => f.name === 'orders')?.fields).toEqual([]);
    expect(artifact?.flows.every((f) => f.filter !== null)).toBe(true);
  });

  it('inside a rule block hold only rules', () => {
    const { diagnostics } = check('  for "orders" {\n    Rows = each orderrows as row {\n      for "orders" {\n        when paid\n      }\n    }\n  }\n');
    expect(diagnostics.map((d) => d.code)).toEqual(['ML1018']);
  });

  it('leave `for` a plain name everywhere else', () => {
    const { diagnostics } = compile({ files: [{ name: 'f.map', text: 'settings {\n  for = 1\n}\nflow f: ccvshop.orders -> eaccounting.orders {\n  on missing: skip\n  let for = settings.for\n  RotReducedInvoicingType = for\n}\n' }], connectors });
    expect(diagnostics).toEqual([]);
  });
});
