import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile, type CompiledFlow, type Json } from '../../../compiler/index.js';
import { connectors } from '../../../connectors/registry.js';
import { defaultSettings } from '../../../runtime/engine/run.js';
import type { RecordOutcome } from '../../../runtime/engine/types.js';
import { runFixtureFile } from '../../../runtime/fixtures/run-fixtures.js';
import { fuzzCorpus } from '../../fuzz/corpus.js';
import { mutants } from '../../fuzz/mutate.js';
import {
  compareOnce,
  evaluatorsFor,
  fragmentsOf,
  lookupDataFor,
  settingsFor,
  sourceRecordFor,
  stringsOf,
  targetRecordFor,
  type Tally,
} from './differential.js';

/**
 * The differential test of the two evaluator backends: JSONata, and the JavaScript backend that compiles the same
 * JSONata to closures. Every mapping test case and many made-up records must give the same payloads and the same
 * errors under both. `MAPLINE_DIFFERENTIAL_RUNS` raises the number of made-up records per flow (default 60).
 */
const root = join(import.meta.dirname, '../../..');
const testsDir = join(root, 'mappings/tests');
const runsPerFlow = Number(process.env.MAPLINE_DIFFERENTIAL_RUNS ?? 60);

function defaultFlows(): CompiledFlow[] {
  const files = readdirSync(join(root, 'mappings')).filter((f) => f.endsWith('.map')).sort();
  const result = compile({ files: files.map((f) => ({ name: `mappings/${f}`, text: readFileSync(join(root, 'mappings', f), 'utf8') })), connectors });
  if (!result.artifact) throw new Error('the default mappings do not compile');
  return [...result.artifact.flows];
}

/** What a user sees of a record's outcome in a mapping test (durations left out: they are clock readings). */
function seen(outcome: RecordOutcome | undefined): unknown {
  if (!outcome) return undefined;
  const { sourceId, action, reason, targetId, payload, upserts } = outcome;
  return { sourceId, action, reason, targetId, payload, upserts };
}

describe('the JavaScript evaluator backend gives what JSONata gives', () => {
  it('evaluates every fragment of the default mappings itself (none is left to JSONata)', async () => {
    for (const flow of defaultFlows()) {
      const evaluators = evaluatorsFor(flow, defaultSettings(flow));
      for (const { role, fragment } of fragmentsOf(flow)) {
        expect({ flow: flow.name, role, ...(await evaluators.auto.backendFor(fragment)) }).toEqual({ flow: flow.name, role, backend: 'js' });
      }
    }
  });

  it('on every mapping test case in mappings/tests: the same outcome, payload and reason', async () => {
    let cases = 0;
    for (const file of readdirSync(testsDir).filter((f) => f.endsWith('.test.json')).sort()) {
      const path = join(testsDir, file);
      const viaJsonata = await runFixtureFile(path, { backend: 'jsonata' });
      const viaAuto = await runFixtureFile(path, { backend: 'auto' });
      const viaJs = await runFixtureFile(path, { backend: 'js' });
      expect(viaJsonata.every((r) => r.passed), `${file} passes under JSONata`).toBe(true);
      expect(viaAuto.map((r) => ({ name: r.name, outcome: seen(r.outcome) }))).toEqual(viaJsonata.map((r) => ({ name: r.name, outcome: seen(r.outcome) })));
      // The JS backend alone reports its own error texts; what it does with each record must be the same.
      const strict = (results: typeof viaJs) =>
        results.map((r) => ({ name: r.name, action: r.outcome?.action, payload: r.outcome?.payload, reason: r.outcome?.action === 'fail' ? '(its own words)' : r.outcome?.reason }));
      expect(strict(viaJs)).toEqual(strict(viaJsonata));
      cases += viaJsonata.length;
    }
    expect(cases).toBeGreaterThanOrEqual(40);
  });

  it(`on ${runsPerFlow} made-up records per flow of the default mappings, every fragment, with lookups answered at once or later`, async () => {
    const tally: Tally = { evaluations: 0, bothOk: 0, bothFailed: 0 };
    let seed = 1;
    for (const flow of defaultFlows()) {
      const strings = stringsOf(flow);
      const data = lookupDataFor(flow, strings);
      // A few settings variants per flow (an evaluator is made per variant), many records per variant.
      for (const settings of [defaultSettings(flow), ...fc.sample(settingsFor(flow, strings), { numRuns: 2, seed: seed++ })]) {
        const evaluators = evaluatorsFor(flow, settings);
        await fc.assert(
          fc.asyncProperty(sourceRecordFor(flow, strings), targetRecordFor(flow, strings), fc.boolean(), async (record, target, synchronous) => {
            for (const { role, fragment, withTarget } of fragmentsOf(flow)) {
              const problems = await compareOnce(evaluators, fragment, record, data, synchronous, withTarget ? { target } : {}, tally);
              if (problems.length > 0) throw new Error(`${flow.name} ${role}, settings ${JSON.stringify(settings)}:\n${problems.join('\n')}`);
            }
          }),
          { numRuns: Math.ceil(runsPerFlow / 3), seed: seed++, endOnFailure: true },
        );
      }
    }
    // Made-up records must mostly get through (else the comparison says little about payloads) and sometimes fail.
    expect(tally.bothOk).toBeGreaterThan(tally.evaluations / 2);
    expect(tally.bothFailed).toBeGreaterThan(0);
  });

  it('on mutants of the default mappings and the language examples that still compile', async () => {
    const tally: Tally = { evaluations: 0, bothOk: 0, bothFailed: 0 };
    let compiledMutants = 0;
    let seed = 7;
    for (const text of mutants(fuzzCorpus(), 400, 2024)) {
      const result = compile({ files: [{ name: 'mutant.map', text }], connectors });
      if (!result.artifact || result.diagnostics.some((d) => d.severity === 'error')) continue;
      compiledMutants++;
      for (const flow of result.artifact.flows) {
        const strings = stringsOf(flow);
        const data = lookupDataFor(flow, strings);
        const evaluators = evaluatorsFor(flow, defaultSettings(flow));
        const samples = fc.sample(fc.tuple(sourceRecordFor(flow, strings), targetRecordFor(flow, strings), fc.boolean()), { numRuns: 3, seed: seed++ });
        for (const [record, target, synchronous] of samples) {
          for (const { role, fragment, withTarget } of fragmentsOf(flow)) {
            const problems = await compareOnce(evaluators, fragment, record as Json, data, synchronous, withTarget ? { target: target as Json } : {}, tally);
            expect(problems, `${flow.name} ${role} of mutant:\n${text}`).toEqual([]);
          }
        }
      }
    }
    expect(compiledMutants).toBeGreaterThan(50);
    expect(tally.bothOk).toBeGreaterThan(0);
  });
});
