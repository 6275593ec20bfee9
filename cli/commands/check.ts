import type { Command } from 'commander';
import { compile } from '../../compiler/index.js';
import { connectors } from '../../connectors/registry.js';
import { hasErrors } from '../../language/diagnostic.js';
import { diagnosticsJson, formatDiagnostics, readMapFiles, summaryLine, UsageError } from '../shared/map-files.js';
import type { SetExitCode } from './index.js';

export function registerCheck(program: Command, setExitCode: SetExitCode): void {
  program
    .command('check')
    .description('parse and check .map files against the connectors\' schemas (exit 0 clean, 1 errors, 2 bad usage)')
    .argument('<files...>', '.map files')
    .option('--json', 'print the diagnostics as JSON')
    .action((paths: string[], options: { json?: boolean }) => {
      let files;
      try {
        files = readMapFiles(paths);
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        process.stderr.write(`mapline check: ${error.message}\n`);
        setExitCode(2);
        return;
      }
      const { diagnostics } = compile({ files, connectors });
      if (options.json) {
        process.stdout.write(`${JSON.stringify(diagnosticsJson(diagnostics, files), null, 2)}\n`);
      } else {
        if (diagnostics.length > 0) process.stdout.write(`${formatDiagnostics(diagnostics, files, process.stdout.isTTY === true)}\n\n`);
        process.stdout.write(`${summaryLine(diagnostics, files.length)}\n`);
      }
      setExitCode(hasErrors(diagnostics) ? 1 : 0);
    });
}
