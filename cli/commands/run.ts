import type { Command } from 'commander';
import { ConfigError, DEFAULT_CONFIG_FILE, loadConfig } from '../../runtime/config/load.js';
import { authorizeSandboxConnections } from '../../runtime/config/sandbox-auth.js';
import type { MaplineConfig } from '../../runtime/config/config.js';
import { afterRun, notifySettingsOf } from '../../runtime/housekeeping.js';
import type { RunResult } from '../../runtime/engine/index.js';
import { syncOnce } from '../../runtime/sync.js';
import { formatDiagnostics } from '../shared/map-files.js';
import { ProgressBar } from '../shared/progress-bar.js';
import { renderRun, runJson } from '../shared/run-report.js';
import { STOPPED_EXIT_CODE, STOPPED_SAFE, stopOnSignals } from '../shared/stop-signal.js';
import type { SetExitCode } from './index.js';
import { watchCommand } from './run-watch.js';

interface RunOptions {
  readonly flow?: string[];
  readonly dryRun?: boolean;
  readonly retryFailed?: boolean;
  readonly since?: string;
  readonly json?: boolean;
  readonly config: string;
  readonly watch?: boolean;
  readonly interval?: string;
  readonly metricsPort?: string;
  readonly cycles?: string;
}

export function registerRun(program: Command, setExitCode: SetExitCode): void {
  program
    .command('run')
    .description('run the enabled flows once: read, map, write; prints a summary per flow')
    .argument('[files...]', '.map files to run (default: the files enabled in the config)')
    .option('--flow <name...>', 'run only these flows')
    .option('--dry-run', 'do every read, write nothing; print what would be created, updated or skipped, and why')
    .option('--retry-failed', 'replay the records in quarantine instead of reading new ones')
    .option('--since <date>', 'read source records from this date (ISO) instead of the stored cursor')
    .option('--json', 'print the summary as JSON')
    .option('--config <file>', 'the config file', DEFAULT_CONFIG_FILE)
    .option('--watch', 'keep running: a cycle every --interval until Ctrl-C/SIGTERM (see docs/operations.md)')
    .option('--interval <duration>', 'with --watch: time between cycle starts, e.g. 30s, 5m, 1h', '5m')
    .option('--metrics-port <port>', 'with --watch: serve Prometheus metrics on 127.0.0.1:<port>/metrics')
    .option('--cycles <n>', 'with --watch: stop after this many cycles')
    .action(async (files: string[], options: RunOptions) => {
      setExitCode(await runCommand(files, options));
    });
}

async function runCommand(files: string[], options: RunOptions): Promise<number> {
  let since: Date | undefined;
  if (options.since !== undefined) {
    since = new Date(options.since);
    if (Number.isNaN(since.getTime())) return usage(`--since: "${options.since}" is not a date (use e.g. 2026-01-31 or 2026-01-31T12:00:00Z)`);
  }
  if (options.watch) {
    if (options.dryRun || options.retryFailed || options.since !== undefined) return usage('--watch runs real cycles; it cannot be combined with --dry-run, --retry-failed or --since');
    try {
      return await watchCommand(loadConfig(options.config), files, options);
    } catch (error) {
      if (error instanceof ConfigError) return usage(error.message);
      throw error;
    }
  }
  const progress = !options.json && process.stderr.isTTY ? new ProgressBar() : undefined;
  let config: MaplineConfig | undefined;
  // A run from cron is as unattended as a watch cycle: it purges and notifies the same way (not a dry run).
  const housekeeping = async (facts: { failure?: string; result?: RunResult }): Promise<void> => {
    if (!config || options.dryRun) return;
    const report = await afterRun(config, { at: new Date(), ...facts }, { notify: notifySettingsOf(config) });
    for (const warning of report.warnings) process.stderr.write(`mapline run: ${warning}\n`);
  };
  const stop = stopOnSignals('mapline run');
  try {
    config = loadConfig(options.config);
    const outcome = await syncOnce({
      config,
      files,
      ...(options.flow ? { flows: options.flow } : {}),
      dryRun: options.dryRun ?? false,
      retryFailed: options.retryFailed ?? false,
      ...(since ? { since } : {}),
      ...(progress ? { onProgress: (flow: string, done: number, total: number) => progress.update(flow, done, total) } : {}),
      prepareConnections: authorizeSandboxConnections,
      signal: stop.signal,
    });
    progress?.clear();
    if (outcome.kind === 'compile-errors') {
      const files = Object.entries(outcome.texts).map(([name, text]) => ({ name, text }));
      process.stderr.write(`${formatDiagnostics(outcome.diagnostics, files, process.stderr.isTTY === true)}\n`);
      await housekeeping({ failure: `the .map files do not compile (${outcome.diagnostics.length} diagnostics; run mapline check)` });
      return 1;
    }
    const { result } = outcome;
    await housekeeping({ result });
    if (options.json) process.stdout.write(`${JSON.stringify(runJson(result, options.dryRun ?? false), null, 2)}\n`);
    else process.stdout.write(renderRun(result, options.dryRun ?? false));
    if (result.stopped) {
      process.stderr.write(`mapline run: stopped by ${String(stop.signal.reason)} before the end. ${STOPPED_SAFE}\n`);
      return STOPPED_EXIT_CODE;
    }
    const failed = result.flows.some((f) => f.summary.failed > 0) || result.errors.length > 0;
    return failed ? 1 : 0;
  } catch (error) {
    progress?.clear();
    if (error instanceof ConfigError) return usage(error.message);
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`mapline run: ${message}\n`);
    await housekeeping({ failure: message });
    return 1;
  } finally {
    stop.dispose();
  }
}

function usage(message: string): number {
  process.stderr.write(`mapline run: ${message}\n`);
  return 2;
}
