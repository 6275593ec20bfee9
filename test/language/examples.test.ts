import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FlowDecl, LetStmt, MapFile } from '../../language/ast.js';
import type { Range } from '../../language/range.js';
import { parse } from '../../language/parse.js';
import { show, showRule } from './ast-print.js';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const designText = fixture('design-example.map');

function parseClean(text: string, file = 'example.map'): MapFile {
  const { ast, diagnostics } = parse(text, file);
  expect(diagnostics).toEqual([]);
  return ast;
}

function flow(ast: MapFile, name: string): FlowDecl {
  const found = ast.items.find((i): i is FlowDecl => i.kind === 'Flow' && i.name.name === name);
  if (!found) throw new Error(`no flow ${name}`);
  return found;
}

const text = (r: Range): string => designText.slice(r.start, r.end);

describe('the example of the design sketch', () => {
  const ast = parseClean(designText, 'design.map');

  it('holds settings, a table and three flows, in file order', () => {
    expect(ast.file).toBe('design.map');
    expect(ast.items.map((i) => i.kind)).toEqual(['Settings', 'Table', 'Flow', 'Flow', 'Flow']);
    expect(ast.range).toEqual({ start: 0, end: designText.length });
  });

  it('reads the settings with their values and ranges', () => {
    const settings = ast.items[0]!;
    if (settings.kind !== 'Settings') throw new Error('expected settings');
    expect(settings.entries.map((e) => `${e.name.name}=${show(e.value)}`)).toEqual([
      'statuses=[1 2 5 6 7]',
      'only_paid=true',
      'default_customer=null',
      'shipping_article="VERZEND"',
      'update_existing=false',
    ]);
    expect(text(settings.entries[0]!.range)).toBe('statuses         = [1, 2, 5, 6, 7]');
    expect(text(settings.range).startsWith('settings {')).toBe(true);
    expect(text(settings.range).endsWith('}')).toBe(true);
  });

  it('reads the table with its `else` fallback apart from the entries', () => {
    const table = ast.items[1]!;
    if (table.kind !== 'Table') throw new Error('expected a table');
    expect(table.name.name).toBe('terms_by_paymethod');
    expect(table.entries.map((e) => show(e.key))).toEqual(['"ccvonlinepayments_ideal"', '"banktransfer"']);
    expect(table.fallback && show(table.fallback)).toBe('"8f9a8f7b-5ea9-44c6-9725-9b8a1addb036"');
  });

  it('reads the orders flow header and every statement kind in order', () => {
    const orders = flow(ast, 'orders');
    expect(`${orders.source.connector.name}.${orders.source.entity.name}`).toBe('ccvshop.orders');
    expect(orders.target.kind === 'EntityRef' && `${orders.target.connector.name}.${orders.target.entity.name}`).toBe('eaccounting.orders');
    expect(text(orders.source.range)).toBe('ccvshop.orders');
    expect(orders.body.map((s) => s.kind)).toEqual([
      'When', 'When', 'Identify', 'OnExisting', 'OnMissing', 'Let', 'Let',
      'Assign', 'Assign', 'Assign', 'Assign', 'Assign', 'Assign', 'Assign', 'Assign', 'Assign', 'Append',
    ]);
    const [when1, when2] = orders.body;
    expect(when1?.kind === 'When' && show(when1.condition)).toBe('(or paid (not settings.only_paid))');
    expect(when2?.kind === 'When' && show(when2.condition)).toBe('(in status settings.statuses)');
    expect(text(when1!.range)).toBe('when paid or not settings.only_paid');
  });

  it('reads the multi-line `let debtor = if ... then find ... else upsert ... { ... }`', () => {
    const debtor = flow(ast, 'orders').body.find((s): s is LetStmt => s.kind === 'Let' && s.name.name === 'debtor')!;
    const value = debtor.value;
    if (value.kind !== 'If') throw new Error('expected if');
    expect(show(value.condition)).toBe('(!= settings.default_customer null)');
    expect(show(value.then)).toBe('(find eaccounting.customers CustomerNumber settings.default_customer)');
    const upsert = value.else!;
    if (upsert.kind !== 'Upsert') throw new Error('expected upsert');
    expect(upsert.body.rules.map(showRule)).toEqual([
      'Name = (?? billing.company billing.full_name)',
      'IsPrivatePerson = (== billing.company null)',
      'IsActive = true',
      'EmailAddress = customer.email',
      'ContactPersonName = (if (!= billing.company null) billing.full_name)',
      'InvoiceAddress1 = "{billing.street} {billing.housenumber}{billing.housenumber_suffix}"',
      'InvoicePostalCode = billing.zipcode',
      'InvoiceCity = billing.city',
      'InvoiceCountryCode = billing.country_code',
      'VatNumber = customer.btw',
      'TermsOfPaymentId = terms_by_paymethod[paymethod]',
    ]);
    expect(text(debtor.range).startsWith('let debtor =\n    if settings.default_customer')).toBe(true);
    expect(text(debtor.range).endsWith('TermsOfPaymentId   = terms_by_paymethod[paymethod]\n    }')).toBe(true);
    // Interpolation holes point at their own text in the file.
    const address = upsert.body.rules[5]!;
    if (address.kind !== 'Assign' || address.value.kind !== 'String') throw new Error('expected a string');
    const hole = address.value.parts[0]!;
    expect(hole.kind).toBe('Interpolation');
    expect(text(hole.range)).toBe('{billing.street}');
    if (hole.kind === 'Interpolation') expect(text(hole.expr.range)).toBe('billing.street');
  });

  it('reads `each ... as row at i` and the append with its trailing `when`', () => {
    const orders = flow(ast, 'orders');
    const rows = orders.body[15]!;
    if (rows.kind !== 'Assign' || rows.value.kind !== 'Each') throw new Error('expected Rows = each');
    expect(rows.value.item.name).toBe('row');
    expect(rows.value.index?.name).toBe('i');
    expect(show(rows.value.source)).toBe('orderrows');
    expect(showRule(rows.value.body.rules[8]!)).toBe(
      'DiscountPercentage = (if (> row.price 0) round((/ row.discount row.price) 4) 0)',
    );
    const append = orders.body[16]!;
    if (append.kind !== 'Append') throw new Error('expected an append');
    expect(append.condition && show(append.condition)).toBe('(> total_shipping 0)');
    expect(showRule(append.body.rules[4]!)).toBe(
      'ArticleId = (paren (find eaccounting.articles Number settings.shipping_article)).Id',
    );
    expect(text(append.range).endsWith('} when total_shipping > 0')).toBe(true);
  });

  it('reads the policies of the stock and products flows', () => {
    const stock = flow(ast, 'stock');
    expect(stock.body.map((s) => s.kind)).toEqual(['When', 'Identify', 'OnExisting', 'OnMissing', 'Assign']);
    const missing = stock.body[3]!;
    expect(missing.kind === 'OnMissing' && missing.action).toBe('skip');
    if (missing.kind === 'OnMissing') expect(text(missing.actionRange)).toBe('skip');
    const products = flow(ast, 'products');
    const existing = products.body[2]!;
    if (existing.kind !== 'OnExisting') throw new Error('expected on existing');
    expect(existing.action).toBe('update');
    expect(existing.condition && show(existing.condition)).toBe('settings.update_existing');
    const onCreate = products.body[6]!;
    if (onCreate.kind !== 'OnCase') throw new Error('expected on create');
    expect(onCreate.case).toBe('create');
    expect(onCreate.body.rules.map(showRule)).toEqual([
      'shortdescription = (?? NameEnglish Name)',
      'package_id = 1',
      'taxtariff = "normal"',
    ]);
  });
});

