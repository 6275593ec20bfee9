import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { ensurePlaygroundBuilt } from '../../playground/server/ensure-built.js';
import { startPlaygroundServer } from '../../playground/server/server.js';
import { SqliteStateStore } from '../../runtime/state/sqlite-store.js';
import type { SetExitCode } from './index.js';

export function registerServe(program: Command, setExitCode: SetExitCode): void {
  program
    .command('serve')
    .description('serve the playground (write, check and try .map files) and, with --state, the activity log')
    .option('--port <n>', 'port to listen on (0 picks a free one)', '4173')
    .option('--host <address>', 'address to bind; keep the default to stay local', '127.0.0.1')
    .option('--state <file>', 'the runtime state file whose activity log to show (read only)')
    .action(async (options: { port: string; host: string; state?: string }) => {
      const port = Number(options.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        process.stderr.write(`mapline serve: --port must be a port number, got "${options.port}"\n`);
        setExitCode(2);
        return;
      }
      if (options.state !== undefined && !existsSync(options.state)) {
        process.stderr.write(`mapline serve: no state file at ${options.state}\n`);
        setExitCode(2);
        return;
      }
      if (!['127.0.0.1', 'localhost', '::1'].includes(options.host)) {
        process.stderr.write(`mapline serve: binding ${options.host}: the activity log (source records, payloads) is readable by anyone who can reach it\n`);
      }
      const { built, dist } = await ensurePlaygroundBuilt();
      if (built) process.stderr.write('mapline serve: built the playground (playground/dist)\n');
      const store = options.state !== undefined ? SqliteStateStore.open(options.state) : undefined;
      const running = await startPlaygroundServer({ dist, host: options.host, port, ...(store ? { store } : {}) });
      process.stdout.write(`mapline playground on ${running.url}${store ? ` (activity log of ${options.state})` : ''}\n`);
      // Runs until interrupted; close the state file cleanly on Ctrl-C.
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          void running.close().then(() => store?.close()).then(resolve);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
