import { describe, expect, it } from 'vitest';
import { compile } from '../../compiler/index.js';
import { testCatalog } from './test-catalog.js';

function diagnostics(text: string) {
  return compile({ files: [{ name: 'case.map', text }], connectors: testCatalog }).diagnostics.map((d) => ({
    code: d.code,
    message: d.message,
    at: text.slice(d.range.start, d.range.end),
  }));
}

describe('checks that need a connector whose create and update schemas differ', () => {
  it('a common rule on a field only the create schema has must move into `on create` (ML3012)', () => {
    const found = diagnostics('flow f: t.things -> t.partial {\n  identify by Name = t\n  on existing: update\n  Name = t\n  Count = i\n}\n');
    expect(found).toEqual([
      { code: 'ML3012', message: '"Count" can only be written when the flow creates a record on t.partial', at: 'Count' },
    ]);
  });

  it('the same rule inside `on create` is accepted', () => {
    expect(diagnostics('flow f: t.things -> t.partial {\n  identify by Name = t\n  on existing: update\n  Name = t\n  on create {\n    Count = i\n  }\n}\n')).toEqual([]);
  });

  it('a flow that never creates does not demand the create schema\'s required fields', () => {
    expect(diagnostics('flow f: t.things -> t.out {\n  on missing: skip\n  on existing: update\n  Count = i\n}\n')).toEqual([]);
    expect(diagnostics('flow f: t.things -> t.out {\n  identify by Name = t\n  Count = i\n}\n').map((d) => d.code)).toEqual(['ML3003']);
  });

  it('reports problems from the parser and the checker of one file in one run', () => {
    const codes = diagnostics('flow f: t.things -> t.out {\n  on missing: skip\n  Count = i +\n  Nmae = t\n  Price = s\n}\n').map((d) => d.code);
    expect(codes.filter((c) => c.startsWith('ML1')).length).toBeGreaterThan(0);
    expect(codes).toContain('ML3001');
    expect(codes).toContain('ML3004');
  });

  it('flow names are global across files; settings and tables are per file', () => {
    const files = [
      { name: 'a.map', text: 'settings {\n  x = 1\n}\nflow f: t.things -> t.out {\n  on missing: skip\n  Count = settings.x\n}\n' },
      { name: 'b.map', text: 'settings {\n  x = "text"\n}\nflow f: t.things -> t.out {\n  on missing: skip\n  Name = settings.x\n}\n' },
    ];
    const result = compile({ files, connectors: testCatalog });
    expect(result.diagnostics.map((d) => `${d.file} ${d.code} ${d.message}`)).toEqual(['b.map ML2006 flow "f" is defined twice']);
  });
});
