import { describe, expect, it } from 'vitest';
import type { Expr, FlowDecl } from '../../language/ast.js';
import { parse } from '../../language/parse.js';
import { SourceText } from '../../language/source-text.js';
import { show, showRule } from './ast-print.js';

/** Parses `X = <expr>` inside a flow and returns the expression. */
function expr(source: string): Expr {
  const text = `flow f: a.b -> c.d {\n  X = ${source}\n}\n`;
  const { ast, diagnostics } = parse(text, 'e.map');
  expect(diagnostics).toEqual([]);
  const rule = (ast.items[0] as FlowDecl).body[0]!;
  if (rule.kind !== 'Assign') throw new Error(`expected an assignment, got ${rule.kind}`);
  return rule.value;
}

describe('operator precedence, loosest first', () => {
  it.each([
    ['a or b and c', '(or a (and b c))'],
    ['a and b or c', '(or (and a b) c)'],
    ['not a and b', '(and (not a) b)'],
    ['not a == b', '(not (== a b))'],
    ['not not a', '(not (not a))'],
    ['a == b and c != d', '(and (== a b) (!= c d))'],
    ['a in [1, 2] or b', '(or (in a [1 2]) b)'],
    ['a < b ?? c', '(< a (?? b c))'],
    ['a ?? b ?? c', '(?? a (?? b c))'],
    ['a ?? b + c', '(?? a (+ b c))'],
    ['a + b ?? c', '(?? (+ a b) c)'],
    ['a + b * c', '(+ a (* b c))'],
    ['a - b - c', '(- (- a b) c)'],
    ['a * b / c % d', '(% (/ (* a b) c) d)'],
    ['-a * b', '(* (- a) b)'],
    ['- -a', '(- (- a))'],
    ['-a.b[c]', '(- a.b[c])'],
    ['a.b.c[d].e', 'a.b.c[d].e'],
    ['(a + b) * c', '(* (paren (+ a b)) c)'],
    ['f(a, b + 1)', 'f(a (+ b 1))'],
    ['count(xs) + 1', '(+ count(xs) 1)'],
    ['[]', '[]'],
    ['[1, "x", true, null,]', '[1 "x" true null]'],
    ['1.5 * 2', '(* 1.5 2)'],
    ['terms[key] ?? "none"', '(?? terms[key] "none")'],
    ['settings.x', 'settings.x'],
  ])('%s', (source, expected) => {
    expect(show(expr(source))).toBe(expected);
  });

  it('lets `if`, `find`, `upsert` and `each` extend as far right as possible', () => {
    expect(show(expr('if a then b else c + 1'))).toBe('(if a b (+ c 1))');
    expect(show(expr('1 + if a then b else c'))).toBe('(+ 1 (if a b c))');
    expect(show(expr('if a then if b then c else d'))).toBe('(if a (if b c d))');
    expect(show(expr('find x.y by K = a + 1'))).toBe('(find x.y K (+ a 1))');
    expect(show(expr('(find x.y by K = a).Id'))).toBe('(paren (find x.y K a)).Id');
    expect(show(expr('each xs.items as x { A = x }'))).toBe('(each xs.items x {A = x})');
  });

  it('keeps operator ranges and covers operands', () => {
    const text = 'flow f: a.b -> c.d {\n  X = a.b + c * 2\n}\n';
    const value = (parse(text, 'e.map').ast.items[0] as FlowDecl).body[0]!;
    if (value.kind !== 'Assign' || value.value.kind !== 'Binary') throw new Error('expected a binary');
    expect(text.slice(value.value.range.start, value.value.range.end)).toBe('a.b + c * 2');
    expect(text.slice(value.value.opRange.start, value.value.opRange.end)).toBe('+');
    expect(text.slice(value.range.start, value.range.end)).toBe('X = a.b + c * 2');
    expect(value.value.right.kind === 'Binary' && text.slice(value.value.right.range.start, value.value.right.range.end)).toBe('c * 2');
  });

  it('reports chained comparisons instead of guessing', () => {
    const { diagnostics } = parse('flow f: a.b -> c.d {\n  when 0 < x < 10\n}\n', 'e.map');
    expect(diagnostics.map((d) => d.code)).toEqual(['ML1017']);
  });
});

