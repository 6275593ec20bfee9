import type { Command } from 'commander';
import { DEFAULT_CONFIG_FILE } from '../../runtime/config/load.js';
import { statePathOf } from '../shared/state-path.js';
import { SqliteStateStore } from '../../runtime/state/sqlite-store.js';
import type { ActivityEntry, QuarantineEntry } from '../../runtime/state/store.js';
import type { SetExitCode } from './index.js';

interface LogsOptions {
  readonly flow?: string;
  readonly failed?: boolean;
  readonly record?: string;
  readonly limit: string;
  readonly json?: boolean;
  readonly config: string;
  readonly state?: string;
}

export function registerLogs(program: Command, setExitCode: SetExitCode): void {
  program
    .command('logs')
    .description('show the activity log: what each run did with each record, and why')
    .option('--flow <name>', 'only this flow')
    .option('--failed', 'show the records in quarantine (failed and not yet replayed successfully)')
    .option('--record <id>', "one source record's history, with payloads, responses and field lineage")
    .option('--limit <n>', 'at most this many entries', '50')
    .option('--json', 'print entries as JSON')
    .option('--config <file>', 'the config file (for the state file path)', DEFAULT_CONFIG_FILE)
    .option('--state <file>', 'read this state file instead of the one the config names')
    .action(async (options: LogsOptions) => {
      setExitCode(await logsCommand(options));
    });
}

async function logsCommand(options: LogsOptions): Promise<number> {
  const limit = Number(options.limit);
  if (!Number.isInteger(limit) || limit < 1) {
    process.stderr.write(`mapline logs: --limit must be a positive whole number\n`);
    return 2;
  }
  const statePath = statePathOf('logs', options);
  if (statePath === undefined) return 2;
  const store = SqliteStateStore.open(statePath);
  try {
    const out = (text: string): boolean => process.stdout.write(`${text}\n`);
    if (options.failed) {
      const entries = (await store.listQuarantine(options.flow ? { flow: options.flow } : {}))
        .filter((e) => options.record === undefined || e.sourceId === options.record)
        .slice(0, limit);
      if (options.json) out(JSON.stringify(entries, null, 2));
      else if (entries.length === 0) out('No records in quarantine.');
      else for (const entry of entries) out(renderQuarantine(entry, options.record !== undefined));
      return 0;
    }
    const entries = await store.listActivity({
      ...(options.flow ? { flow: options.flow } : {}),
      ...(options.record ? { sourceId: options.record } : {}),
      limit,
    });
    if (options.json) out(JSON.stringify(entries, null, 2));
    else if (entries.length === 0) out('No activity logged yet.');
    else for (const entry of entries) out(renderActivity(entry, options.record !== undefined));
    return 0;
  } finally {
    await store.close();
  }
}

function renderActivity(entry: ActivityEntry, detailed: boolean): string {
  const head = `${entry.at}  ${entry.flow}  ${entry.sourceId}  ${entry.dryRun ? 'would ' : ''}${entry.action}${entry.targetId ? ` -> ${entry.targetId}` : ''}  ${entry.reason}`;
  if (!detailed) return head;
  const lines = [head, `  run ${entry.runId}, ${entry.durationMs.toFixed(1)} ms`];
  if (entry.payload !== null) lines.push('  payload:', indent(JSON.stringify(entry.payload, null, 2), 4));
  if (entry.lineage) {
    lines.push('  fields from:');
    for (const [field, where] of Object.entries(entry.lineage)) lines.push(`    ${field}  <-  ${where}`);
  }
  if (entry.response !== null) lines.push('  response:', indent(JSON.stringify(entry.response, null, 2), 4));
  return lines.join('\n');
}

function renderQuarantine(entry: QuarantineEntry, detailed: boolean): string {
  const head = `${entry.updatedAt}  ${entry.flow}  ${entry.sourceId}  (${entry.attempts} attempt${entry.attempts === 1 ? '' : 's'})  ${entry.reason}`;
  if (!detailed) return head;
  const lines = [head];
  if (entry.payload !== null) lines.push('  mapped payload:', indent(JSON.stringify(entry.payload, null, 2), 4));
  if (entry.response !== null) lines.push('  target response:', indent(JSON.stringify(entry.response, null, 2), 4));
  lines.push('  source record:', indent(JSON.stringify(entry.sourceRecord, null, 2), 4));
  return lines.join('\n');
}

function indent(text: string, spaces: number): string {
  return text
    .split('\n')
    .map((line) => ' '.repeat(spaces) + line)
    .join('\n');
}
