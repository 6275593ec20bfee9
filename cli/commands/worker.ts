import type { Command } from 'commander';
import { DATABASE_URL_ENV, DatabaseError, openDatabase } from '../../runtime/service/database.js';
import { RegistryError } from '../../runtime/service/registry.js';
import { SecretKeyError } from '../../runtime/secrets/secret-box.js';
import { registerCcvWebhooks } from '../../runtime/service/webhooks/register.js';
import { startWebhookReceiver, type WebhookCall } from '../../runtime/service/webhooks/receiver.js';
import { startWorker, type WorkerEvent } from '../../runtime/service/worker/worker.js';
import type { SetExitCode } from './index.js';

/**
 * Connections a worker holds by default at most. Every statement of a job is short (no connection is held across an
 * API call), so a few connections serve many jobs at once; PostgreSQL's max_connections (100 by default) is shared
 * by every worker and the dashboard, and a worker running 200 jobs must not ask for 404.
 */
const MAX_DEFAULT_POOL = 20;

interface WorkerCommandOptions {
  readonly database?: string;
  readonly concurrency: string;
  readonly json?: boolean;
  readonly webhooksPort?: string;
  readonly webhooksHost: string;
  readonly maxRecords: string;
  readonly expireSeconds: string;
  readonly retrySeconds: string;
  readonly pollSeconds: string;
  readonly maintenanceSeconds: string;
  readonly busySeconds: string;
  readonly settleGraceSeconds?: string;
  readonly poolSize?: string;
}

/**
 * `mapline worker`: runs the service's jobs (schedules, webhook-started runs, follow-up slices) until SIGTERM or
 * SIGINT, then lets the job in hand end after its current record, hands the rest back, and exits 0. The logic is
 * `runtime/service/worker/`; `mapline webhooks register` tells a shop where to call.
 */
export function registerWorker(program: Command, setExitCode: SetExitCode): void {
  program
    .command('worker')
    .description('service mode: run the scheduled and webhook-started jobs of every integration until stopped (docs/service.md)')
    .option('--database <url>', `the service database (default: $${DATABASE_URL_ENV})`)
    .option('--concurrency <n>', 'jobs run at once by this worker', '2')
    .option('--json', 'print one JSON line per job')
    .option('--webhooks-port <n>', 'also receive the shops\' webhooks on this port (0 picks one)')
    .option('--webhooks-host <address>', 'address the webhook receiver binds', '127.0.0.1')
    .option('--max-records <n>', 'records created or updated per job slice', '200')
    .option('--expire-seconds <n>', 'a job running longer is taken to be lost and handed to another worker', '600')
    .option('--retry-seconds <n>', 'wait before a failed job is tried again (doubling)', '30')
    .option('--poll-seconds <s>', 'how often an idle worker asks for a job', '1')
    .option('--maintenance-seconds <n>', 'how often lost jobs are looked for', '60')
    .option('--busy-seconds <n>', 'wait before a job whose flow runs elsewhere is tried again', '5')
    .option('--settle-grace-seconds <n>', 'how long an unanswered create is given before it is retried (default 60)')
    .option('--pool-size <n>', `database connections this worker holds at most (default: 2 per job at once plus 4, at most ${MAX_DEFAULT_POOL})`)
    .action(async (options: WorkerCommandOptions) => setExitCode(await workerCommand(options)));
}

export function registerWebhooks(program: Command, setExitCode: SetExitCode): void {
  program
    .command('webhooks')
    .description('service mode: shop webhooks that start runs early')
    .command('register')
    .argument('<integration>')
    .requiredOption('--receiver <url>', 'where the shop reaches `mapline worker --webhooks-port` (e.g. https://hooks.example.com)')
    .option('--database <url>', `the service database (default: $${DATABASE_URL_ENV})`)
    .description("register the webhooks of an integration's shop (orders placed or paid, products changed); their keys are stored encrypted")
    .action(async (name: string, options: { receiver: string; database?: string }) => setExitCode(await registerCommand(name, options)));
}

