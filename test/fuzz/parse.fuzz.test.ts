import { describe, expect, it } from 'vitest';
import { parse } from '../../language/parse.js';
import { fuzzCorpus } from './corpus.js';
import { createRng, mutants, mutate } from './mutate.js';
import { checkParseResult } from './targets.js';

describe('parse under fuzzing', () => {
  const corpus = fuzzCorpus();

  it('the mutation generator is deterministic for a seed and changes its input', () => {
    expect([...mutants(corpus, 20, 7)]).toEqual([...mutants(corpus, 20, 7)]);
    expect([...mutants(corpus, 20, 7)]).not.toEqual([...mutants(corpus, 20, 8)]);
    const rng = createRng(1);
    const changed = Array.from({ length: 50 }, () => mutate(corpus[0]!, rng)).filter((m) => m !== corpus[0]);
    expect(changed.length).toBeGreaterThan(40);
  });

  it('the corpus itself parses clean', () => {
    for (const text of corpus) expect(parse(text, 'corpus.map').diagnostics).toEqual([]);
  });

  it('never throws on 2000 mutants: every input gets a file node, diagnostics, and ranges inside the text', () => {
    const failures: string[] = [];
    let withDiagnostics = 0;
    for (const input of mutants(corpus, 2000, 20261129)) {
      try {
        const result = parse(input, 'fuzz.map');
        checkParseResult(input, result);
        if (result.diagnostics.length > 0) withDiagnostics++;
      } catch (error) {
        failures.push(`${String(error)}\n  input: ${JSON.stringify(input).slice(0, 400)}`);
      }
    }
    expect(failures.slice(0, 3)).toEqual([]);
    // The mutants really are broken, mostly: the fuzzer exercises the error paths.
    expect(withDiagnostics).toBeGreaterThan(1000);
  });
});
