import type { Command } from 'commander';
import { DEFAULT_CONFIG_FILE } from '../../runtime/config/load.js';
import { SqliteStateStore } from '../../runtime/state/sqlite-store.js';
import type { PendingWrite } from '../../runtime/state/store.js';
import { statePathOf } from '../shared/state-path.js';
import type { SetExitCode } from './index.js';

interface PendingOptions {
  readonly flow?: string;
  readonly resolve?: string;
  readonly created?: string;
  readonly notCreated?: boolean;
  readonly json?: boolean;
  readonly config: string;
  readonly state?: string;
}

/**
 * `mapline pending`: the creates whose outcome is unknown and that a run could not settle by itself (a flow with
 * no `identify by`, such as quotes, has no key to look the record up with). Their records are never created again
 * by a run; a person looks in the target and says what happened, and this settles the intent accordingly.
 */
export function registerPending(program: Command, setExitCode: SetExitCode): void {
  program
    .command('pending')
    .description('list creates with an unknown outcome that block their record, or settle one after looking in the target')
    .option('--flow <name>', 'only this flow')
    .option('--resolve <id>', 'settle this pending create (its id from the list)')
    .option('--created <targetId>', 'with --resolve: the create did happen; link the record to this target record')
    .option('--not-created', 'with --resolve: the create did not happen; the record may be created again (mapline run --retry-failed)')
    .option('--json', 'print the list as JSON')
    .option('--config <file>', 'the config file (for the state file path)', DEFAULT_CONFIG_FILE)
    .option('--state <file>', 'use this state file instead of the one the config names')
    .action(async (options: PendingOptions) => {
      setExitCode(await pendingCommand(options));
    });
}

async function pendingCommand(options: PendingOptions): Promise<number> {
  const usage = (message: string): number => {
    process.stderr.write(`mapline pending: ${message}\n`);
    return 2;
  };
  if (options.resolve === undefined && (options.created !== undefined || options.notCreated)) return usage('--created and --not-created go with --resolve <id>');
  if (options.resolve !== undefined && (options.created === undefined) === (options.notCreated !== true)) {
    return usage('--resolve needs exactly one of --created <targetId> (it happened) or --not-created (it did not)');
  }
  const statePath = statePathOf('pending', options);
  if (statePath === undefined) return 2;
  const store = SqliteStateStore.open(statePath);
  try {
    const out = (text: string): boolean => process.stdout.write(`${text}\n`);
    const pending = await store.listPendingWrites();
    if (options.resolve !== undefined) {
      const write = pending.find((p) => String(p.id) === options.resolve);
      if (!write) return usage(`no pending create has id ${options.resolve} (list them with: mapline pending)`);
      if (options.created !== undefined) {
        await store.completePendingWrite(write.id, { flow: write.flow, sourceId: write.sourceId, targetId: options.created, key: write.keyValue, contentHash: write.contentHash });
        // The failure the lost answer left in quarantine is settled too: the record is synced.
        await store.resolveQuarantine(write.flow, write.sourceId);
        out(`Settled: ${write.flow} record ${write.sourceId} is linked to ${write.targetEntity} ${options.created}; it is not created again.`);
      } else {
        await store.clearPendingWrite(write.id);
        out(`Settled: ${write.flow} record ${write.sourceId} was not created in ${write.targetEntity}; it is created when it is read again, or now with: mapline run --retry-failed --flow ${write.flow.split('#')[0]}`);
      }
      return 0;
    }
    const shown = pending.filter((p) => options.flow === undefined || p.flow === options.flow || p.flow.startsWith(`${options.flow}#`));
    if (options.json) out(JSON.stringify(shown, null, 2));
    else if (shown.length === 0) out('No pending creates.');
    else {
      for (const write of shown) out(render(write));
      out('');
      out('Look in the target for each, then: mapline pending --resolve ID --created TARGET_ID, or --not-created.');
    }
    return 0;
  } finally {
    await store.close();
  }
}

function render(write: PendingWrite): string {
  const key = write.keyField === null ? 'no key to look it up by' : `${write.keyField} = ${JSON.stringify(write.keyValue)}`;
  return `${write.id}  ${write.createdAt}  ${write.flow}  record ${write.sourceId}  -> ${write.targetEntity} (${key})`;
}