describe('the newline rule', () => {
  function body(source: string): string[] {
    const { ast, diagnostics } = parse(`flow f: a.b -> c.d {\n${source}\n}\n`, 'n.map');
    expect(diagnostics).toEqual([]);
    return (ast.items[0] as FlowDecl).body.map((s) =>
      s.kind === 'When' ? `when ${show(s.condition)}` : s.kind === 'Let' || s.kind === 'Assign' || s.kind === 'Append' ? showRule(s) : s.kind,
    );
  }

  it('keeps a trailing `when` on its append and the next line as its own filter', () => {
    expect(body('  Rows += {\n    A = 1\n  } when total_shipping > 0\n  when paid')).toEqual([
      'Rows += {A = 1} when (> total_shipping 0)',
      'when paid',
    ]);
  });

  it('never continues a line with `when` or `-` on the next line', () => {
    expect(body('  Rows += { A = 1 }\n  when paid')).toEqual(['Rows += {A = 1}', 'when paid']);
  });

  it('continues after a binary operator, `=`, `(`, `,`, `if`, `then`, `else`, `by`, `as`, `at`, `not`, `:`', () => {
    expect(body('  X = a +\n    b')).toEqual(['X = (+ a b)']);
    expect(body('  X =\n    1')).toEqual(['X = 1']);
    expect(body('  X = f(\n    a,\n    b\n  )')).toEqual(['X = f(a b)']);
    expect(body('  X = [\n    1,\n    2,\n  ]')).toEqual(['X = [1 2]']);
    expect(body('  X = if\n a then\n b else\n c')).toEqual(['X = (if a b c)']);
    expect(body('  X = find x.y by\n K = 1')).toEqual(['X = (find x.y K 1)']);
    expect(body('  X = each xs as\n x at\n i { A = i }')).toEqual(['X = (each xs x i {A = i})']);
    expect(body('  when not\n paid')).toEqual(['when (not paid)']);
    expect(body('  when a and\n b or\n c')).toEqual(['when (or (and a b) c)']);
    expect(body('  on existing:\n update')).toEqual(['OnExisting']);
  });

  it('continues when the next line starts with `then`, `else`, `.`, or a binary operator', () => {
    expect(body('  X = if a\n    then b\n    else c')).toEqual(['X = (if a b c)']);
    expect(body('  X = a\n    .b\n    .c')).toEqual(['X = a.b.c']);
    expect(body('  when a\n    and b\n    or c')).toEqual(['when (or (and a b) c)']);
    expect(body('  X = a\n    ?? b\n    + c\n    * d')).toEqual(['X = (?? a (+ b (* c d)))']);
    expect(body('  when a\n    in b')).toEqual(['when (in a b)']);
  });

  it('ends the statement before a line starting with `-`', () => {
    const { ast, diagnostics } = parse('flow f: a.b -> c.d {\n  X = a\n  -1\n}\n', 'n.map');
    expect(diagnostics.map((d) => d.code)).toEqual(['ML1014']);
    expect((ast.items[0] as FlowDecl).body).toHaveLength(1);
  });

  it('starts a new statement at a line that plainly is one, even after a trailing operator or open bracket', () => {
    const text = 'flow f: a.b -> c.d {\n  X = a +\n  Y = f(1,\n  let z = 1\n  when z > 0\n}\n';
    const { ast, diagnostics } = parse(text, 'n.map');
    expect(diagnostics.map((d) => new SourceText('', text).lineCol(d.range.start).line)).toEqual([2, 3]);
    // The broken rules are kept with error expressions where their values could not be read.
    expect((ast.items[0] as FlowDecl).body.map((s) => (s.kind === 'Assign' ? showRule(s) : s.kind))).toEqual([
      'X = (+ a <error>)',
      'Y = f(1)',
      'Let',
      'When',
    ]);
  });

  it('keeps the tree when the file ends inside blocks', () => {
    const { ast, diagnostics } = parse('flow f: a.b -> c.d {\n  X = 1\n  on create {\n    Y = 2\n', 'n.map');
    expect(diagnostics.map((d) => d.code)).toEqual(['ML1011']);
    const body = (ast.items[0] as FlowDecl).body;
    expect(body.map((s) => s.kind)).toEqual(['Assign', 'OnCase']);
    expect(body[1]?.kind === 'OnCase' && body[1].body.rules.map(showRule)).toEqual(['Y = 2']);
  });

  it('skips a broken line with its whole `{ }` block, so the block does not close the flow', () => {
    const text = 'flow f: a.b -> c.d {\n  Y = each orderrows { A = 1 }\n  W = each xs {\n    A = 1\n  }\n  ) { B = 2 }\n  Z = 3\n}\n';
    const { ast, diagnostics } = parse(text, 'n.map');
    expect(diagnostics.map((d) => `${new SourceText('', text).lineCol(d.range.start).line} ${d.code}`)).toEqual([
      '2 ML1010',
      '3 ML1010',
      '6 ML1013',
    ]);
    expect(ast.items).toHaveLength(1);
    // The broken `each` is kept as far as it was read: no item name (an empty Ident), no rules.
    expect((ast.items[0] as FlowDecl).body.map((s) => (s.kind === 'Assign' ? showRule(s) : s.kind))).toEqual([
      'Y = (each orderrows  {})',
      'W = (each xs  {})',
      'Z = 3',
    ]);
  });

  it('does not treat a table fallback `else =>` as a continuation', () => {
    const { ast, diagnostics } = parse('table t {\n  1 => 2\n  else => 3\n}\n', 't.map');
    expect(diagnostics).toEqual([]);
    const table = ast.items[0]!;
    expect(table.kind === 'Table' && table.entries.length).toBe(1);
    expect(table.kind === 'Table' && table.fallback && show(table.fallback)).toBe('3');
  });

  it('reads soft keywords at a line end as names after a dot', () => {
    expect(body('  X = row.at\n  Y = row.by')).toEqual(['X = row.at', 'Y = row.by']);
  });

  it('collapses blank lines and comment lines', () => {
    expect(body('\n\n  X = 1 # one\n\n  # nothing\n\n  Y = 2')).toEqual(['X = 1', 'Y = 2']);
  });
});

