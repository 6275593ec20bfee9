import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { compile } from '../../compiler/index.js';
import { connectors } from '../../connectors/registry.js';
import { diagnosticsJson, formatDiagnostics, readMapFiles, UsageError } from '../shared/map-files.js';
import type { SetExitCode } from './index.js';

export function registerCompile(program: Command, setExitCode: SetExitCode): void {
  program
    .command('compile')
    .description('compile .map files to the versioned JSON artifact (JSONata, I/O plan, source map)')
    .argument('<files...>', '.map files, compiled together')
    .option('-o, --output <file>', 'write the artifact to this file instead of standard output')
    .option('--json', 'print diagnostics as JSON (on standard error)')
    .action((paths: string[], options: { output?: string; json?: boolean }) => {
      let files;
      try {
        files = readMapFiles(paths);
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        process.stderr.write(`mapline compile: ${error.message}\n`);
        setExitCode(2);
        return;
      }
      const { artifact, diagnostics } = compile({ files, connectors });
      if (diagnostics.length > 0) {
        process.stderr.write(
          options.json
            ? `${JSON.stringify(diagnosticsJson(diagnostics, files), null, 2)}\n`
            : `${formatDiagnostics(diagnostics, files, process.stderr.isTTY === true)}\n`,
        );
      }
      if (!artifact) {
        setExitCode(1);
        return;
      }
      const json = `${JSON.stringify(artifact, null, 2)}\n`;
      if (options.output) writeFileSync(options.output, json);
      else process.stdout.write(json);
      setExitCode(0);
    });
}
