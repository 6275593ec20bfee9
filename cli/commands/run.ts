import type { Command } from 'commander';
import { ConfigError, DEFAULT_CONFIG_FILE, loadConfig } from '../../runtime/config/load.js';
import { authorizeSandboxConnections } from '../../runtime/config/sandbox-auth.js';
import type { MaplineConfig } from '../../runtime/config/config.js';
import { afterRun, notifySettingsOf } from '../../runtime/housekeeping.js';
import type { FlowResult, RunResult } from '../../runtime/engine/index.js';
import { syncOnce } from '../../runtime/sync.js';
import { formatDiagnostics } from '../shared/map-files.js';
import { summaryTable } from '../shared/summary.js';
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
    if (options.json) process.stdout.write(`${JSON.stringify(jsonSummary(result, options.dryRun ?? false), null, 2)}\n`);
    else process.stdout.write(render(result, options.dryRun ?? false));
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

function render(result: RunResult, dryRun: boolean): string {
  const lines: string[] = [];
  if (dryRun) {
    for (const flow of result.flows) lines.push(...renderDryRun(flow));
  }
  const table = summaryTable(result);
  if (dryRun) lines.push('Dry run: nothing was written.');
  else if (table.length > 0) lines.push(`Run ${result.runId}`);
  lines.push(...table);
  for (const flow of result.flows) {
    const failures = flow.records.filter((r) => r.action === 'fail');
    const failed = flow.summary.failed;
    if (failed === 0) continue;
    lines.push('', `${flow.flow}: ${failed} failed${dryRun ? '' : ' (quarantined; see `mapline logs --failed`, replay with `mapline run --retry-failed`)'}:`);
    for (const failure of failures.slice(0, 20)) lines.push(`  ${failure.reason}`);
    if (failed > Math.min(20, failures.length)) lines.push(`  ... and ${failed - Math.min(20, failures.length)} more`);
  }
  for (const error of result.errors) lines.push(...(lines.length > 0 ? [''] : []), `error: ${error.message}`);
  return `${lines.join('\n')}\n`;
}

function renderDryRun(flow: FlowResult): string[] {
  const lines = [`flow ${flow.flow}:`];
  for (const record of flow.records) {
    lines.push(`  ${record.action.padEnd(6)} ${record.sourceId}: ${record.reason}`);
    for (const upsert of record.upserts) {
      if (upsert.action !== 'unchanged') lines.push(`         and ${upsert.action} ${upsert.entity} ${upsert.key} = ${JSON.stringify(upsert.value)}`);
    }
    if ((record.action === 'create' || record.action === 'update') && record.payload !== null) {
      lines.push(...JSON.stringify(record.payload, null, 2).split('\n').map((l) => `         ${l}`));
    }
  }
  if (flow.omitted > 0) lines.push(`  ... and ${flow.omitted} more records not listed here (the activity log has them all: mapline logs)`);
  lines.push('');
  return lines;
}

function jsonSummary(result: RunResult, dryRun: boolean): Record<string, unknown> {
  const flows: Record<string, unknown> = {};
  for (const f of result.flows) {
    const { read, created, updated, skipped, failed, calls } = f.summary;
    flows[f.flow] = { read, created, updated, skipped, failed, calls };
  }
  return {
    flows,
    ...(result.errors.length > 0 ? { errors: result.errors } : {}),
    ...(result.stopped ? { stopped: true } : {}),
    ...(dryRun ? { records: Object.fromEntries(result.flows.map((f) => [f.flow, f.records])) } : {}),
  };
}

/** One line on stderr, redrawn at most ten times a second; only on a terminal. */
class ProgressBar {
  private last = 0;
  private drawn = false;

  update(flow: string, done: number, total: number): void {
    const now = Date.now();
    if (done < total && now - this.last < 100) return;
    this.last = now;
    const width = 30;
    const filled = total === 0 ? width : Math.round((done / total) * width);
    process.stderr.write(`\r${flow} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total}`);
    this.drawn = true;
  }

  clear(): void {
    if (this.drawn) process.stderr.write('\r\x1b[K');
    this.drawn = false;
  }
}
