import { describe, expect, it } from 'vitest';
import type { FlowDecl, StringLit } from '../../language/ast.js';
import { parse } from '../../language/parse.js';
import { show } from './ast-print.js';

/** Parses `X = <literal>` and returns the string literal and the whole text. */
function lit(source: string): { value: StringLit; text: string } {
  const text = `flow f: a.b -> c.d {\n  X = ${source}\n}\n`;
  const { ast, diagnostics } = parse(text, 's.map');
  expect(diagnostics).toEqual([]);
  const rule = (ast.items[0] as FlowDecl).body[0]!;
  if (rule.kind !== 'Assign' || rule.value.kind !== 'String') throw new Error('expected a string');
  return { value: rule.value, text };
}

const parts = (s: StringLit): string[] =>
  s.parts.map((p) => (p.kind === 'Text' ? `text:${p.value}` : `expr:${show(p.expr)}`));

describe('string literals', () => {
  it('resolve the escapes \\" \\\\ \\n \\t \\{ \\}', () => {
    const { value } = lit('"a\\"b\\\\c\\nd\\te\\{f\\}"');
    expect(parts(value)).toEqual(['text:a"b\\c\nd\te{f}']);
  });

  it('have no parts when empty and keep `#` as text', () => {
    expect(lit('""').value.parts).toEqual([]);
    expect(parts(lit('"# not a comment"').value)).toEqual(['text:# not a comment']);
  });

  it('split into text and interpolations with exact ranges', () => {
    const { value, text } = lit('"Order {number} of {customer.name}!"');
    expect(parts(value)).toEqual(['text:Order ', 'expr:number', 'text: of ', 'expr:customer.name', 'text:!']);
    expect(value.parts.map((p) => text.slice(p.range.start, p.range.end))).toEqual([
      'Order ', '{number}', ' of ', '{customer.name}', '!',
    ]);
    const hole = value.parts[3]!;
    if (hole.kind === 'Interpolation') expect(text.slice(hole.expr.range.start, hole.expr.range.end)).toBe('customer.name');
  });

  it('interpolate any expression, with nested braces and nested strings', () => {
    expect(parts(lit('"{terms["x"]}"').value)).toEqual(['expr:terms["x"]']);
    expect(parts(lit('"{a ?? "none"} / {if b then "y {c}" else "n"}"').value)).toEqual([
      'expr:(?? a "none")',
      'text: / ',
      'expr:(if b "y {c}" "n")',
    ]);
    expect(parts(lit('"{each xs as x { A = "{x}" }}"').value)).toEqual(['expr:(each xs x {A = "{x}"})']);
  });

  it('report unterminated strings and holes without losing the next lines', () => {
    const text = 'flow f: a.b -> c.d {\n  X = "abc\n  Y = "a {b"\n  Z = "{}"\n  W = "\\q"\n  V = 1\n}\n';
    const { ast, diagnostics } = parse(text, 's.map');
    expect(diagnostics.map((d) => d.code)).toEqual(['ML1001', 'ML1004', 'ML1005', 'ML1003']);
    const names = (ast.items[0] as FlowDecl).body.map((s) => (s.kind === 'Assign' ? s.target.segments[0]!.name : s.kind));
    expect(names).toContain('V');
  });

  it('report syntax errors inside a hole at their place in the file', () => {
    const text = 'flow f: a.b -> c.d {\n  X = "total: {1 + }"\n}\n';
    const { diagnostics } = parse(text, 's.map');
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]!.code).toBe('ML1012');
    expect(text.slice(0, diagnostics[0]!.range.start).endsWith('{1 + ')).toBe(true);
  });
});
