import type { Command } from 'commander';

/** Reports a command's exit code to `main` (commands never call `process.exit`). */
export type SetExitCode = (code: number) => void;

type Register = (program: Command, setExitCode: SetExitCode) => void;

/**
 * Every command, loaded on demand: `mapline check` loads the compiler, not the runtime, the HTTP client, SQLite
 * or the sandboxes, so it starts fast enough to run on every save in an editor. To add a command, add a line.
 */
const commands: Readonly<Record<string, () => Promise<Register>>> = {
  check: async () => (await import('./check.js')).registerCheck,
  compile: async () => (await import('./compile.js')).registerCompile,
  test: async () => (await import('./test.js')).registerTest,
  run: async () => (await import('./run.js')).registerRun,
  logs: async () => (await import('./logs.js')).registerLogs,
  pending: async () => (await import('./pending.js')).registerPending,
  sandbox: async () => (await import('./sandbox.js')).registerSandbox,
  auth: async () => (await import('./auth.js')).registerAuth,
  serve: async () => (await import('./serve.js')).registerServe,
  init: async () => (await import('./init.js')).registerInit,
  demo: async () => (await import('./demo.js')).registerDemo,
  integrations: async () => (await import('./integrations.js')).registerIntegrations,
  worker: async () => (await import('./worker.js')).registerWorker,
  webhooks: async () => (await import('./worker.js')).registerWebhooks,
  dashboard: async () => (await import('./dashboard.js')).registerDashboard,
  'dashboard-users': async () => (await import('./dashboard.js')).registerDashboardUsers,
};

/** Registers the command `argv` names, or all of them (for help, or an unknown command's message). */
export async function registerCommands(program: Command, setExitCode: SetExitCode, argv: readonly string[]): Promise<void> {
  const named = argv[2];
  const wanted = named !== undefined && Object.hasOwn(commands, named) ? [named] : Object.keys(commands);
  for (const name of wanted) (await commands[name]!())(program, setExitCode);
}
