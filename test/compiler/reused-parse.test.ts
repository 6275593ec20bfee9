import { describe, expect, it } from 'vitest';
import { compile } from '../../compiler/compile.js';
import { connectors } from '../../connectors/registry.js';
import { parse, type ParseResult } from '../../language/parse.js';
import { mappingFiles } from './mappings-helper.js';

/**
 * The playground's checker compiles every open file on each keystroke and hands `compile` the trees of the
 * files that did not change. That is only right if checking and emitting never change a parsed tree.
 */
describe('compile with reused parse trees', () => {
  it('gives the same artifact and diagnostics as parsing afresh, however often a tree is reused', () => {
    const files = mappingFiles();
    const trees = new Map<string, ParseResult>();
    let parsed = 0;
    const cached = (text: string, name: string): ParseResult => {
      const key = `${name}\n${text}`;
      if (!trees.has(key)) {
        parsed++;
        trees.set(key, parse(text, name));
      }
      return trees.get(key)!;
    };
    const fresh = compile({ files, connectors });
    expect(fresh.artifact).not.toBeNull();
    // One file with an error between the runs: a failed check must not leave anything behind in the trees either.
    const broken = files.map((f, i) => (i === 0 ? { ...f, text: f.text.replace(/= (\w+)\n/, '= $1x\n') } : f));
    compile({ files, connectors, parse: cached });
    const withError = compile({ files: broken, connectors, parse: cached });
    expect(withError.artifact).toBeNull();
    const again = compile({ files, connectors, parse: cached });
    expect(parsed).toBe(files.length + 1);
    expect(again.artifact).toEqual(fresh.artifact);
    expect(again.diagnostics).toEqual(fresh.diagnostics);
    expect(withError.diagnostics).toEqual(compile({ files: broken, connectors }).diagnostics);
  });
});
