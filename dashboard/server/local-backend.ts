import { oneShopName, type MaplineConfig } from '../../runtime/config/config.js';
import { loadConfig } from '../../runtime/config/load.js';
import { authorizeSandboxConnections } from '../../runtime/config/sandbox-auth.js';
import { afterRun, notifySettingsOf } from '../../runtime/housekeeping.js';
import { SqliteStateStore } from '../../runtime/state/sqlite-store.js';
import type { StateStore } from '../../runtime/state/store.js';
import { prepareRun, readMapSources, syncOnce, type SyncOutcome } from '../../runtime/sync.js';
import { DashboardError, type DashboardBackend, type DashboardIntegration, type DashboardRunReport, type DashboardRunRequest } from './backend.js';
import { dashboardReport } from './run-report.js';

/**
 * One shop: the integration of a `mapline.config.json` (named after its folder) with its SQLite state file.
 * The config and `.map` files are read again for every request, so a mapping corrected on disk is what the next
 * retry runs.
 */
export class LocalBackend implements DashboardBackend {
  readonly mode = 'sqlite' as const;
  readonly name: string;

  constructor(
    private readonly configPath: string,
    private readonly env: Readonly<Record<string, string | undefined>> = process.env,
  ) {
    this.name = oneShopName(this.config());
  }

  private config(): MaplineConfig {
    return loadConfig(this.configPath, this.env);
  }

  async list(): Promise<DashboardIntegration[]> {
    const config = this.config();
    const prepared = prepareRun(config, readMapSources(config));
    if (prepared.kind === 'compile-errors') return [{ name: this.name, state: 'active', flows: [], problem: `the .map files do not compile (${prepared.diagnostics.length} diagnostics; mapline check says where)` }];
    return [{ name: this.name, state: 'active', flows: prepared.flows }];
  }

  async get(name: string): Promise<DashboardIntegration | undefined> {
    return name === this.name ? (await this.list())[0] : undefined;
  }

  async openStore(name: string): Promise<StateStore> {
    this.require(name);
    return SqliteStateStore.open(this.config().state);
  }

  async mapText(name: string, file: string): Promise<string | undefined> {
    this.require(name);
    return readMapSources(this.config()).find((source) => source.name === file)?.text;
  }

  async run(name: string, request: DashboardRunRequest): Promise<DashboardRunReport> {
    this.require(name);
    const config = this.config();
    let outcome: SyncOutcome | undefined;
    let failure: string | undefined;
    try {
      outcome = await syncOnce({
        config,
        ...(request.flows ? { flows: request.flows } : {}),
        retryFailed: request.retryFailed ?? false,
        ...(request.retryOnly ? { retryOnly: request.retryOnly } : {}),
        prepareConnections: authorizeSandboxConnections,
      });
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
    }
    // Like `mapline run` from cron: purge and notify about new failures.
    const result = outcome?.kind === 'ran' ? outcome.result : undefined;
    await afterRun(config, { at: new Date(), ...(failure !== undefined ? { failure } : {}), ...(result ? { result } : {}) }, { notify: notifySettingsOf(config) });
    return dashboardReport(outcome, failure);
  }

  async setState(name: string): Promise<void> {
    this.require(name);
    throw new DashboardError(409, 'a one-shop setup has no schedule to pause: stop its cron job or `mapline run --watch`');
  }

  async close(): Promise<void> {}

  private require(name: string): void {
    if (name !== this.name) throw new DashboardError(404, `no integration named ${name}`);
  }
}
