/**
 * Parse time of the language phase alone (lexing, the newline pass, parsing, the AST): the design sketch's
 * example, a generated 300-line file, and the same file broken on every 10th line, which is what the playground
 * parses while someone types and what makes error recovery work.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tokenize } from '../language/lexer.js';
import { parse } from '../language/parse.js';
import { generateLargeMap } from './large-map.js';
import { medianMs } from './timing.js';
import type { BenchResult } from './result.js';

const root = join(import.meta.dirname, '..');

const round = (ms: number): number => Math.round(ms * 1000) / 1000;
const lineCount = (text: string): number => text.split('\n').length;

/** Breaks every `every`-th line by cutting it in half, so the parser has to recover many times. */
function breakLines(text: string, every: number): string {
  return text
    .split('\n')
    .map((line, i) => (i % every === every - 1 ? line.slice(0, Math.ceil(line.length / 2)) : line))
    .join('\n');
}

export async function run(): Promise<BenchResult[]> {
  const sketch = readFileSync(join(root, 'test/language/fixtures/design-example.map'), 'utf8');
  const large = generateLargeMap(300);
  const broken = breakLines(large, 10);
  const brokenErrors = parse(broken, 'broken.map').diagnostics.length;

  const results: BenchResult[] = [];
  for (const [name, text, note] of [
    ['design sketch example', sketch, undefined],
    ['generated file', large, undefined],
    ['generated file, every 10th line broken', broken, `${brokenErrors} diagnostics`],
  ] as const) {
    const label = `${name} (${lineCount(text)} lines)`;
    const parseMs = medianMs(() => parse(text, 'bench.map'), 40, 10);
    results.push({ area: 'language', name: `parse: ${label}`, value: round(parseMs), unit: 'ms (median)', ...(note ? { note } : {}) });
  }
  const lexMs = medianMs(() => tokenize(large), 40, 10);
  results.push({ area: 'language', name: `lex only: generated file (${lineCount(large)} lines)`, value: round(lexMs), unit: 'ms (median)' });
  const parseLarge = results[1]!.value;
  results.push({
    area: 'language',
    name: 'parse throughput: generated file',
    value: Math.round(lineCount(large) / (parseLarge / 1000)),
    unit: 'lines/s',
  });
  return results;
}
