import { describe, expect, it } from 'vitest';
import { parse } from '../../language/parse.js';
import { renderDiagnostics } from '../../language/render.js';
import { SourceText } from '../../language/source-text.js';
import { SyntaxCodes } from '../../language/syntax-codes.js';
import { expectGolden } from '../helpers/golden.js';

/** Parses and renders every diagnostic exactly as the CLI prints it. */
function rendered(text: string, file = 'example.map'): { codes: string[]; output: string } {
  const { diagnostics } = parse(text, file);
  return {
    codes: diagnostics.map((d) => d.code),
    output: renderDiagnostics(diagnostics, { [file]: new SourceText(file, text) }),
  };
}

const golden = (name: string): URL => new URL(`./golden/${name}.txt`, import.meta.url);

describe('each ML1xxx code', () => {
  const specs = Object.values(SyntaxCodes).filter((spec) => spec.example !== undefined);

  it('has an example, except the internal error', () => {
    expect(Object.values(SyntaxCodes).filter((s) => s.example === undefined).map((s) => s.code)).toEqual(['ML1099']);
  });

  it.each(specs.map((s) => [s.code, s] as const))('%s: its example produces it, rendered as in the golden file', (code, spec) => {
    const { codes, output } = rendered(spec.example!);
    expect(codes[0]).toBe(code);
    expectGolden(golden(code), output);
  });
});

describe('messages in the user’s words', () => {
  it.each([
    ['expected-equals', 'flow f: a.b -> c.d {\n  Name: billing.name\n}\n'],
    ['equals-used-as-comparison', 'flow f: a.b -> c.d {\n  when status = 5\n}\n'],
    ['reserved-word-as-value', 'flow f: a.b -> c.d {\n  X = table\n}\n'],
    ['missing-paren', 'flow f: a.b -> c.d {\n  X = round(price / 2\n  Y = 1\n}\n'],
    ['missing-then', 'flow f: a.b -> c.d {\n  X = if paid 1 else 2\n}\n'],
    ['missing-by', 'flow f: a.b -> c.d {\n  let c = find eaccounting.customers Number = 1\n}\n'],
    ['identify-without-by', 'flow f: a.b -> c.d {\n  identify Number = 1\n}\n'],
    ['entity-without-dot', 'flow f: ccvshop -> c.d {\n}\n'],
    ['append-without-block', 'flow f: a.b -> c.d {\n  Rows += 3\n}\n'],
    ['on-create-with-colon', 'flow f: a.b -> c.d {\n  on create: skip\n}\n'],
    ['on-existing-skip-when', 'flow f: a.b -> c.d {\n  on existing: skip when paid\n}\n'],
    ['statement-at-top-level', 'X = 1\nflow f: a.b -> c.d {\n}\n'],
    ['missing-brace-before-flow', 'flow f: a.b -> c.d {\n  X = 1\n\nflow g: a.b -> c.d {\n  Y = 2\n}\n'],
    ['upsert-without-block', 'flow f: a.b -> c.d {\n  let c = upsert eaccounting.customers by EmailAddress = email\n  X = 1\n}\n'],
    ['flow-without-body', 'flow f: a.b -> c.d\nflow g: a.b -> c.d {\n}\n'],
    ['trailing-operator-before-next-rule', 'flow f: a.b -> c.d {\n  X = price *\n  Y = 2\n}\n'],
    ['unclosed-string-in-hole', 'flow f: a.b -> c.d {\n  X = "{a ?? "none}"\n  Y = 2\n}\n'],
    ['broken-each-header-keeps-the-flow', 'flow f: a.b -> c.d {\n  Rows = each orderrows {\n    A = 1\n  }\n  X = 1 +\n}\n'],
    ['junk-line-with-braces', 'flow f: a.b -> c.d {\n  ) { B = 2 }\n  X = )\n}\n'],
    ['tab-indented', 'flow f: a.b -> c.d {\n\t\tX = 1 +\t* 2\n}\n'],
  ])('%s', (name, text) => {
    const { codes, output } = rendered(text);
    expect(codes.length).toBeGreaterThan(0);
    expectGolden(golden(name), output);
  });
});

describe('several errors in one run', () => {
  const text = [
    'settings {',
    '  only_paid = tru e',
    '}',
    '',
    'flow orders: ccvshop.orders -> eaccounting.orders {',
    '  when paid = true',
    '  Name = billing.company ??',
    '  City = "{billing.city"',
    '  Status 2',
    '  CurrencyCode = currency',
    '}',
    '',
    'flow stock eaccounting.articles -> ccvshop.products {',
    '  stock = StockBalanceAvailable',
    '}',
    '',
  ].join('\n');

  it('reports one diagnostic per broken line, in order, and keeps the good statements', () => {
    const { ast, diagnostics } = parse(text, 'mappings/broken.map');
    expect(diagnostics.map((d) => `${new SourceText('', text).lineCol(d.range.start).line} ${d.code}`)).toEqual([
      '2 ML1015',
      '6 ML1015',
      '7 ML1012',
      '8 ML1004',
      '9 ML1010',
      '13 ML1010',
    ]);
    const orders = ast.items.find((i) => i.kind === 'Flow' && i.name.name === 'orders');
    expect(orders?.kind === 'Flow' && orders.body.some((s) => s.kind === 'Assign' && s.target.segments[0]!.name === 'CurrencyCode')).toBe(true);
    expectGolden(golden('several-errors'), rendered(text, 'mappings/broken.map').output);
  });
});

describe('robustness', () => {
  it('never throws and always returns a file node', () => {
    for (const text of ['}', '{', '"', '`', ')))', 'flow', 'flow f: a.b -> c.d { X = each', '\u0000\uffff', 'é']) {
      const result = parse(text, 'r.map');
      expect(result.ast.kind).toBe('File');
      expect(result.diagnostics.length).toBeGreaterThan(0);
    }
  });
});
