import type { Command } from 'commander';
import { registerAuth } from './auth.js';
import { registerCheck } from './check.js';
import { registerCompile } from './compile.js';
import { registerDemo } from './demo.js';
import { registerInit } from './init.js';
import { registerLogs } from './logs.js';
import { registerRun } from './run.js';
import { registerSandbox } from './sandbox.js';
import { registerTest } from './test.js';
import { registerServe } from './serve.js';

/** Reports a command's exit code to `main` (commands never call `process.exit`). */
export type SetExitCode = (code: number) => void;

export function registerCommands(program: Command, setExitCode: SetExitCode): void {
  registerCheck(program, setExitCode);
  registerCompile(program, setExitCode);
  registerDemo(program, setExitCode);
  registerAuth(program, setExitCode);
  registerRun(program, setExitCode);
  registerLogs(program, setExitCode);
  registerSandbox(program, setExitCode);
  registerTest(program, setExitCode);
  registerServe(program, setExitCode);
  registerInit(program, setExitCode);
}
