import { describe, expect, it } from 'vitest';
import type { Fragment, Json } from '../../../compiler/artifact.js';
import { FlowEvaluator, locatorFor, type LookupHost } from '../../../runtime/evaluate/index.js';

const mapText = ['flow orders: ccvshop.orders -> eaccounting.orders {', '  YourReference = ordernumber_full', '  Rows = each orderrows as row {', '    ArticleId = (find eaccounting.articles by Number = row.product_number).Id', '  }', '}'].join('\n');
const lineStart = (line: number): number => mapText.split('\n').slice(0, line - 1).join('\n').length + (line > 1 ? 1 : 0);
const locate = locatorFor({ 'orders.map': mapText });

function fragment(jsonata: string, line = 2, segments: Fragment['segments'] = []): Fragment {
  return { jsonata, location: { file: 'orders.map', range: { start: lineStart(line), end: lineStart(line) + 5 } }, segments };
}

/** A host over an in-memory list of records per entity, recording the upserts it is asked for. */
function memoryHost(data: Record<string, Json[]>): LookupHost & { upserts: Json[][] } {
  const upserts: Json[][] = [];
  return {
    upserts,
    async lookup(entity, key, value) {
      return (data[entity] ?? []).filter((r) => r !== null && typeof r === 'object' && !Array.isArray(r) && r[key] === value);
    },
    async upsert(entity, key, value, payload) {
      upserts.push([entity, key, value, payload]);
      return { Id: `new-${String(value)}`, Extra: null };
    },
  };
}

const articles = { 'eaccounting.articles': [{ Id: 'A1', Number: 'SKU-1' }, { Id: 'A2', Number: 'DUP' }, { Id: 'A3', Number: 'DUP' }] };

function evaluator(extra: Partial<ConstructorParameters<typeof FlowEvaluator>[0]> = {}): FlowEvaluator {
  return new FlowEvaluator({ settings: { only_paid: true, shipping_article: 'VERZEND' }, tables: {}, locate, ...extra });
}

