import type { Command } from 'commander';
import { ConfigError } from '../../runtime/config/load.js';
import { SecretBox, SecretKeyError } from '../../runtime/secrets/secret-box.js';
import { addIntegration } from '../../runtime/service/add-integration.js';
import { DATABASE_URL_ENV, DatabaseError, openDatabase, type MaplineDatabase } from '../../runtime/service/database.js';
import { IntegrationRegistry, RegistryError } from '../../runtime/service/registry.js';
import { runIntegration } from '../../runtime/service/run-integration.js';
import { integrationDetails, integrationStatus } from '../../runtime/service/status.js';
import { formatDiagnostics } from '../shared/map-files.js';
import { renderDetails, renderStatusTable } from '../shared/integrations-report.js';
import { renderRun, runJson } from '../shared/run-report.js';
import type { SetExitCode } from './index.js';

interface Common {
  readonly database?: string;
  readonly json?: boolean;
}

/** A problem with what was asked (exit 2), as opposed to work that failed (exit 1). */
const USAGE_ERRORS = [RegistryError, ConfigError, SecretKeyError];

/**
 * `mapline integrations ...`: the integrations of service mode, each with its own shop, accounting company,
 * credentials, `.map` files and settings, all kept in one PostgreSQL database (`--database URL` or
 * `MAPLINE_DATABASE_URL`). The logic lives in `runtime/service/`; this file parses and prints.
 */
