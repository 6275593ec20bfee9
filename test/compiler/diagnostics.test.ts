import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from '../../compiler/index.js';
import { connectors } from '../../connectors/registry.js';
import { renderDiagnostics } from '../../language/render.js';
import { SourceText } from '../../language/source-text.js';
import { expectGolden } from '../helpers/golden.js';

/**
 * One `.map` case per compiler check, each with the exact diagnostics a user sees, as golden files next to it
 * (`UPDATE_GOLDEN=1` rewrites them). Each case names the code it must produce in its first line.
 */
const dir = join(import.meta.dirname, 'diagnostics');

describe('compiler diagnostics, rendered as the CLI shows them', () => {
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.map')).sort()) {
    it(file, () => {
      const text = readFileSync(join(dir, file), 'utf8');
      const name = `test/compiler/diagnostics/${file}`;
      const expected = /^# expect: (ML\d{4})/.exec(text)?.[1];
      const result = compile({ files: [{ name, text }], connectors });
      expect(result.diagnostics.map((d) => d.code)).toContain(expected);
      const rendered = renderDiagnostics(result.diagnostics, new Map([[name, new SourceText(name, text)]]));
      expectGolden(join(dir, file.replace(/\.map$/, '.txt')), rendered);
    });
  }
});
