import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { join } from 'node:path';

export const repoRoot = join(import.meta.dirname, '../..');

/** Runs the CLI from source in a child process, as a user runs `mapline ...`, and returns what it printed. */
export function runCli(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): SpawnSyncReturns<string> {
  const [node, ...argv] = cliArgv(args);
  return spawnSync(node!, argv, {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    encoding: 'utf8',
    input: options.input ?? '',
    timeout: 60_000,
  });
}

export interface CliResult {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * `runCli` without blocking this process: for tests whose sandboxes or webhook receivers answer from this
 * process while the CLI runs.
 */
export function runCliAsync(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return runProcess(cliArgv(args), { cwd: repoRoot, env });
}

/** `mapline ARGS` from source, as a child process's argv (tsx by path, so any working directory will do). */
export function cliArgv(args: readonly string[]): string[] {
  return [process.execPath, '--import', join(repoRoot, 'node_modules/tsx/dist/esm/index.mjs'), join(repoRoot, 'cli/entry.ts'), ...args];
}

/**
 * Runs `argv` as a child process without blocking this one and collects what it printed. With `killWhen`, the
 * child is sent `killSignal` (default SIGKILL: no clean-up, like a power cut; SIGINT is a user's Ctrl-C) the first
 * time it holds, polled every 2 ms.
 */
export function runProcess(
  argv: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; killWhen?: () => boolean; killSignal?: NodeJS.Signals },
): Promise<CliResult & { killed: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd: options.cwd, env: { ...process.env, NO_COLOR: '1', ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let killed = false;
    const { killWhen } = options;
    const poll = killWhen
      ? setInterval(() => {
          if (!killed && child.exitCode === null && killWhen()) killed = child.kill(options.killSignal ?? 'SIGKILL');
        }, 2)
      : undefined;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error) => {
      clearInterval(poll);
      reject(error);
    });
    child.on('close', (status, signal) => {
      clearInterval(poll);
      resolve({ status, signal, stdout, stderr, killed });
    });
  });
}
