import type { Command } from 'commander';
import { DataFileError } from '../../connectors/sandbox/data-file.js';
import type { FaultSettings } from '../../connectors/sandbox/faults.js';
import { SANDBOX_DEFAULTS, startSandboxes, type RunningSandboxes, type SandboxesOptions } from '../../connectors/sandbox/index.js';
import type { SetExitCode } from './index.js';
import { runTenantSandboxes } from './sandbox-tenants.js';

interface SandboxCliOptions {
  readonly host: string;
  readonly ccvPort: string;
  readonly eaccountingPort: string;
  readonly seed: string;
  readonly products?: string;
  readonly customers?: string;
  readonly orders?: string;
  readonly anchor?: string;
  readonly data?: string;
  readonly dataOnly?: boolean;
  readonly rateLimits: boolean;
  readonly timeScale?: string;
  readonly rateWindowMs?: string;
  readonly latency?: string;
  readonly latencyJitter?: string;
  readonly errorRate?: string;
  readonly errorStatus?: string;
  readonly dropRate?: string;
  readonly lostResponseRate?: string;
  readonly ccvPublicKey: string;
  readonly ccvSecret: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly rotateRefreshTokens: boolean;
  readonly tenants?: string;
  readonly configDir?: string;
}

/** `mapline sandbox`: both sandboxes in the foreground until Ctrl-C. */
export function registerSandbox(program: Command, setExitCode: SetExitCode): void {
  program
    .command('sandbox')
    .description('start the CCV Shop and eAccounting sandboxes on loopback (until Ctrl-C); see docs/sandbox.md')
    .option('--host <host>', 'address to bind', SANDBOX_DEFAULTS.host)
    .option('--ccv-port <port>', 'CCV Shop port (0 = any free port)', String(SANDBOX_DEFAULTS.ccvPort))
    .option('--eaccounting-port <port>', 'eAccounting API and identity port (0 = any free port)', String(SANDBOX_DEFAULTS.eaccountingPort))
    .option('--seed <seed>', 'seed for the generated data and the faults', SANDBOX_DEFAULTS.seed)
    .option('--products <n>', 'number of products/articles to generate')
    .option('--customers <n>', 'number of customers to generate')
    .option('--orders <n>', 'number of shop orders to generate')
    .option('--anchor <date>', 'the instant generated dates count back from (default: start of today, UTC)')
    .option('--data <file>', 'JSON file with records to load, keyed by connector then entity')
    .option('--data-only', 'serve only the --data records, no generated seed')
    .option('--no-rate-limits', 'turn rate limiting off')
    .option('--time-scale <factor>', 'rate-limit window = 60 s x factor (e.g. 0.01 = 600 ms)')
    .option('--rate-window-ms <ms>', 'rate-limit window in milliseconds (overrides --time-scale)')
    .option('--latency <ms>', 'delay every answer by this many milliseconds')
    .option('--latency-jitter <ms>', 'plus a random delay up to this many milliseconds')
    .option('--error-rate <share>', 'share (0..1) of requests answered with a 5xx')
    .option('--error-status <status>', 'status of injected errors', '500')
    .option('--drop-rate <share>', 'share (0..1) of requests whose connection is dropped unanswered')
    .option('--lost-response-rate <share>', 'share (0..1) of POST/PUT/PATCH applied whose answer is lost')
    .option('--ccv-public-key <key>', 'CCV public key', SANDBOX_DEFAULTS.ccvPublicKey)
    .option('--ccv-secret <secret>', 'CCV secret', SANDBOX_DEFAULTS.ccvSecret)
    .option('--client-id <id>', 'eAccounting OAuth client id', SANDBOX_DEFAULTS.eaClientId)
    .option('--client-secret <secret>', 'eAccounting OAuth client secret', SANDBOX_DEFAULTS.eaClientSecret)
    .option('--no-rotate-refresh-tokens', 'reusable refresh tokens (default: a used refresh token is rejected)')
    .option('--tenants <n>', 'serve n independent shops and accounting companies (credentials demo1/demo1, demo2/demo2, ...)')
    .option('--config-dir <dir>', 'write dir/tenant-N/mapline.config.json (and its .map files) for every tenant')
    .action(async (options: SandboxCliOptions) => {
      setExitCode(await runSandbox(options));
    });
}

