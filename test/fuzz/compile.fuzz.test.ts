import { describe, expect, it } from 'vitest';
import { fuzzCorpus } from './corpus.js';
import { compileTarget } from './compile-target.js';
import { mutants } from './mutate.js';

describe('parse + check + emit under fuzzing', () => {
  it('the corpus compiles into JSONata that parses', () => {
    for (const text of fuzzCorpus()) expect(() => compileTarget.run(text)).not.toThrow();
  });

  it('never throws on 2000 grammar-aware mutants of the default mappings and examples', () => {
    const failures: string[] = [];
    for (const input of mutants(fuzzCorpus(), 2000, 4242)) {
      try {
        compileTarget.run(input);
      } catch (error) {
        failures.push(`${String(error)}\n  input: ${JSON.stringify(input).slice(0, 400)}`);
      }
    }
    expect(failures.slice(0, 3)).toEqual([]);
  });
});