async function workerCommand(options: WorkerCommandOptions): Promise<number> {
  const url = options.database ?? process.env[DATABASE_URL_ENV];
  if (!url) return fail('worker', `no database: pass --database URL or set ${DATABASE_URL_ENV}`, 2);
  const concurrency = Number(options.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1) return fail('worker', `--concurrency must be a whole number of at least 1, not "${options.concurrency}"`, 2);
  const number = (text: string | undefined): number | undefined => (text === undefined ? undefined : Number(text));
  const poolSize = options.poolSize === undefined ? Math.min(concurrency * 2 + 4, MAX_DEFAULT_POOL) : Number(options.poolSize);
  if (!Number.isInteger(poolSize) || poolSize < 2) return fail('worker', `--pool-size must be a whole number of at least 2, not "${options.poolSize}"`, 2);
  let db;
  try {
    db = await openDatabase(url, { max: poolSize });
  } catch (error) {
    if (error instanceof DatabaseError) return fail('worker', error.message, 1);
    throw error;
  }
  const print = (line: WorkerEvent | (WebhookCall & { event: string; kind: 'webhook' })): void => {
    process.stdout.write(options.json ? `${JSON.stringify(line)}\n` : `${describe(line)}\n`);
  };
  const settle = number(options.settleGraceSeconds);
  const worker = await startWorker(db, {
    concurrency,
    maxRecords: Number(options.maxRecords),
    expireInSeconds: Number(options.expireSeconds),
    retryDelaySeconds: Number(options.retrySeconds),
    pollingIntervalSeconds: Number(options.pollSeconds),
    maintenanceIntervalSeconds: Number(options.maintenanceSeconds),
    busyBackoffSeconds: Number(options.busySeconds),
    ...(settle !== undefined ? { settleGraceMs: settle * 1000 } : {}),
    onEvent: print,
  });
  const receiver =
    options.webhooksPort === undefined
      ? undefined
      : await startWebhookReceiver({ db, queue: worker.queue, port: Number(options.webhooksPort), host: options.webhooksHost, onCall: (call) => print({ ...call, kind: 'webhook' }) });
  if (receiver) process.stdout.write(options.json ? `${JSON.stringify({ event: 'webhooks', url: receiver.url })}\n` : `Receiving webhooks at ${receiver.url}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  await receiver?.close();
  await worker.stop();
  await db.close();
  return 0;
}

async function registerCommand(name: string, options: { receiver: string; database?: string }): Promise<number> {
  const url = options.database ?? process.env[DATABASE_URL_ENV];
  if (!url) return fail('webhooks register', `no database: pass --database URL or set ${DATABASE_URL_ENV}`, 2);
  const db = await openDatabase(url).catch((error: unknown) => error as Error);
  if (db instanceof Error) return fail('webhooks register', db.message, 1);
  try {
    const hooks = await registerCcvWebhooks(db, name, options.receiver);
    for (const hook of hooks) process.stdout.write(`Registered ${hook.event} -> ${hook.address} (starts ${hook.flows.join(', ')})\n`);
    return 0;
  } catch (error) {
    if (error instanceof RegistryError || error instanceof SecretKeyError) return fail('webhooks register', error.message, 2);
    throw error;
  } finally {
    await db.close();
  }
}

function describe(line: WorkerEvent | (WebhookCall & { kind: 'webhook' })): string {
  if ('kind' in line) return `webhook ${line.event} for ${line.integrationId}: ${line.status}${line.enqueued.length > 0 ? `, queued ${line.enqueued.join(', ')}` : ''}`;
  if (line.event === 'started') return `Worker ${line.workerId} started (${line.concurrency} at once).`;
  if (line.event === 'stopped') return `Worker ${line.workerId} stopped.`;
  const o = line.outcome;
  const what = o.skipped
    ? `skipped: ${o.skipped}${o.error ? ` (${o.error})` : ''}`
    : o.busy
      ? 'running elsewhere; asked again later'
      : o.error
        ? `failed: ${o.error}`
        : `read ${o.read}, created ${o.created}, updated ${o.updated}, failed ${o.failed}${o.more ? ', more to do (queued)' : ''}${o.handedBack ? ', handed back' : ''}`;
  return `${o.integration ?? line.integrationId} ${line.flow} (${line.reason}): ${what} in ${line.durationMs} ms`;
}

function fail(command: string, message: string, code: number): number {
  process.stderr.write(`mapline ${command}: ${message}\n`);
  return code;
}