export function registerIntegrations(program: Command, setExitCode: SetExitCode): void {
  const group = program.command('integrations').description('service mode: add, list, pause, run and remove integrations kept in PostgreSQL (docs/service.md)');
  const sub = (name: string, description: string): Command =>
    group
      .command(name)
      .description(description)
      .option('--database <url>', `the service database (default: $${DATABASE_URL_ENV})`)
      .option('--json', 'print the result as JSON');
  const act = <O extends Common>(name: string, work: (db: MaplineDatabase, options: O, ...args: string[]) => Promise<number>) =>
    async (...args: unknown[]): Promise<void> => {
      const command = args.at(-1) as Command;
      const positional = args.slice(0, command.registeredArguments.length) as string[];
      setExitCode(await withDatabase(name, command.opts<O>(), (db) => work(db, command.opts<O>(), ...positional)));
    };

  sub('add', 'add an integration from a mapline.config.json and the .map files it names (checked first; nothing is stored when they have errors)')
    .argument('<name>', 'the integration name (letters, digits, . _ -)')
    .requiredOption('--config <file>', 'its mapline.config.json')
    .option('--replace', 'an integration of this name exists: give it this config and these files, keeping its state')
    .action(act<Common & { config: string; replace?: boolean }>('add', async (db, options, name) => {
      const outcome = await addIntegration(db, { name: name!, configFile: options.config, replace: options.replace ?? false });
      if (outcome.kind === 'compile-errors') {
        const files = Object.entries(outcome.texts).map(([file, text]) => ({ name: file, text }));
        process.stderr.write(`${formatDiagnostics(outcome.diagnostics, files, process.stderr.isTTY === true)}\n`);
        process.stderr.write(`mapline integrations add: ${name} not added: its .map files have errors\n`);
        return 1;
      }
      const { integration, replaced, sealed } = outcome;
      if (options.json) print({ name: integration.name, id: integration.id, replaced, flows: integration.flows, sealed });
      else {
        process.stdout.write(`${replaced ? 'Replaced' : 'Added'} integration ${integration.name}: flows ${integration.flows.join(', ') || '(none)'}\n`);
        if (sealed.length > 0) process.stdout.write(`Stored encrypted: ${sealed.join(', ')}\n`);
      }
      return 0;
    }));

  sub('list', 'every integration and flow: state, last run with its counts, next run').action(
    act<Common>('list', async (db, options) => {
      const statuses = [];
      for (const integration of await new IntegrationRegistry(db).list()) statuses.push(await integrationStatus(db, integration));
      if (options.json) print(statuses);
      else process.stdout.write(statuses.length === 0 ? 'No integrations yet (mapline integrations add NAME --config FILE).\n' : renderStatusTable(statuses));
      return 0;
    }),
  );

  sub('show', 'one integration: its flows, files, config (secrets not shown) and open work')
    .argument('<name>')
    .action(act<Common>('show', async (db, options, name) => {
      const details = await integrationDetails(db, await new IntegrationRegistry(db).require(name!));
      if (options.json) print(details);
      else process.stdout.write(renderDetails(details));
      return 0;
    }));

  for (const [verb, state, description] of [
    ['pause', 'paused', 'stop running the integration (runs and, later, schedules) until it is resumed'],
    ['resume', 'active', 'run a paused integration again'],
  ] as const) {
    sub(verb, description)
      .argument('<name>')
      .action(act<Common>(verb, async (db, options, name) => {
        const integration = await new IntegrationRegistry(db).setState(name!, state);
        if (options.json) print({ name: integration.name, state: integration.state });
        else process.stdout.write(`Integration ${integration.name} is ${integration.state}.\n`);
        return 0;
      }));
  }

  sub('remove', 'remove the integration and all its state (links, cursors, quarantine, activity, tokens)')
    .argument('<name>')
    .action(act<Common>('remove', async (db, options, name) => {
      await new IntegrationRegistry(db).remove(name!);
      if (options.json) print({ name, removed: true });
      else process.stdout.write(`Removed integration ${name} and all its state.\n`);
      return 0;
    }));

  sub('run', "run the integration's flows once, in this process, with its state in the database")
    .argument('<name>')
    .option('--flow <name...>', 'only these flows')
    .option('--dry-run', 'do every read, write nothing; print what would be created, updated or skipped, and why')
    .option('--retry-failed', 'replay the records in quarantine instead of reading new ones')
    .action(act<Common & { flow?: string[]; dryRun?: boolean; retryFailed?: boolean }>('run', async (db, options, name) => {
      const dryRun = options.dryRun ?? false;
      const report = await runIntegration(db, { name: name!, ...(options.flow ? { flows: options.flow } : {}), dryRun, retryFailed: options.retryFailed ?? false });
      for (const warning of report.housekeeping?.warnings ?? []) process.stderr.write(`mapline integrations run: ${warning}\n`);
      const outcome = report.outcome;
      if (outcome?.kind === 'compile-errors') {
        const files = Object.entries(outcome.texts).map(([file, text]) => ({ name: file, text }));
        process.stderr.write(`${formatDiagnostics(outcome.diagnostics, files, process.stderr.isTTY === true)}\n`);
        return 1;
      }
      if (!outcome) {
        process.stderr.write(`mapline integrations run: ${name}: ${report.failure}\n`);
        return 1;
      }
      const { result } = outcome;
      if (options.json) print({ integration: name, ...runJson(result, dryRun) });
      else process.stdout.write(`Integration ${name}: ${renderRun(result, dryRun)}`);
      return result.flows.some((f) => f.summary.failed > 0) || result.errors.length > 0 ? 1 : 0;
    }));

  sub('rekey', `re-encrypt every stored secret and token with ${'$'}MAPLINE_SECRET_KEY (old keys in ${'$'}MAPLINE_SECRET_KEY_PREVIOUS)`).action(
    act<Common>('rekey', async (db, options) => {
      const counts = await new IntegrationRegistry(db).rekey(SecretBox.require('rekey seals every secret with it'));
      if (options.json) print(counts);
      else process.stdout.write(`Re-encrypted ${counts.secrets} secrets and ${counts.tokens} token sets with the current key.\n`);
      return 0;
    }),
  );
}

/** Opens the database for one command, runs it, closes it; every expected problem is one line on stderr. */
async function withDatabase(command: string, options: Common, work: (db: MaplineDatabase) => Promise<number>): Promise<number> {
  const fail = (message: string, code: number): number => {
    process.stderr.write(`mapline integrations ${command}: ${message}\n`);
    return code;
  };
  const url = options.database ?? process.env[DATABASE_URL_ENV];
  if (!url) return fail(`no database: pass --database URL or set ${DATABASE_URL_ENV} (e.g. postgres://mapline:...@127.0.0.1:5432/mapline)`, 2);
  let db: MaplineDatabase;
  try {
    db = await openDatabase(url);
  } catch (error) {
    if (error instanceof DatabaseError) return fail(error.message, 1);
    throw error;
  }
  try {
    return await work(db);
  } catch (error) {
    if (USAGE_ERRORS.some((kind) => error instanceof kind)) return fail((error as Error).message, 2);
    const sqlState = (error as { code?: unknown } | null)?.code;
    if (error instanceof Error && typeof sqlState === 'string' && /^[0-9A-Z]{5}$/.test(sqlState)) return fail(`the database refused: ${error.message}`, 1);
    throw error;
  } finally {
    await db.close();
  }
}

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
