/**
 * `npm run bench`: runs every bench module (`bench/*.ts` exporting `run(): Promise<BenchResult[]>`), prints the
 * figures, and rewrites BENCHMARKS.md with them, the command and the machine, followed by bench/notes.md (kept by
 * hand: profiles and how figures were found). `--only NAME` runs one module.
 */
import { execSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import type { BenchResult } from './result.js';

const dir = import.meta.dirname;
const helpers = new Set(['run.ts', 'result.ts', 'timing.ts', 'large-mapping.ts', 'large-map.ts']);
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
const modules = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && !helpers.has(f) && !f.endsWith('.d.ts'))
  .filter((f) => !only || f === `${only}.ts`)
  .sort();

const results: BenchResult[] = [];
const failures: string[] = [];
for (const file of modules) {
  process.stdout.write(`bench ${file} ...\n`);
  try {
    const module = (await import(join(dir, file))) as { run?: () => Promise<BenchResult[]> };
    if (typeof module.run !== 'function') continue;
    const figures = await module.run();
    for (const r of figures) process.stdout.write(`  ${r.name}: ${r.value} ${r.unit}${r.note ? ` (${r.note})` : ''}\n`);
    results.push(...figures);
  } catch (error) {
    failures.push(`${file}: ${error instanceof Error ? error.message : String(error)}`);
    process.stderr.write(`  FAILED: ${String(error)}\n`);
  }
}

const commit = (() => {
  try {
    return execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
})();
const cpu = cpus();
const lines = [
  '# Benchmarks',
  '',
  `Measured with \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}, commit ${commit}.`,
  `Machine: ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}.`,
  'Figures vary with the machine and its load; compare runs on the same machine.',
  '',
];
for (const area of [...new Set(results.map((r) => r.area))]) {
  lines.push(`## ${area}`, '', '| measure | value | unit | note |', '|---|---|---|---|');
  for (const r of results.filter((x) => x.area === area)) lines.push(`| ${r.name} | ${r.value} | ${r.unit} | ${r.note ?? ''} |`);
  lines.push('');
}
if (failures.length > 0) lines.push('## Failed', '', ...failures.map((f) => `- ${f}`), '');
// Measurements that are not one figure (profiles, how a figure was found) are kept by hand in bench/notes.md.
const notes = join(dir, 'notes.md');
if (existsSync(notes)) lines.push(readFileSync(notes, 'utf8').trimEnd(), '');
if (!only) writeFileSync(join(dir, '..', 'BENCHMARKS.md'), `${lines.join('\n')}`);
process.exitCode = failures.length > 0 ? 1 : 0;
