import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import type { DashboardBackend } from '../../dashboard/server/backend.js';
import { LocalBackend } from '../../dashboard/server/local-backend.js';
import { jobQueueView, NO_SCHEDULER, type JobView } from '../../dashboard/server/job-view.js';
import { dashboardBundle } from '../../dashboard/server/paths.js';
import { startDashboardServer } from '../../dashboard/server/server.js';
import { ServiceBackend } from '../../dashboard/server/service-backend.js';
import { Sessions } from '../../dashboard/server/sessions.js';
import { PgUserDirectory } from '../../dashboard/server/users.js';
import { ensureBuilt, ensurePlaygroundBuilt } from '../../playground/server/ensure-built.js';
import { DEFAULT_CONFIG_FILE } from '../../runtime/config/load.js';
import { DATABASE_URL_ENV, DatabaseError, openDatabase } from '../../runtime/service/database.js';
import { JobQueue } from '../../runtime/service/jobs/index.js';
import type { SetExitCode } from './index.js';

/** Whoever logs in with this token sees every integration. */
export const DASHBOARD_TOKEN_ENV = 'MAPLINE_DASHBOARD_TOKEN';

interface DashboardOptions {
  readonly port: string;
  readonly host: string;
  readonly database?: string;
  readonly config: string;
  readonly secureCookie?: boolean;
}

/**
 * `mapline dashboard`: the operator dashboard over the service database (`--database` or MAPLINE_DATABASE_URL)
 * or, without one, over the one-shop config and its SQLite state. `mapline dashboard-users` keeps its accounts.
 */
export function registerDashboard(program: Command, setExitCode: SetExitCode): void {
  program
    .command('dashboard')
    .description('the operator dashboard: health of every integration and flow, failures to retry, the activity log (docs/dashboard.md)')
    .option('--port <n>', 'port to listen on (0 picks a free one)', '4174')
    .option('--host <address>', 'address to bind', '127.0.0.1')
    .option('--database <url>', `the service database (default: $${DATABASE_URL_ENV}); without one, the one-shop config's state`)
    .option('--config <file>', 'one-shop mode: the config file', DEFAULT_CONFIG_FILE)
    .option('--secure-cookie', 'mark the session cookie Secure (serve it behind HTTPS)')
    .action(async (options: DashboardOptions) => setExitCode(await dashboardCommand(options)));
}

export function registerDashboardUsers(program: Command, setExitCode: SetExitCode): void {
  const users = program.command('dashboard-users').description('service mode: the dashboard accounts (password hashed with scrypt), each seeing all or only some integrations');
  users
    .command('add')
    .argument('<name>')
    .option('--integration <name...>', 'the integrations the user may see (all when not given)')
    .option('--database <url>', `the service database (default: $${DATABASE_URL_ENV})`)
    .description('add or replace a user; the password is read from MAPLINE_DASHBOARD_PASSWORD or the first line of stdin')
    .action(async (name: string, options: { integration?: string[]; database?: string }) => {
      setExitCode(
        await withUsers(options.database, async (directory) => {
          const password = process.env.MAPLINE_DASHBOARD_PASSWORD ?? (await firstLine());
          if (!password || password.length < 12) return fail('dashboard-users add', 'a password of at least 12 characters, please', 2);
          await directory.put(name, password, options.integration ?? null);
          process.stdout.write(`User ${name} sees ${options.integration ? options.integration.join(', ') : 'every integration'}.\n`);
          return 0;
        }),
      );
    });
  users
    .command('remove')
    .argument('<name>')
    .option('--database <url>', `the service database (default: $${DATABASE_URL_ENV})`)
    .action(async (name: string, options: { database?: string }) => {
      setExitCode(await withUsers(options.database, async (directory) => ((await directory.remove(name)) ? 0 : fail('dashboard-users remove', `no user ${name}`, 2))));
    });
  users
    .command('list')
    .option('--database <url>', `the service database (default: $${DATABASE_URL_ENV})`)
    .action(async (options: { database?: string }) => {
      setExitCode(
        await withUsers(options.database, async (directory) => {
          for (const user of await directory.list()) process.stdout.write(`${user.name}  ${user.integrations ? user.integrations.join(', ') : '(all integrations)'}\n`);
          return 0;
        }),
      );
    });
}

async function dashboardCommand(options: DashboardOptions): Promise<number> {
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) return fail('dashboard', `--port must be a port number, got "${options.port}"`, 2);
  const url = options.database ?? process.env[DATABASE_URL_ENV];
  const token = process.env[DASHBOARD_TOKEN_ENV];
  let backend: DashboardBackend;
  let users: PgUserDirectory | undefined;
  let jobs: JobView = NO_SCHEDULER;
  if (url) {
    try {
      const db = await openDatabase(url);
      backend = new ServiceBackend(db);
      users = new PgUserDirectory(db.pool);
      // The workers' queue: the dashboard reads it and adds "Run now" jobs; the workers run them.
      jobs = jobQueueView(await JobQueue.open(db));
    } catch (error) {
      if (error instanceof DatabaseError) return fail('dashboard', error.message, 1);
      throw error;
    }
  } else {
    backend = new LocalBackend(options.config);
    await backend.list(); // a broken config is said now, not at the first page load
  }
  if (!token && !(users && (await users.list()).length > 0)) {
    await jobs.close();
    await backend.close();
    return fail('dashboard', `nobody could log in: set ${DASHBOARD_TOKEN_ENV} to a long random token${url ? ', or add a user with mapline dashboard-users add' : ''}`, 2);
  }
  const [dashboard, playground] = await Promise.all([ensureBuilt(dashboardBundle()), ensurePlaygroundBuilt()]);
  const running = await startDashboardServer({
    dist: dashboard.dist,
    playgroundDist: playground.dist,
    host: options.host,
    port,
    backend,
    jobs,
    sessions: new Sessions(),
    ...(token ? { token } : {}),
    ...(users ? { users } : {}),
    secureCookie: options.secureCookie ?? false,
    now: () => new Date(),
  });
  process.stdout.write(`mapline dashboard on ${running.url} (${backend.mode === 'service' ? 'service database' : `state of ${options.config}`})\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => void running.close().then(() => jobs.close()).then(() => backend.close()).then(resolve);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}

async function withUsers(database: string | undefined, work: (directory: PgUserDirectory) => Promise<number>): Promise<number> {
  const url = database ?? process.env[DATABASE_URL_ENV];
  if (!url) return fail('dashboard-users', `no database: pass --database URL or set ${DATABASE_URL_ENV}`, 2);
  let db;
  try {
    db = await openDatabase(url);
  } catch (error) {
    if (error instanceof DatabaseError) return fail('dashboard-users', error.message, 1);
    throw error;
  }
  try {
    return await work(new PgUserDirectory(db.pool));
  } finally {
    await db.close();
  }
}

async function firstLine(): Promise<string | undefined> {
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  return undefined;
}

function fail(command: string, message: string, code: number): number {
  process.stderr.write(`mapline ${command}: ${message}\n`);
  return code;
}
