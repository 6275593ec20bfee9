import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile, type CompiledFlow, type Json } from '../../../compiler/index.js';
import { stdlibBindings } from '../../../compiler/stdlib/index.js';
import { connectors } from '../../../connectors/registry.js';
import { defaultSettings } from '../../../runtime/engine/run.js';
import { FlowEvaluator, type Backend } from '../../../runtime/evaluate/evaluator.js';
import { compareOnce, evaluatorsFor, memoryHost, type LookupData, type Tally } from './differential.js';

/**
 * The differential test's comparison must be able to fail: a JavaScript backend whose closures compute one
 * thing wrong, or place an error elsewhere, is reported, on a real mapping test record with a real payload.
 */
const root = join(import.meta.dirname, '../../..');
const fixture = JSON.parse(readFileSync(join(root, 'mappings/tests/orders.test.json'), 'utf8')) as {
  data: LookupData;
  cases: { name: string; source: Json }[];
};

function ordersFlow(): CompiledFlow {
  const text = readFileSync(join(root, 'mappings/orders.map'), 'utf8');
  const flow = compile({ files: [{ name: 'mappings/orders.map', text }], connectors }).artifact?.flows.find((f) => f.name === 'orders');
  if (!flow?.payload.create) throw new Error('mappings/orders.map does not compile');
  return flow;
}

/** The three evaluators, with the JavaScript one's standard library changed as `sabotage` says. */
function withBrokenJs(flow: CompiledFlow, sabotage: Record<string, unknown>): Record<Backend, FlowEvaluator> {
  return {
    ...evaluatorsFor(flow, defaultSettings(flow)),
    js: new FlowEvaluator({ settings: defaultSettings(flow), tables: flow.tables, stdlib: { ...stdlibBindings, ...sabotage }, backend: 'js' }),
  };
}

const tally = (): Tally => ({ evaluations: 0, bothOk: 0, bothFailed: 0 });

describe('the differential comparison', () => {
  const flow = ordersFlow();
  const fragment = flow.payload.create!;
  const record = fixture.cases[0]!.source;

  it('finds nothing to report when both backends are sound, and compares a real payload', async () => {
    const seen = tally();
    expect(await compareOnce(evaluatorsFor(flow, defaultSettings(flow)), fragment, record, fixture.data, true, {}, seen)).toEqual([]);
    expect(seen).toEqual({ evaluations: 1, bothOk: 1, bothFailed: 0 });
    // Not an empty or absent value: the comparison above compared an order with rows and prices.
    const payload = await evaluatorsFor(flow, defaultSettings(flow)).js.evaluate(fragment, record, memoryHost(fixture.data, true));
    const rows = payload.ok ? ((payload.value as { Rows?: { UnitPrice?: unknown }[] }).Rows ?? []) : [];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => typeof row.UnitPrice === 'number')).toBe(true);
  });

  it('reports a JavaScript backend whose rounding is a cent off', async () => {
    const roundHalfUp = stdlibBindings.roundHalfUp as (value: number | undefined, decimals?: number) => number | undefined;
    const evaluators = withBrokenJs(flow, { roundHalfUp: (value: number | undefined, decimals?: number) => (value === undefined ? undefined : roundHalfUp(value, decimals)! + 0.01) });
    const problems = await compareOnce(evaluators, fragment, record, fixture.data, true, {}, tally());
    expect(problems.join('\n')).toMatch(/^values differ: /);
  });

  it('reports a JavaScript backend that fails where JSONata does not', async () => {
    const evaluators = withBrokenJs(flow, {
      toDate: () => {
        throw new Error('broken');
      },
    });
    const problems = await compareOnce(evaluators, fragment, record, fixture.data, false, {}, tally());
    expect(problems.join('\n')).toMatch(/^JSONata succeeded, the JS backend failed/);
  });

  it('reports an error placed elsewhere or with another code', async () => {
    // No articles: both fail on the first row's lookup; the broken backend fails first, in another place.
    const evaluators = withBrokenJs(flow, {
      substring: () => {
        throw Object.assign(new Error('broken'), { code: 'T0410' });
      },
    });
    const seen = tally();
    const problems = await compareOnce(evaluators, fragment, record, { ...fixture.data, 'eaccounting.articles': [] }, true, {}, seen);
    expect(seen.bothFailed).toBe(1);
    expect(problems.join('\n')).toMatch(/^errors differ: error lookup .* \/ error T0410/);
  });
});