describe('the default mappings', () => {
  const dir = new URL('../../mappings/', import.meta.url);
  const files = readdirSync(dir).filter((f) => f.endsWith('.map'));

  it.each(files)('%s parses without diagnostics', (name) => {
    const ast = parseClean(readFileSync(new URL(name, dir), 'utf8'), `mappings/${name}`);
    expect(ast.items.length).toBeGreaterThan(0);
  });
});

describe('other statements', () => {
  it('reads `write back { ... } when ...`, dotted targets and `find?`', () => {
    const ast = parseClean(`flow invoices: eaccounting.invoices -> ccvshop.orders {
  identify by Meta.Reference = Number
  Address.City = city
  let customer = find? eaccounting.customers by CustomerNumber = CustomerNumber
  write back {
    status = 5
  } when target.Id != null
}
`);
    const body = flow(ast, 'invoices').body;
    expect(body.map((s) => s.kind)).toEqual(['Identify', 'Assign', 'Let', 'WriteBack']);
    const identify = body[0]!;
    expect(identify.kind === 'Identify' && identify.field.segments.map((s) => s.name)).toEqual(['Meta', 'Reference']);
    const letFind = body[2]!;
    expect(letFind.kind === 'Let' && show(letFind.value)).toBe('(find? eaccounting.customers CustomerNumber CustomerNumber)');
    const writeBack = body[3]!;
    if (writeBack.kind !== 'WriteBack') throw new Error('expected write back');
    expect(writeBack.body.rules.map(showRule)).toEqual(['status = 5']);
    expect(writeBack.condition && show(writeBack.condition)).toBe('(!= target.Id null)');
  });

  it('accepts an empty file, comments only, and blocks written on one line', () => {
    expect(parseClean('').items).toEqual([]);
    expect(parseClean('# nothing here\n\n   # really\n').items).toEqual([]);
    const ast = parseClean('flow f: a.b -> c.d { X = 1 }\nsettings { }\ntable t { 1 => 2 }');
    expect(ast.items.map((i) => i.kind)).toEqual(['Flow', 'Settings', 'Table']);
    expect(flow(ast, 'f').body.map((s) => (s.kind === 'Assign' ? showRule(s) : s.kind))).toEqual(['X = 1']);
  });

  it('reads a target chosen by a setting, and `for` blocks in the flow body and in rule blocks', () => {
    const source = 'flow o: ccvshop.orders -> documents[settings.document] {\n  for "orders", "quotes" {\n    when paid\n  }\n  Rows = each orderrows as row {\n    for "orders" {\n      LineNumber = 1\n    }\n  }\n}\n';
    const o = flow(parseClean(source), 'o');
    expect(o.target).toMatchObject({ kind: 'ChoiceTarget', table: { name: 'documents' }, setting: { name: 'document' } });
    expect(source.slice(o.target.range.start, o.target.range.end)).toBe('documents[settings.document]');
    const [outer, rows] = o.body;
    expect(outer).toMatchObject({ kind: 'For', values: [{ value: 'orders' }, { value: 'quotes' }] });
    expect(outer?.kind === 'For' && outer.body.map((s) => s.kind)).toEqual(['When']);
    expect(rows?.kind === 'Assign' && show(rows.value)).toBe('(each orderrows row {for "orders" {LineNumber = 1}})');
    expect(source.slice(outer!.range.start, outer!.range.end)).toBe('for "orders", "quotes" {\n    when paid\n  }');
  });

  it('accepts Windows line endings and a brace on its own line', () => {
    const ast = parseClean('flow f: a.b -> c.d\r\n{\r\n  X = 1\r\n  Y = 2\r\n}\r\n');
    expect(flow(ast, 'f').body).toHaveLength(2);
  });
});

