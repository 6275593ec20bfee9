import { describe, expect, it } from 'vitest';
import { connectors } from '../../connectors/registry.js';
import { parse } from '../../language/parse.js';
import { completionsAt } from '../../playground/src/analysis/completion.js';
import { hoverAt } from '../../playground/src/analysis/hover.js';
import { mappingFiles } from './node-evaluation.js';

const orders = mappingFiles.find((f) => f.name === 'orders.map')!.text;

/** Completions after inserting `typed` on a new line after the line containing `after`. */
function complete(after: string, typed: string): Map<string, { kind: string; detail?: string; documentation?: string }> {
  const lineEnd = orders.indexOf('\n', orders.indexOf(after));
  const text = `${orders.slice(0, lineEnd + 1)}${typed}${orders.slice(lineEnd + 1)}`;
  const offset = lineEnd + 1 + typed.length;
  const items = completionsAt(parse(text, 'orders.map').ast, text, offset, connectors);
  return new Map(items.map((i) => [i.label, i]));
}

describe('completion in the playground', () => {
  it('offers the fields of a let bound to a source path (billing. -> zipcode)', () => {
    const items = complete('InvoicePostalCode', '      InvoiceCity = billing.');
    expect(items.get('zipcode')).toMatchObject({ kind: 'field', detail: 'string' });
    expect(items.has('email')).toBe(false);
  });

  it('offers source fields after a source path (customer. -> email)', () => {
    expect(complete('CurrencyCode', '  X = customer.').has('email')).toBe(true);
  });

  it('offers the element fields inside each (row. -> product_number)', () => {
    expect(complete('Quantity    = row.count', '    X = row.').has('product_number')).toBe(true);
  });

  it('offers the item and index names and the row fields inside Rows += each', () => {
    const inside = complete('Text       = "Korting', '    Unit');
    expect(inside.has('UnitPrice')).toBe(true);
    expect(inside.has('CurrencyCode')).toBe(false);
    const names = complete('Text       = "Korting', '    X = ');
    expect(names.has('rate') && names.has('k')).toBe(true);
  });

  it('offers a for block per document type at the start of a rule line, and the document types inside `for "`', () => {
    const top = complete('CustomerId    = debtor.Id', '  ');
    expect(top.get('for "quotes"')).toMatchObject({ kind: 'keyword', insertText: 'for "quotes" {' });
    expect([...top.keys()].filter((k) => k.startsWith('for '))).toEqual(['for "orders"', 'for "invoicedrafts"', 'for "invoices"', 'for "quotes"']);
    expect([...complete('CustomerId    = debtor.Id', '  for "orders", "').keys()]).toEqual(['orders', 'invoicedrafts', 'invoices', 'quotes']);
  });

  it('offers nothing inside a string\'s text, but names inside its interpolation holes', () => {
    expect(complete('CustomerId    = debtor.Id', '  Text = "Korting ').size).toBe(0);
    expect(complete('CustomerId    = debtor.Id', '  Text = "Korting {').has('ordernumber_full')).toBe(true);
  });

  it('offers the target fields of the document types a for block names, and of all of them outside one', () => {
    const quotes = complete('QuoteDate     = date(create_date)', '    Due');
    expect(quotes.has('DueDate')).toBe(true);
    expect(complete('QuoteDate     = date(create_date)', '    Your').has('YourReference')).toBe(false);
    const shared = complete('CustomerId    = debtor.Id', '  ');
    expect(shared.has('QuoteDate') && shared.has('OrderDate') && shared.has('InvoiceDate')).toBe(true);
  });

  it('offers a table of entities, as table[settings.name], as a flow target', () => {
    const text = `${orders}\nflow again: ccvshop.orders -> `;
    const items = completionsAt(parse(text, 'orders.map').ast, text, text.length, connectors);
    expect(items.find((i) => i.label === 'documents[settings.document]')).toMatchObject({ kind: 'table' });
    expect(items.some((i) => i.label === 'eaccounting')).toBe(true);
  });

  it('offers the file\'s settings after settings.', () => {
    const items = complete('CurrencyCode', '  X = settings.');
    expect([...items.keys()]).toEqual(expect.arrayContaining(['only_paid', 'private_prices_incl_vat', 'default_customer']));
  });

  it('offers target fields at the start of a rule line, and row fields inside Rows = each', () => {
    const top = complete('CurrencyCode', '  Cur');
    expect(top.get('CurrencyCode')).toMatchObject({ kind: 'target' });
    expect(top.has('LineNumber')).toBe(false);
    const row = complete('Quantity    = row.count', '    Unit');
    expect(row.has('UnitPrice')).toBe(true);
    expect(row.has('CurrencyCode')).toBe(false);
  });

  it('offers connectors and their entities after find and upsert', () => {
    expect([...complete('CurrencyCode', '  X = find ').keys()]).toEqual(expect.arrayContaining(['ccvshop', 'eaccounting']));
    expect(complete('CurrencyCode', '  X = upsert eaccounting.').has('customers')).toBe(true);
  });

  it('offers connectors and entities in a flow header', () => {
    const text = 'flow f: ccvshop.orders -> eaccounting.';
    const items = completionsAt(parse(text, 'f.map').ast, text, text.length, connectors).map((i) => i.label);
    expect(items).toEqual(expect.arrayContaining(['orders', 'customers', 'articles']));
    expect(items).not.toContain('orderrows');
  });

  it('offers standard-library functions with their docs in expressions', () => {
    const round = complete('CurrencyCode', '  X = ').get('round');
    expect(round?.kind).toBe('function');
    expect(round?.documentation).toContain('round(');
  });
});

describe('hover in the playground', () => {
  const ast = parse(orders, 'orders.map').ast;

  it('shows a source field\'s type and description through a let', () => {
    const offset = orders.indexOf('billing.zipcode') + 'billing.zip'.length;
    const hover = hoverAt(ast, orders, offset, connectors);
    expect(hover?.markdown).toContain('billing.zipcode');
    expect(hover?.markdown).toContain('`string`');
    expect(orders.slice(hover!.start, hover!.end)).toBe('zipcode');
  });

  it('shows a target field\'s schema description on the left of =', () => {
    const hover = hoverAt(ast, orders, orders.indexOf('CurrencyCode') + 2, connectors);
    expect(hover?.markdown).toMatch(/target CurrencyCode/);
  });
});
