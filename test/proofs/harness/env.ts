import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandboxes, type RunningSandboxes, type SandboxesOptions } from '../../../connectors/sandbox/index.js';
import { loadConfig } from '../../../runtime/config/load.js';
import { authorizeSandboxConnections } from '../../../runtime/config/sandbox-auth.js';
import type { RunResult } from '../../../runtime/engine/index.js';
import { SqliteStateStore } from '../../../runtime/state/sqlite-store.js';
import { syncOnce, type SyncRequest } from '../../../runtime/sync.js';
import { runProcess, type CliResult } from '../../helpers/cli.js';
import { maplineCli, repoRoot } from './cli-bundle.js';

/** The default flows `npm start` runs: customers first, then orders (which upsert their customer on the way). */
export const DEFAULT_MAPS = ['mappings/customers.map', 'mappings/orders.map'];

/** Commands that read `mapline.config.json`. */
const WITH_CONFIG = new Set(['run', 'logs']);

export type { CliResult } from '../../helpers/cli.js';

/**
 * Both sandboxes on free loopback ports, a temp dir holding a `mapline.config.json` that points at them and a
 * real SQLite state file, and ways to run the real CLI against them in a child process.
 */
export interface ProofEnv {
  readonly sandboxes: RunningSandboxes;
  readonly dir: string;
  readonly configFile: string;
  readonly stateFile: string;
  /** `mapline <args>` to completion, with `--config <configFile>` for the commands that read the config. */
  cli(args: readonly string[], env?: NodeJS.ProcessEnv): Promise<CliResult>;
  /** `mapline run`, killed with SIGKILL the first time `killWhen` holds (polled every 2 ms). */
  runAndKill(killWhen: () => boolean): Promise<CliResult & { killed: boolean }>;
  /** One run in this process (as `mapline run` does it, without the process start): for the fault matrix. */
  sync(request?: Omit<SyncRequest, 'config'>): Promise<RunResult>;
  /** Authorises the eAccounting sandbox client now and stores the tokens (before faults are switched on). */
  authorize(): Promise<void>;
  /** Opens the state file (close it again before the next run). */
  state(): SqliteStateStore;
  close(): Promise<void>;
}

export interface ProofEnvOptions {
  readonly sandbox?: SandboxesOptions;
  readonly maps?: readonly string[];
  /** Keep the documented rate limits in the client (default: off, the sandboxes' limits are off too). */
  readonly clientRateLimits?: boolean;
  /** The connections' `timeScale` (rate windows, 429 waits and back-off scaled like the sandboxes' windows). */
  readonly timeScale?: number;
  /** Leave these connection fields out of the config file (they then come from the environment). */
  readonly omit?: readonly ('secret' | 'clientSecret')[];
}

export async function startProofEnv(options: ProofEnvOptions = {}): Promise<ProofEnv> {
  const sandboxes = await startSandboxes({ rateLimits: { enabled: false }, ...options.sandbox, ccvPort: 0, eaccountingPort: 0 });
  const dir = mkdtempSync(join(tmpdir(), 'mapline-proof-'));
  const configFile = join(dir, 'mapline.config.json');
  const stateFile = join(dir, 'state.sqlite');
  const { ccvshop, eaccounting } = sandboxes;
  const limits = options.clientRateLimits ?? false;
  const omit = new Set(options.omit ?? []);
  const scale = options.timeScale !== undefined ? { timeScale: options.timeScale } : {};
  writeFileSync(
    configFile,
    JSON.stringify(
      {
        state: stateFile,
        connections: {
          ccvshop: { baseUrl: ccvshop.baseUrl, publicKey: ccvshop.publicKey, ...(omit.has('secret') ? {} : { secret: ccvshop.secret }), rateLimits: limits, ...scale },
          eaccounting: {
            baseUrl: eaccounting.baseUrl,
            identityUrl: eaccounting.origin,
            clientId: eaccounting.clientId,
            ...(omit.has('clientSecret') ? {} : { clientSecret: eaccounting.clientSecret }),
            rateLimits: limits,
            ...scale,
          },
        },
        flows: (options.maps ?? DEFAULT_MAPS).map((file) => ({ file: join(repoRoot, file) })),
      },
      null,
      2,
    ),
  );
  const cli = await maplineCli();
  const argv = (args: readonly string[]): string[] => [process.execPath, cli, ...args, ...(WITH_CONFIG.has(args[0] ?? '') ? ['--config', configFile] : [])];

  return {
    sandboxes,
    dir,
    configFile,
    stateFile,
    cli: (args, env) => runProcess(argv(args), { cwd: dir, ...(env ? { env } : {}) }),
    runAndKill: (killWhen) => runProcess(argv(['run']), { cwd: dir, killWhen }),
    async sync(request = {}) {
      const outcome = await syncOnce({ config: loadConfig(configFile), prepareConnections: authorizeSandboxConnections, ...request });
      if (outcome.kind !== 'ran') throw new Error(`the mappings do not compile: ${outcome.diagnostics.map((d) => d.message).join('; ')}`);
      return outcome.result;
    },
    async authorize() {
      const store = SqliteStateStore.open(stateFile);
      try {
        await authorizeSandboxConnections(loadConfig(configFile), store);
      } finally {
        await store.close();
      }
    },
    state: () => SqliteStateStore.open(stateFile),
    async close() {
      await sandboxes.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
