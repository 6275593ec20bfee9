import { Command, CommanderError } from 'commander';
import { registerCommands } from './commands/index.js';
import { StateFileError } from '../runtime/state/sqlite-store.js';

/**
 * The CLI is thin: it parses arguments, calls into the phases, and renders results. Each command lives in its
 * own file under `commands/`. Exit codes: 0 success, 1 the work found errors (diagnostics, failed records),
 * 2 bad usage.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('mapline')
    .description('Compile .map files and keep a webshop and an accounting system in sync')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  let exitCode = 0;
  await registerCommands(
    program,
    (code) => {
      exitCode = Math.max(exitCode, code);
    },
    argv,
  );
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with exit code 0; usage errors with 1, which we report as 2.
      return error.exitCode === 0 ? 0 : 2;
    }
    // Any command that opens the state file (logs, pending, auth, serve) says what is wrong with it, once.
    if (error instanceof StateFileError) {
      const command = program.args[0];
      process.stderr.write(`${command ? `mapline ${command}` : 'mapline'}: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  return exitCode;
}
