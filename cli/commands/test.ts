import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { runFixtureFile, type CaseResult } from '../../runtime/fixtures/run-fixtures.js';
import type { SetExitCode } from './index.js';

/** `*.test.json` files: the ones named, or those under the named folders (default `mappings/tests`). */
function fixtureFiles(paths: readonly string[]): string[] {
  const roots = paths.length > 0 ? paths : ['mappings/tests'];
  return roots.flatMap((path) =>
    statSync(path).isDirectory()
      ? readdirSync(path, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.test.json')).sort().map((f) => join(path, f))
      : [path],
  );
}

export function registerTest(program: Command, setExitCode: SetExitCode): void {
  program
    .command('test')
    .description('run mapping tests: given records and lookup data, the expected action and payload (docs/mapping-tests.md)')
    .argument('[paths...]', '*.test.json files or folders holding them (default: mappings/tests)')
    .option('--json', 'print the results as JSON')
    .action(async (paths: string[], options: { json?: boolean }) => {
      let files: string[];
      try {
        files = fixtureFiles(paths);
      } catch (error) {
        process.stderr.write(`mapline test: ${(error as Error).message}\n`);
        setExitCode(2);
        return;
      }
      if (files.length === 0) {
        process.stderr.write('mapline test: no *.test.json files found\n');
        setExitCode(2);
        return;
      }
      const results: CaseResult[] = [];
      for (const file of files) results.push(...(await runFixtureFile(file)));
      const failed = results.filter((r) => !r.passed);
      if (options.json) {
        process.stdout.write(`${JSON.stringify(results.map(({ outcome: _outcome, ...r }) => r), null, 2)}\n`);
      } else {
        for (const r of results) {
          process.stdout.write(`${r.passed ? 'ok  ' : 'FAIL'} ${r.file} > ${r.name}\n`);
          for (const problem of r.problems) process.stdout.write(`     ${problem.replace(/\n/g, '\n     ')}\n`);
        }
        process.stdout.write(`\n${results.length - failed.length} passed, ${failed.length} failed\n`);
      }
      setExitCode(failed.length > 0 ? 1 : 0);
    });
}
