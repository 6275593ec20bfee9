import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../language/diagnostic.js';
import { renderDiagnostic, renderDiagnostics, toJson } from '../../language/render.js';
import { SourceText } from '../../language/source-text.js';

const lines = Array.from({ length: 11 }, (_, i) => `# line ${i + 1}`);
lines.push('  InvoicePostalCode  = billing.zipcod');
const text = `${lines.join('\n')}\n`;
const source = new SourceText('mappings/orders.map', text);
const zipcod = text.indexOf('zipcod');

function diagnostic(start: number, end: number, extra: Partial<Diagnostic> = {}): Diagnostic {
  return {
    code: 'ML3001',
    severity: 'error',
    message: 'unknown source field "zipcod" on ccvshop.orders',
    file: 'mappings/orders.map',
    range: { start, end },
    hint: 'did you mean "zipcode"?',
    ...extra,
  };
}

describe('renderDiagnostic', () => {
  it('renders the house format: location, code, message, the line, carets under the range, the hint', () => {
    expect(renderDiagnostic(diagnostic(zipcod, zipcod + 6), source)).toBe(
      [
        'mappings/orders.map:12:32 error ML3001 unknown source field "zipcod" on ccvshop.orders',
        '   |',
        '12 |   InvoicePostalCode  = billing.zipcod',
        '   |                                ^^^^^^',
        '   = hint: did you mean "zipcode"?',
      ].join('\n'),
    );
  });

  it('sizes the gutter to the line number and leaves out a missing hint', () => {
    const src = new SourceText('a.map', 'x = 1\n');
    expect(renderDiagnostic({ ...diagnostic(4, 5), file: 'a.map', hint: undefined, severity: 'warning' }, src)).toBe(
      ['a.map:1:5 warning ML3001 unknown source field "zipcod" on ccvshop.orders', '  |', '1 | x = 1', '  |     ^'].join('\n'),
    );
  });

  it('draws one caret for an empty range, also at the end of a line', () => {
    const src = new SourceText('a.map', 'x =\ny');
    const out = renderDiagnostic({ ...diagnostic(3, 3), file: 'a.map' }, src).split('\n');
    expect(out[0]).toMatch(/^a\.map:1:4 /);
    expect(out[3]).toBe('  |    ^');
  });

  it('underlines a range spanning lines to the end of its first line', () => {
    const src = new SourceText('a.map', 'flow f {\n  x = 1\n}\n');
    const out = renderDiagnostic({ ...diagnostic(5, 20), file: 'a.map' }, src).split('\n');
    expect(out[2]).toBe('1 | flow f {');
    expect(out[3]).toBe('  |      ^^^');
  });

  it('expands tabs in the shown line and moves the carets with them', () => {
    const src = new SourceText('a.map', '\tx =\tvalue\n');
    const start = src.text.indexOf('value');
    const out = renderDiagnostic({ ...diagnostic(start, start + 5), file: 'a.map' }, src).split('\n');
    expect(out[0]).toMatch(/^a\.map:1:6 /); // columns count a tab as one character
    expect(out[2]).toBe('1 |     x = value');
    expect(out[3]).toBe('  |         ^^^^^');
  });

  it('renders the header and hint alone when the source is unknown', () => {
    expect(renderDiagnostic(diagnostic(0, 1), undefined)).toBe(
      'mappings/orders.map error ML3001 unknown source field "zipcod" on ccvshop.orders\n  = hint: did you mean "zipcode"?',
    );
  });

  it('colours only when asked', () => {
    expect(renderDiagnostic(diagnostic(zipcod, zipcod + 6), source)).not.toContain('\u001b[');
    const coloured = renderDiagnostic(diagnostic(zipcod, zipcod + 6), source, { color: true });
    expect(coloured).toContain('\u001b[31m');
    expect(coloured.replace(/\u001b\[\d+m/g, '')).toBe(renderDiagnostic(diagnostic(zipcod, zipcod + 6), source));
  });
});

describe('renderDiagnostics and toJson', () => {
  it('joins several diagnostics with a blank line and finds sources by map, record or function', () => {
    const list = [diagnostic(zipcod, zipcod + 6), diagnostic(0, 1)];
    const expected = `${renderDiagnostic(list[0]!, source)}\n\n${renderDiagnostic(list[1]!, source)}`;
    expect(renderDiagnostics(list, new Map([['mappings/orders.map', source]]))).toBe(expected);
    expect(renderDiagnostics(list, { 'mappings/orders.map': source })).toBe(expected);
    expect(renderDiagnostics(list, () => source)).toBe(expected);
  });

  it('adds 1-based line and column of both ends for --json', () => {
    expect(toJson(diagnostic(zipcod, zipcod + 6), source)).toEqual({
      ...diagnostic(zipcod, zipcod + 6),
      line: 12,
      column: 32,
      endLine: 12,
      endColumn: 38,
    });
  });
});