describe('soft keywords', () => {
  it('are field names wherever a name is expected', () => {
    const words = ['identify', 'by', 'existing', 'missing', 'create', 'update', 'skip', 'as', 'at', 'write', 'back'];
    for (const word of words) {
      const text = `flow f: a.b -> c.d {\n  ${word} = ${word} + x.${word}\n  let ${word}_x = ${word}\n  X.${word} = 1\n}\n`;
      const { ast, diagnostics } = parse(text, 'k.map');
      expect(diagnostics, word).toEqual([]);
      const rules = (ast.items[0] as FlowDecl).body.map((s) => (s.kind === 'Assign' || s.kind === 'Let' ? showRule(s) : s.kind));
      expect(rules).toEqual([`${word} = (+ ${word} x.${word})`, `let ${word}_x = ${word}`, `X.${word} = 1`]);
    }
  });

  it('reserved keywords are names only after a dot; backticks quote any name', () => {
    expect(show(expr('order.not + x.when + y.settings'))).toBe('(+ (+ order.not x.when) y.settings)');
    expect(show(expr('`e-mail` + customer.`first name`'))).toBe('(+ e-mail customer.first name)');
    const { diagnostics } = parse('flow f: a.b -> c.d {\n  when = 1\n}\n', 'k.map');
    expect(diagnostics).toHaveLength(1);
  });
});