describe('ranges', () => {
  /** Every node's range lies inside its parent's, and siblings in a list follow each other. */
  function checkNesting(node: unknown, parent: Range, path: string, problems: string[]): void {
    if (Array.isArray(node)) {
      let last = -1;
      node.forEach((child, i) => {
        const r = (child as { range?: Range }).range;
        if (r && r.start < last) problems.push(`${path}[${i}] starts before its previous sibling ends`);
        if (r) last = r.end;
        checkNesting(child, parent, `${path}[${i}]`, problems);
      });
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const own = (node as { range?: Range }).range ?? parent;
    if (own.start < parent.start || own.end > parent.end) problems.push(`${path} ${JSON.stringify(own)} is outside ${JSON.stringify(parent)}`);
    for (const [key, child] of Object.entries(node)) {
      if (key !== 'range' && key !== 'opRange' && key !== 'actionRange') checkNesting(child, own, `${path}.${key}`, problems);
    }
  }

  it('nest: every node lies inside its parent, in text order', () => {
    const ast = parse(designText, 'design.map').ast;
    const problems: string[] = [];
    checkNesting(ast, ast.range, 'file', problems);
    expect(problems).toEqual([]);
  });

  it('start and end on the node’s own text', () => {
    const ast = parse(designText, 'design.map').ast;
    const texts: string[] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(walk);
      if (node === null || typeof node !== 'object') return;
      const r = (node as { range?: Range; kind?: string }).range;
      const kind = (node as { kind?: string }).kind;
      if (r && kind !== 'File' && kind !== 'Text') texts.push(designText.slice(r.start, r.end));
      Object.values(node).forEach(walk);
    };
    walk(ast);
    // No node (but string text) starts or ends with blanks, a newline or a comment: ranges hug the tokens.
    expect(texts.filter((t) => t !== t.trim() || /#/.test(t.split('\n').pop() ?? ''))).toEqual([]);
  });
});
