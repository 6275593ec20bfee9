import type { Command } from 'commander';
import { registerAuth } from './auth.js';
import { registerDemo } from './demo.js';
import { registerLogs } from './logs.js';
import { registerRun } from './run.js';
import { registerSandbox } from './sandbox.js';

/** Reports a command's exit code to `main` (commands never call `process.exit`). */
export type SetExitCode = (code: number) => void;

export function registerCommands(program: Command, setExitCode: SetExitCode): void {
  registerDemo(program, setExitCode);
  registerAuth(program, setExitCode);
  registerRun(program, setExitCode);
  registerLogs(program, setExitCode);
  registerSandbox(program, setExitCode);
}