describe('FlowEvaluator', () => {
  it('evaluates against the record with $settings bound and null-valued keys removed', async () => {
    const result = await evaluator().evaluate(
      fragment('{ "ref": ordernumber_full, "paid": $settings.only_paid, "hasCompany": $exists(customer.company), "n": $count(rows) }'),
      { ordernumber_full: 'WEB-1', customer: { company: null, email: 'a@b.nl' }, rows: [null, 1] },
      memoryHost({}),
    );
    expect(result).toEqual({ ok: true, value: { ref: 'WEB-1', paid: true, hasCompany: false, n: 2 } });
  });

  it('treats a null setting as absent, as the language says', async () => {
    const ev = evaluator({ settings: { default_customer: null, n: 1 } });
    const result = await ev.evaluate(fragment('[$exists($settings.default_customer), $exists($settings.n)]'), {}, memoryHost({}));
    expect(result).toEqual({ ok: true, value: [false, true] });
  });

  it('binds the standard library and extra variables such as $target', async () => {
    const ev = evaluator({ stdlib: { shout: (s: string) => `${s}!` } });
    const result = await ev.evaluate(fragment('$shout(name) & " " & $target.Id'), { name: 'x' }, memoryHost({}), { target: { Id: 'T1', Gone: null } });
    expect(result).toEqual({ ok: true, value: 'x! T1' });
  });

  it('compiles each fragment once however many records it runs on', async () => {
    const ev = evaluator();
    const f = fragment('id * 2');
    for (const id of [1, 2, 3]) expect(await ev.evaluate(f, { id }, memoryHost({}))).toEqual({ ok: true, value: id * 2 });
    await ev.evaluate(fragment('id + 1'), { id: 1 }, memoryHost({}));
    expect(ev.compiledCount).toBe(2);
  });

  it('resolves $find and fails the record on a missing article, naming the SKU and the .map line', async () => {
    const ev = evaluator();
    const f = fragment('orderrows.{ "ArticleId": $find("eaccounting.articles", "Number", product_number).Id }', 4);
    const found = await ev.evaluate(f, { orderrows: [{ product_number: 'SKU-1' }] }, memoryHost(articles));
    expect(found).toEqual({ ok: true, value: { ArticleId: 'A1' } });

    const missing = await ev.evaluate(f, { orderrows: [{ product_number: 'SKU-1' }, { product_number: 'SKU-404' }] }, memoryHost(articles));
    expect(missing.ok).toBe(false);
    if (missing.ok) return;
    expect(missing.error.message).toBe('orders.map:4:1: no eaccounting.articles with Number = "SKU-404"');
    expect(missing.error.lookup).toEqual({ entity: 'eaccounting.articles', key: 'Number', value: 'SKU-404', kind: 'missing' });
  });

  it('fails $find on an ambiguous match and on an absent key; $findOptional yields absent on a miss', async () => {
    const ev = evaluator();
    const host = memoryHost(articles);
    const ambiguous = await ev.evaluate(fragment('$find("eaccounting.articles", "Number", "DUP")'), {}, host);
    expect(!ambiguous.ok && ambiguous.error.message).toMatch(/2 eaccounting.articles have Number = "DUP"; expected one/);
    const absent = await ev.evaluate(fragment('$find("eaccounting.articles", "Number", nothing)'), { nothing: null }, host);
    expect(!absent.ok && absent.error.lookup?.kind).toBe('absent-key');
    const optional = await ev.evaluate(fragment('{ "a": $findOptional("eaccounting.articles", "Number", "NOPE").Id, "b": 1 }'), {}, host);
    expect(optional).toEqual({ ok: true, value: { b: 1 } });
  });

  it('passes $upsert to the host with key and payload and returns the normalised record', async () => {
    const host = memoryHost({});
    const result = await evaluator().evaluate(
      fragment('$upsert("eaccounting.customers", "EmailAddress", email, { "Name": name, "EmailAddress": email })'),
      { email: 'a@b.nl', name: 'Ann' },
      host,
    );
    expect(result).toEqual({ ok: true, value: { Id: 'new-a@b.nl' } });
    expect(host.upserts).toEqual([['eaccounting.customers', 'EmailAddress', 'a@b.nl', { Name: 'Ann', EmailAddress: 'a@b.nl' }]]);
  });

  it('stops runaway expressions as a failed value, not a crash', async () => {
    const ev = evaluator({ timeoutMs: 300, maxDepth: 200, maxSequence: 1000 });
    const host = memoryHost({});
    const deep = await ev.evaluate(fragment('( $f := function($n){ 1 + $f($n + 1) }; $f(0) )'), {}, host);
    expect(!deep.ok && deep.error).toMatchObject({ code: 'D1011', message: expect.stringMatching(/^orders\.map:2:1: .*nested too deeply/) });
    const loop = await ev.evaluate(fragment('( $f := function($n){ $f($n + 1) }; $f(0) )'), {}, host);
    expect(!loop.ok && loop.error).toMatchObject({ code: 'D1012', message: expect.stringMatching(/ran too long/) });
    const huge = await ev.evaluate(fragment('$count([1..100000])'), {}, host);
    expect(!huge.ok && huge.error.code).toBe('D2015');
    // The evaluator is still usable afterwards.
    expect(await ev.evaluate(fragment('1 + 1'), {}, host)).toEqual({ ok: true, value: 2 });
  });

  it('reports a JSONata error at the innermost source segment containing its position', async () => {
    const jsonataText = '{ "YourReference": ordernumber_full, "Rows": $count(orderrows) + "x" }';
    const rowsAt = jsonataText.indexOf('$count');
    const segments = [
      { from: 0, to: jsonataText.length, range: { start: lineStart(1), end: lineStart(1) + 4 } },
      { from: rowsAt, to: jsonataText.length - 2, range: { start: lineStart(3) + 2, end: lineStart(3) + 6 } },
    ];
    const result = await evaluator().evaluate(fragment(jsonataText, 1, segments), { ordernumber_full: 'W', orderrows: [1] }, memoryHost({}));
    expect(!result.ok && result.error.where).toBe('orders.map:3:3');
    expect(!result.ok && result.error.code).toMatch(/^T200/);
  });

  it('turns a fragment that does not compile into an error value naming its place', async () => {
    const result = await evaluator().evaluate(fragment('foo.bar + ', 2), {}, memoryHost({}));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ code: 'compile', where: 'orders.map:2:1' });
  });
});
