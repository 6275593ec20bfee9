import { describe, expect, it } from 'vitest';
import type { CompiledFlow } from '../../compiler/artifact.js';
import { compile } from '../../compiler/index.js';
import { builtins } from '../../compiler/stdlib/index.js';
import { evaluate } from './evaluate-helper.js';
import { testCatalog } from './test-catalog.js';

/** Compiles one flow from `t.things` to `t.out` with the given body, failing on any error. */
function flowOf(body: string, prelude = ''): CompiledFlow {
  const text = `${prelude}\nflow f: t.things -> t.out {\n  identify by Name = t\n  on existing: update\n  Name = "n"\n${body}\n}\n`;
  const result = compile({ files: [{ name: 'test.map', text }], connectors: testCatalog });
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0 || !result.artifact) throw new Error(errors.map((e) => `${e.code} ${e.message}`).join('\n'));
  return result.artifact.flows[0]!;
}

async function payload(body: string, record: unknown, prelude = ''): Promise<Record<string, unknown>> {
  const flow = flowOf(body, prelude);
  return (await evaluate(flow, flow.payload.create!, record)) as Record<string, unknown>;
}

async function valueOf(expr: string, record: unknown = {}, prelude = ''): Promise<unknown> {
  return (await payload(`  value = ${expr}`, record, prelude)).value;
}

describe('absent and null', () => {
  it('leaves a target field out when its value is absent, whether missing or JSON null', async () => {
    expect(await payload('  value = s', {})).not.toHaveProperty('value');
    expect(await payload('  value = s', { s: null })).not.toHaveProperty('value');
    expect(await payload('  value = s', { s: 'x' })).toHaveProperty('value', 'x');
  });

  it('clears a target field written as `= null`', async () => {
    expect(await payload('  value = null', { s: 'x' })).toHaveProperty('value', null);
  });

  it('compares with null as a test of presence', async () => {
    expect(await valueOf('s == null', { s: null })).toBe(true);
    expect(await valueOf('s == null', { s: 'x' })).toBe(false);
    expect(await valueOf('s != null', { s: 'x' })).toBe(true);
  });

  it('treats absent as different from any value, and not-absent as true', async () => {
    expect(await valueOf('s != "x"', {})).toBe(true);
    expect(await valueOf('s == "x"', {})).toBe(false);
    expect(await valueOf('not b', {})).toBe(true);
    expect(await valueOf('not b', { b: true })).toBe(false);
  });

  it('`??` gives the default only when the left side is absent', async () => {
    expect(await valueOf('s ?? "d"', { s: null })).toBe('d');
    expect(await valueOf('s ?? "d"', { s: '' })).toBe('');
    expect(await valueOf('n ?? 5', { n: 0 })).toBe(0);
  });

  it('`if` without `else` is absent when the condition is false', async () => {
    expect(await payload('  value = if b then "yes"', { b: false })).not.toHaveProperty('value');
    expect(await valueOf('if b then "yes" else "no"', { b: false })).toBe('no');
  });
});

describe('strings', () => {
  it('interpolation inserts values, and nothing for an absent value', async () => {
    expect(await valueOf('"{t} {n}{s}!"', { t: 'Kerkstraat', n: 12 })).toBe('Kerkstraat 12!');
    expect(await valueOf('"{s}"', {})).toBe('');
  });

  it('`+` of two strings joins them; of numbers adds', async () => {
    expect(await valueOf('t + "-" + s', { t: 'a', s: 'b' })).toBe('a-b');
    expect(await valueOf('n + i * 2', { n: 1.5, i: 2 })).toBe(5.5);
  });
});

describe('records, lists and tables', () => {
  it('reads nested fields and writes dotted targets as nested objects', async () => {
    expect(await payload('  Address.City = obj.a\n  Address.Zip = "1234"', { obj: { a: 'Gent' } })).toMatchObject({ Address: { City: 'Gent', Zip: '1234' } });
  });

  it('`each` always gives an array, even of one element, and none for an absent list', async () => {
    const body = '  Rows = each list as x at k {\n    LineNumber = k + 1\n    Amount = x.x\n  }';
    expect((await payload(body, { list: [{ x: 3 }] })).Rows).toEqual([{ LineNumber: 1, Amount: 3 }]);
    expect((await payload(body, { list: [{ x: 3 }, { x: 4 }] })).Rows).toEqual([{ LineNumber: 1, Amount: 3 }, { LineNumber: 2, Amount: 4 }]);
    expect((await payload(body, {})).Rows).toEqual([]);
  });

  it('`+=` appends an element only when its condition holds', async () => {
    const body = '  Rows = each list as x {\n    LineNumber = 1\n  }\n  Rows += {\n    LineNumber = 9\n  } when b';
    expect((await payload(body, { list: [{ x: 1 }], b: true })).Rows).toEqual([{ LineNumber: 1 }, { LineNumber: 9 }]);
    expect((await payload(body, { list: [{ x: 1 }], b: false })).Rows).toEqual([{ LineNumber: 1 }]);
  });

  it('aggregates read through lists; `in` tests membership', async () => {
    expect(await valueOf('sum(list.x)', { list: [{ x: 1 }, { x: 2.5 }] })).toBe(3.5);
    expect(await valueOf('count(list)', { list: [{ x: 1 }] })).toBe(1);
    expect(await valueOf('t in tags', { t: 'b', tags: ['a', 'b'] })).toBe(true);
  });

  it('a table gives the value for the key, the else value for an unknown key, and absent without else', async () => {
    const prelude = 'table codes {\n  "a" => 1\n  2 => "two"\n  else => 0\n}\ntable strict {\n  "a" => 1\n}';
    expect(await valueOf('codes[t]', { t: 'a' }, prelude)).toBe(1);
    expect(await valueOf('codes[i]', { i: 2 }, prelude)).toBe('two');
    expect(await valueOf('codes[t]', { t: 'zz' }, prelude)).toBe(0);
    expect(await payload('  value = strict[t]', { t: 'zz' }, prelude)).not.toHaveProperty('value');
  });

  it('settings are read with their defaults; a null setting counts as absent', async () => {
    const prelude = 'settings {\n  rate = 21\n  nothing = null\n}';
    expect(await valueOf('settings.rate', {}, prelude)).toBe(21);
    expect(await valueOf('settings.nothing != null', {}, prelude)).toBe(false);
  });
});

describe('create and update payloads', () => {
  it('`on create` rules are only in the create payload, `on update` only in the update payload', async () => {
    const flow = flowOf('  on create {\n    Count = 1\n  }\n  on update {\n    Price = 2\n  }');
    expect(await evaluate(flow, flow.payload.create!, {})).toEqual({ Name: 'n', Count: 1 });
    expect(await evaluate(flow, flow.payload.update!, {})).toEqual({ Name: 'n', Price: 2 });
  });
});

describe('standard library examples (from the registry, run as tests)', () => {
  for (const builtin of builtins.values()) {
    for (const example of builtin.examples) {
      it(`${example.expr} = ${JSON.stringify(example.result)}`, async () => {
        expect(await valueOf(example.expr)).toEqual(example.result);
      });
    }
  }
});
