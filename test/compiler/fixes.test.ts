import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile, compilerCodes } from '../../compiler/index.js';
import { asName } from '../../compiler/suggest.js';
import { connectors } from '../../connectors/registry.js';
import type { Diagnostic, Fix } from '../../language/diagnostic.js';

/**
 * Quick fixes are data on the diagnostic, made where the did-you-mean is computed: every diagnostic that
 * suggests a name carries the edit that writes it, and applying that edit makes the problem go away.
 */
const dir = join(import.meta.dirname, 'diagnostics');
const suggesting = new Set(Object.values(compilerCodes).filter((spec) => spec.hint?.includes('{suggestion}')).map((spec) => spec.code));

function check(name: string, text: string): readonly Diagnostic[] {
  return compile({ files: [{ name, text }], connectors }).diagnostics;
}

function apply(text: string, fix: Fix): string {
  return text.slice(0, fix.range.start) + fix.text + text.slice(fix.range.end);
}

describe('quick fixes on diagnostics', () => {
  const cases = readdirSync(dir).filter((f) => f.endsWith('.map')).sort();
  for (const file of cases) {
    const text = readFileSync(join(dir, file), 'utf8');
    const withHint = check(file, text).filter((d) => suggesting.has(d.code) && d.hint !== undefined);
    if (withHint.length === 0) continue;
    it(`${file}: every suggestion is a fix that resolves the problem`, () => {
      for (const diagnostic of withHint) {
        expect(diagnostic.fixes, `${diagnostic.code} ${diagnostic.message}`).toHaveLength(1);
        const fix = diagnostic.fixes![0]!;
        expect(diagnostic.hint).toContain(fix.text.replace(/^settings\./, ''));
        const after = check(file, apply(text, fix));
        const same = (d: Diagnostic) => d.code === diagnostic.code && d.range.start === diagnostic.range.start;
        expect(after.filter(same), `after "${fix.title}"`).toEqual([]);
      }
    });
  }

  it('covers every code whose hint suggests a name', () => {
    const seen = new Set(cases.flatMap((f) => check(f, readFileSync(join(dir, f), 'utf8')).filter((d) => d.fixes).map((d) => d.code)));
    expect([...suggesting].filter((code) => !seen.has(code))).toEqual([]);
  });

  it('has no fix when nothing is close enough to suggest', () => {
    const text = 'flow f: ccvshop.orders -> eaccounting.customers {\n  on missing: skip\n  Name = qqqqqqqqqq\n}\n';
    const [unknown] = check('f.map', text).filter((d) => d.code === compilerCodes.unknownField.code);
    expect(unknown?.hint).toBeUndefined();
    expect(unknown?.fixes).toBeUndefined();
  });

  it('writes `settings` alone as a full setting path, and odd names in backticks', () => {
    const text = 'settings {\n  currency = "EUR"\n}\nflow f: ccvshop.orders -> eaccounting.customers {\n  on missing: skip\n  Name = settings\n}\n';
    const [bare] = check('f.map', text).filter((d) => d.code === compilerCodes.unknownSetting.code);
    expect(bare?.fixes?.[0]).toMatchObject({ text: 'settings.currency', title: 'Change to "settings.currency"' });
    expect(asName('e-mail')).toBe('`e-mail`');
    expect(asName('flow')).toBe('`flow`');
    expect(asName('zipcode')).toBe('zipcode');
  });
});
