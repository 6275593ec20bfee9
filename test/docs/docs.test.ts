import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from '../../compiler/index.js';
import { compilerCodes } from '../../compiler/codes.js';
import { connectors } from '../../connectors/registry.js';
import { errorCodesPage, stdlibPage } from '../../docs/generate/reference.js';
import { repoRoot } from '../helpers/cli.js';

const doc = (name: string) => readFileSync(join(repoRoot, 'docs', name), 'utf8');

function mapBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```map\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

describe('docs/language-semantics.md', () => {
  const blocks = mapBlocks(doc('language-semantics.md'));

  it('has an example per construct', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(7);
  });

  blocks.forEach((block, i) => {
    it(`example ${i + 1} compiles against the real connector schemas with no error`, () => {
      const result = compile({ files: [{ name: `semantics-example-${i + 1}.map`, text: block }], connectors });
      expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(result.artifact?.flows.length).toBeGreaterThan(0);
    });
  });
});

describe('generated reference pages', () => {
  it('docs/stdlib.md is what `npm run docs` writes', () => {
    expect(doc('stdlib.md')).toBe(stdlibPage());
  });

  it('docs/error-codes.md is what `npm run docs` writes', () => {
    expect(doc('error-codes.md')).toBe(errorCodesPage());
  });

  it('each compiler code with an example produces that code', () => {
    for (const spec of Object.values(compilerCodes)) {
      if (!spec.example) continue;
      const result = compile({ files: [{ name: 'example.map', text: spec.example }], connectors });
      expect(result.diagnostics.map((d) => d.code), spec.code).toContain(spec.code);
    }
  });
});

describe('the language sketch (design/language.md, copied by scripts/vendor-reference.ts)', () => {
  it('compiles with no diagnostics at all', () => {
    const text = readFileSync(join(repoRoot, 'test/compiler/fixtures/sketch.map'), 'utf8');
    expect(compile({ files: [{ name: 'sketch.map', text }], connectors }).diagnostics).toEqual([]);
  });
});
