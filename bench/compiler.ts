import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { compile } from '../compiler/index.js';
import { connectors } from '../connectors/registry.js';
import { parse } from '../language/parse.js';
import { generateLargeMapping } from './large-mapping.js';
import { medianMs } from './timing.js';
import type { BenchResult } from './result.js';

const root = join(import.meta.dirname, '..');

const round = (ms: number): number => Math.round(ms * 100) / 100;

export async function run(): Promise<BenchResult[]> {
  const mappings = readdirSync(join(root, 'mappings'))
    .filter((f) => f.endsWith('.map'))
    .map((f) => ({ name: `mappings/${f}`, text: readFileSync(join(root, 'mappings', f), 'utf8') }));
  const large = { name: 'large.map', text: generateLargeMapping(300) };
  const lines = (files: { text: string }[]) => files.reduce((n, f) => n + f.text.split('\n').length, 0);
  const results: BenchResult[] = [];
  for (const [label, files] of [
    [`default mappings (${mappings.length} files, ${lines(mappings)} lines)`, mappings],
    [`generated mapping (${lines([large])} lines)`, [large]],
  ] as const) {
    const parseMs = medianMs(() => files.forEach((f) => parse(f.text, f.name)));
    const compileMs = medianMs(() => {
      const result = compile({ files, connectors });
      if (!result.artifact) throw new Error(`${label} does not compile`);
    });
    results.push(
      { area: 'compiler', name: `parse: ${label}`, value: round(parseMs), unit: 'ms (median)' },
      { area: 'compiler', name: `parse + check + emit: ${label}`, value: round(compileMs), unit: 'ms (median)' },
    );
  }
  results.push(coldStart(mappings[0]!.name));
  return results;
}

/** `mapline check` from a new process, as a user's shell or editor runs it (the built CLI in dist/). */
function coldStart(file: string): BenchResult {
  const entry = join(root, 'dist/cli/entry.js');
  if (!existsSync(entry)) {
    const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`build failed: ${build.stderr}`);
  }
  const times: number[] = [];
  for (let i = 0; i < 12; i++) {
    const start = performance.now();
    const result = spawnSync(process.execPath, [entry, 'check', file], { cwd: root, encoding: 'utf8' });
    times.push(performance.now() - start);
    if (result.status !== 0) throw new Error(`mapline check failed: ${result.stdout}${result.stderr}`);
  }
  times.sort((a, b) => a - b);
  return { area: 'compiler', name: `mapline check ${file}: cold start, new process`, value: Math.round(times[6]!), unit: 'ms (median of 12)' };
}

// Allow `node --import tsx bench/compiler.ts` alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-'));
  const results = await run();
  writeFileSync(join(dir, 'compiler.json'), JSON.stringify(results, null, 2));
  console.table(results);
}
