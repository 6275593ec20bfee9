import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile } from '../../compiler/index.js';
import { connectors } from '../../connectors/registry.js';
import { parse } from '../../language/parse.js';
import { SyntaxCodes } from '../../language/syntax-codes.js';

const page = readFileSync(new URL('../../docs/language.md', import.meta.url), 'utf8');
const mapBlocks = [...page.matchAll(/```map\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe('docs/language.md', () => {
  it('has a ```map example per construct', () => {
    expect(mapBlocks.length).toBeGreaterThanOrEqual(12);
    for (const construct of ['settings {', 'table ', 'flow ', 'when ', 'identify by', 'on existing:', 'on missing:',
      'on create {', 'on update {', 'write back {', 'let ', '+= {', 'each ', 'find ', 'find? ', 'upsert ', 'if ', '`']) {
      expect(mapBlocks.some((b) => b.includes(construct)), construct).toBe(true);
    }
  });

  mapBlocks.forEach((block, i) => {
    it(`example ${i + 1} parses and compiles against the real connector schemas with no diagnostics`, () => {
      const name = `language-example-${i + 1}.map`;
      const { ast, diagnostics } = parse(block, name);
      expect(diagnostics).toEqual([]);
      expect(ast.items.length).toBeGreaterThan(0);
      expect(compile({ files: [{ name, text: block }], connectors }).diagnostics).toEqual([]);
    });
  });

  it('names every reserved and soft keyword', () => {
    for (const word of ['flow settings table when let each find upsert if then else and or not in true false null on',
      'identify by existing missing create update skip as at write back']) {
      expect(page).toContain(word);
    }
  });

  it('points at the codes the parser uses', () => {
    for (const code of ['ML1003', 'ML1005', 'ML1011', 'ML1017', 'ML1018', 'ML1019', 'ML1020', 'ML1021']) {
      expect(page).toContain(code);
      expect(Object.values(SyntaxCodes).some((s) => s.code === code)).toBe(true);
    }
  });
});