async function runSandbox(cli: SandboxCliOptions): Promise<number> {
  let options: SandboxesOptions;
  let tenants: number | undefined;
  try {
    options = toOptions(cli);
    tenants = tenantCount(cli);
  } catch (error) {
    process.stderr.write(`mapline sandbox: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  if (tenants !== undefined) return runTenantSandboxes(options, tenants, cli.configDir);
  let sandboxes: RunningSandboxes;
  try {
    sandboxes = await startSandboxes(options);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`mapline sandbox: ${message}\n`);
    return error instanceof DataFileError ? 2 : 1;
  }
  process.stdout.write(describe(sandboxes, cli));
  await waitForStopSignal();
  process.stdout.write('\nstopping sandboxes...\n');
  await sandboxes.close();
  return 0;
}

function toOptions(cli: SandboxCliOptions): SandboxesOptions {
  const sizes = {
    ...(cli.products !== undefined ? { products: count(cli.products, '--products') } : {}),
    ...(cli.customers !== undefined ? { customers: count(cli.customers, '--customers') } : {}),
    ...(cli.orders !== undefined ? { orders: count(cli.orders, '--orders') } : {}),
  };
  if (cli.anchor !== undefined && Number.isNaN(Date.parse(cli.anchor))) throw new Error(`--anchor: "${cli.anchor}" is not a date`);
  const windowMs =
    cli.rateWindowMs !== undefined ? positive(cli.rateWindowMs, '--rate-window-ms') : cli.timeScale !== undefined ? 60_000 * positive(cli.timeScale, '--time-scale') : 60_000;
  const faults: Partial<FaultSettings> = {
    ...(cli.latency !== undefined ? { latencyMs: count(cli.latency, '--latency') } : {}),
    ...(cli.latencyJitter !== undefined ? { latencyJitterMs: count(cli.latencyJitter, '--latency-jitter') } : {}),
    ...(cli.errorRate !== undefined ? { errorRate: share(cli.errorRate, '--error-rate') } : {}),
    ...(cli.errorStatus !== undefined ? { errorStatus: status(cli.errorStatus) } : {}),
    ...(cli.dropRate !== undefined ? { dropRate: share(cli.dropRate, '--drop-rate') } : {}),
    ...(cli.lostResponseRate !== undefined ? { lostResponseRate: share(cli.lostResponseRate, '--lost-response-rate') } : {}),
  };
  return {
    host: cli.host,
    ccvPort: port(cli.ccvPort, '--ccv-port'),
    eaccountingPort: port(cli.eaccountingPort, '--eaccounting-port'),
    seed: cli.seed,
    sizes,
    ...(cli.anchor !== undefined ? { anchor: new Date(cli.anchor).toISOString() } : {}),
    ...(cli.data !== undefined ? { data: cli.data } : {}),
    ...(cli.dataOnly ? { dataOnly: true } : {}),
    rateLimits: { enabled: cli.rateLimits, windowMs },
    faults,
    ccvshop: { publicKey: cli.ccvPublicKey, secret: cli.ccvSecret },
    eaccounting: { clientId: cli.clientId, clientSecret: cli.clientSecret, rotateRefreshTokens: cli.rotateRefreshTokens },
  };
}

function describe(s: RunningSandboxes, cli: SandboxCliOptions): string {
  // Only the well-known demo secrets are printed; anything the user chose stays off the terminal.
  const shown = (value: string, fallback: string) => (value === fallback ? value : '(as given)');
  const ccvCounts = s.ccvshop.control.counts();
  const eaCounts = s.eaccounting.control.counts();
  return [
    `CCV Shop sandbox      ${s.ccvshop.baseUrl}`,
    `  public key          ${s.ccvshop.publicKey}`,
    `  secret              ${shown(cli.ccvSecret, SANDBOX_DEFAULTS.ccvSecret)}`,
    `  records             ${summary(ccvCounts)}`,
    `  control API         ${s.ccvshop.origin}/__sandbox`,
    `eAccounting sandbox   ${s.eaccounting.baseUrl}`,
    `  authorize           ${s.eaccounting.authorizeUrl}`,
    `  token               ${s.eaccounting.tokenUrl}`,
    `  client id           ${s.eaccounting.clientId}`,
    `  client secret       ${shown(cli.clientSecret, SANDBOX_DEFAULTS.eaClientSecret)}`,
    `  records             ${summary(eaCounts)}`,
    `  control API         ${s.eaccounting.origin}/__sandbox`,
    `seed ${String(s.plan.seed)}, dates up to ${s.plan.anchor}; rate limits ${cli.rateLimits ? 'on' : 'off'}`,
    'press Ctrl-C to stop',
    '',
  ].join('\n');
}

export function summary(counts: Record<string, number>): string {
  return Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([entity, n]) => `${entity} ${n}`)
    .join(', ');
}

/** The number of tenants when `--tenants` or `--config-dir` asks for a fleet (one tenant with only `--config-dir`). */
function tenantCount(cli: SandboxCliOptions): number | undefined {
  if (cli.tenants === undefined && cli.configDir === undefined) return undefined;
  const tenants = cli.tenants === undefined ? 1 : count(cli.tenants, '--tenants');
  if (tenants < 1) throw new Error('--tenants: at least 1');
  const own = (value: string, fallback: string) => value !== fallback;
  if (own(cli.ccvPublicKey, SANDBOX_DEFAULTS.ccvPublicKey) || own(cli.ccvSecret, SANDBOX_DEFAULTS.ccvSecret) || own(cli.clientId, SANDBOX_DEFAULTS.eaClientId) || own(cli.clientSecret, SANDBOX_DEFAULTS.eaClientSecret)) {
    throw new Error('--tenants: every tenant has its own credentials (demo1/demo1, ...); leave out --ccv-public-key, --ccv-secret, --client-id and --client-secret');
  }
  if (cli.data !== undefined || cli.dataOnly) throw new Error('--tenants: every tenant has its own seeded data; --data and --data-only are for one tenant');
  return tenants;
}

export function waitForStopSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

function count(raw: string, flag: string): number {
  if (!/^\d+$/.test(raw)) throw new Error(`${flag}: "${raw}" is not a whole number`);
  return Number(raw);
}

function port(raw: string, flag: string): number {
  const value = count(raw, flag);
  if (value > 65535) throw new Error(`${flag}: ${value} is not a port`);
  return value;
}

function positive(raw: string, flag: string): number {
  const value = Number(raw);
  if (!(value > 0)) throw new Error(`${flag}: "${raw}" must be a positive number`);
  return value;
}

function share(raw: string, flag: string): number {
  const value = Number(raw);
  if (!(value >= 0 && value <= 1)) throw new Error(`${flag}: "${raw}" must be between 0 and 1`);
  return value;
}

function status(raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 500 || value > 599) throw new Error(`--error-status: "${raw}" must be a 5xx status`);
  return value;
}
