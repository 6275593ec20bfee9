import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_CONFIG_FILE, loadConfig } from '../../runtime/config/load.js';
import { authorizeSandboxConnections } from '../../runtime/config/sandbox-auth.js';
import { Asker, InitInputError, planInit, terminalReader, writePlan, type LineReader } from '../../runtime/init/index.js';
import { syncOnce } from '../../runtime/sync.js';
import { authorizeEaccounting } from './auth.js';
import { packageRoot } from '../shared/package-root.js';
import type { SetExitCode } from './index.js';

/** Every question's flag (see runtime/init/wizard.ts); `--terms` answers the payment-method table. */
const ANSWER_FLAGS: readonly [flag: string, description: string][] = [
  ['shop', 'webshop system: ccvshop'],
  ['accounting', 'accounting system: eaccounting'],
  ['ccv-url', 'shop API URL, e.g. https://myshop.nl/api/rest/v1'],
  ['ccv-public-key', 'CCV public key'],
  ['ccv-secret', 'CCV secret (prefer env MAPLINE_CCVSHOP_SECRET: a flag shows in ps)'],
  ['state', 'state file, relative to the config (default mapline.state.sqlite)'],
  ['ea-client-id', 'eAccounting OAuth2 client id'],
  ['ea-client-secret', 'eAccounting client secret (prefer env MAPLINE_EACCOUNTING_CLIENT_SECRET)'],
  ['ea-url', 'eAccounting API URL (default Visma\'s)'],
  ['ea-identity-url', 'identity server origin (a sandbox); default Visma\'s'],
  ['flows', 'flows, comma-separated: orders, customers, products, stock, products-to-accounting'],
  ['document', 'what an order becomes: orders, invoices, invoice-drafts, quotes'],
  ['statuses', 'shop order statuses to send, e.g. 1,2,5'],
  ['default-customer', 'a CustomerNumber to book every order on, or none'],
  ['update-customers', 'update existing customers: yes/no'],
  ['update-products', 'update existing shop products: yes/no'],
  ['categories', 'article labels as shop categories, products put in them: yes/no (default yes)'],
  ['update-articles', 'update existing articles: yes/no'],
  ['stock-calculation', 'available, balance or available_floored'],
  ['terms', 'payment method -> terms of payment, e.g. manual_banktransfer=2,paypal_paypal="Betaald via webshop (PSP)"'],
];

interface InitOptions {
  readonly config: string;
  readonly yes?: boolean;
  readonly force?: boolean;
  readonly dryRun: boolean;
  readonly storeSecrets: boolean;
  readonly [flag: string]: unknown;
}

export function registerInit(program: Command, setExitCode: SetExitCode): void {
  const command = program
    .command('init')
    .description('set up Mapline step by step: systems, credentials (tested), flows and their settings; writes the config and ends with a dry run')
    .option('--config <file>', 'the config file to write', DEFAULT_CONFIG_FILE)
    .option('--yes', 'ask nothing: take every answer from the flags or the defaults (the default without a terminal)')
    .option('--force', 'overwrite an existing config file')
    .option('--no-dry-run', 'do not end with a dry run')
    .option('--no-store-secrets', 'leave the secrets out of the config (give them as MAPLINE_CCVSHOP_SECRET, MAPLINE_EACCOUNTING_CLIENT_SECRET)');
  for (const [flag, description] of ANSWER_FLAGS) command.option(`--${flag} <value>`, description);
  command.action(async (options: InitOptions) => {
    setExitCode(await init(options));
  });
}

async function init(options: InitOptions): Promise<number> {
  const configPath = resolve(options.config);
  const interactive = !options.yes && process.stdin.isTTY === true;
  const reader = interactive ? terminalReader(process.stdin, process.stdout) : undefined;
  const say = (line: string): boolean => process.stdout.write(`${line}\n`);
  try {
    if (existsSync(configPath) && !options.force && !(await confirmOverwrite(reader, configPath))) {
      process.stderr.write(`mapline init: ${options.config} exists; pass --force to replace it\n`);
      return 2;
    }
    const flags: Record<string, string | undefined> = {};
    for (const [flag] of ANSWER_FLAGS) flags[flag] = options[camel(flag)] as string | undefined;
    const asker = new Asker(flags, reader, (line) => void say(line));
    const plan = await planInit({
      asker,
      configPath,
      mappingsRoot: packageRoot(),
      env: process.env,
      omitSecrets: !options.storeSecrets,
      signIn: async (request) =>
        (await authorizeEaccounting(
          {
            clientId: request.clientId,
            clientSecret: request.clientSecret,
            ...(request.identityUrl ? { identityUrl: request.identityUrl } : {}),
            ...(request.apiUrl ? { apiUrl: request.apiUrl } : {}),
            state: request.state,
            connection: request.connection,
            timeout: '300',
            verify: false,
          },
          (line) => void say(`  ${line}`),
        )) === 0,
    });
    say('');
    for (const file of writePlan(plan)) say(`Wrote ${relative(process.cwd(), file) || file}`);
    if (options.storeSecrets) say('The config holds the API secrets (readable by you only): keep it out of version control.');
    if (!options.dryRun) return 0;
    return await dryRun(configPath, say);
  } catch (error) {
    if (error instanceof InitInputError) {
      process.stderr.write(`mapline init: ${error.message}\n`);
      return 2;
    }
    process.stderr.write(`mapline init: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    reader?.close();
  }
}

async function confirmOverwrite(reader: LineReader | undefined, path: string): Promise<boolean> {
  if (!reader) return false;
  const answer = await reader.question(`${relative(process.cwd(), path)} exists. Replace it? [no]: `, false);
  return /^(y|yes)$/i.test(answer.trim());
}

/** The last step: every read, no write, and what the first real run would do per flow. */
async function dryRun(configPath: string, say: (line: string) => void): Promise<number> {
  say('');
  say('Dry run (reads everything, writes nothing):');
  const outcome = await syncOnce({ config: loadConfig(configPath), dryRun: true, prepareConnections: authorizeSandboxConnections });
  if (outcome.kind === 'compile-errors') {
    process.stderr.write(`mapline init: the chosen mappings do not compile; run mapline check on them\n`);
    return 1;
  }
  for (const flow of outcome.result.flows) {
    const s = flow.summary;
    say(`  ${flow.flow}: read ${s.read}, would create ${s.created}, update ${s.updated}, skip ${s.skipped}, fail ${s.failed}`);
    for (const record of flow.records.filter((r) => r.action === 'fail').slice(0, 3)) say(`    would fail: ${record.reason}`);
  }
  for (const error of outcome.result.errors) say(`  ! ${error.message}`);
  say('');
  say('Next: mapline run (once), or mapline run --watch --interval 5m (keeps running); see docs/operations.md.');
  return outcome.result.errors.length > 0 ? 1 : 0;
}

function camel(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}
