import { describe, expect, it } from 'vitest';
import { compile } from '../../compiler/compile.js';
import { CompileCache } from '../../compiler/compile-cache.js';
import { connectors } from '../../connectors/registry.js';
import { mappingFiles } from './mappings-helper.js';

/**
 * The playground's checker compiles every open file on each keystroke through one CompileCache: unchanged files
 * keep their parse trees, checks and emitted flows. Whatever the edits in between, a compile through the cache
 * must give what a fresh compile gives, flow names across files included.
 */
function fresh(files: { name: string; text: string }[]) {
  const { artifact, diagnostics } = compile({ files, connectors });
  return { artifact, diagnostics };
}

function cached(cache: CompileCache, files: { name: string; text: string }[]) {
  const { artifact, diagnostics } = compile({ files, connectors, cache });
  return { artifact, diagnostics };
}

describe('compile through a CompileCache', () => {
  it('gives what a fresh compile gives, through edits that break a file, duplicate a flow name and mend both', () => {
    const files = mappingFiles();
    const [first, second] = files;
    const flowName = /flow (\w+)/.exec(first!.text)![1]!;
    const otherName = /flow (\w+)/.exec(second!.text)![1]!;
    const steps = [
      files,
      // A typo in one file: it has errors, the artifact is gone.
      files.map((f, i) => (i === 0 ? { ...f, text: f.text.replace(/= (\w+)\n/, '= $1x\n') } : f)),
      // The second file's flow takes the first's name: a duplicate across files, reported in the second.
      files.map((f, i) => (i === 1 ? { ...f, text: f.text.replace(`flow ${otherName}`, `flow ${flowName}`) } : f)),
      // The first file's flow renamed away: the second's flow is no longer a duplicate; its own problems show.
      files.map((f, i) => (i === 0 ? { ...f, text: f.text.replace(`flow ${flowName}`, `flow ${flowName}_renamed`) } : i === 1 ? { ...f, text: f.text.replace(`flow ${otherName}`, `flow ${flowName}`) } : f)),
      files,
    ];
    const cache = new CompileCache();
    for (const [i, step] of steps.entries()) {
      expect(cached(cache, step), `step ${i}`).toEqual(fresh(step));
    }
    expect(cached(cache, files).artifact).not.toBeNull();
    // The steps do what they say: the duplicate is reported in the second file, and gone once renamed.
    const duplicate = (step: number) => fresh(steps[step]!).diagnostics.filter((d) => d.code === 'ML2006' && d.message === `flow "${flowName}" is defined twice`);
    expect(duplicate(2).map((d) => d.file)).toEqual([second!.name]);
    expect(duplicate(3)).toEqual([]);
    expect(fresh(steps[1]!).artifact).toBeNull();
  });

  it('reuses the trees, checks and emitted flows of the files that did not change', () => {
    const files = mappingFiles();
    const cache = new CompileCache();
    const before = compile({ files, connectors, cache });
    const edited = files.map((f, i) => (i === files.length - 1 ? { ...f, text: `${f.text}\n# an edit\n` } : f));
    const after = compile({ files: edited, connectors, cache });
    expect(after.asts.slice(0, -1)).toEqual(before.asts.slice(0, -1));
    for (let i = 0; i < files.length - 1; i++) expect(after.asts[i]).toBe(before.asts[i]);
    expect(after.asts.at(-1)).not.toBe(before.asts.at(-1));
    const unchanged = before.artifact!.flows.filter((f) => f.location.file !== files.at(-1)!.name);
    expect(unchanged.length).toBeGreaterThan(0);
    for (const flow of unchanged) expect(after.artifact!.flows).toContain(flow);
  });
});
