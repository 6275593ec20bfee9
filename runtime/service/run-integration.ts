import { ConfigError } from '../config/load.js';
import { authorizeSandboxConnections } from '../config/sandbox-auth.js';
import { afterRun, notifySettingsOf, type HousekeepingReport } from '../housekeeping.js';
import { syncOnce, type SyncOutcome } from '../sync.js';
import type { MaplineDatabase } from './database.js';
import { integrationState } from './integration-state.js';
import { loadIntegration } from './load-integration.js';
import { IntegrationRegistry, RegistryError, type Integration } from './registry.js';
import { sharedRateBudgets } from './shared-rate-budget.js';

export interface IntegrationRunRequest {
  readonly name: string;
  /** Only these flows (of the integration's); all its enabled flows when absent. */
  readonly flows?: readonly string[];
  readonly dryRun?: boolean;
  readonly retryFailed?: boolean;
  /** With `retryFailed`: only these source records' quarantine entries. */
  readonly retryOnly?: readonly string[];
  /** The worker's environment: `MAPLINE_SECRET_KEY` and the `env:NAME` references (process.env by default). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly onProgress?: (flow: string, done: number, total: number) => void;
  /** A worker's job: the flow lock's lease, renewed while it runs (see `RunOptions.lockLeaseMs`). */
  readonly lockLeaseMs?: number;
  /** A worker's job: a bounded slice (see `RunOptions.maxRecords`); a flow's result says `more` when it stopped early. */
  readonly maxRecords?: number;
  /** A worker's job: see `RunOptions.settleGraceMs`. */
  readonly settleGraceMs?: number;
  /** Stop after the record in progress (a worker shutting down). */
  readonly signal?: AbortSignal;
}

export interface IntegrationRunReport {
  readonly integration: Integration;
  /** What the run did; absent when it failed as a whole (`failure` says why). */
  readonly outcome?: SyncOutcome;
  readonly failure?: string;
  /** Purge and notifications after the run (not after a dry run). */
  readonly housekeeping?: HousekeepingReport;
}

/**
 * Runs an integration's flows once, in this process, with its state in the service database: what
 * `mapline integrations run NAME` does, and the unit of work a worker's job will call. The engine's exactly-once
 * rules hold as in one-shop mode (the same engine, a `PgStateStore` bound to the integration), and its per-flow
 * locks keep two runs of one flow of one integration from overlapping anywhere that shares the database.
 *
 * Throws when the run cannot start (no such integration, paused, key or config problems: `RegistryError`,
 * `SecretKeyError`, `ConfigError`); a run that started and failed (an API down) is reported, not thrown.
 */
export async function runIntegration(db: MaplineDatabase, request: IntegrationRunRequest): Promise<IntegrationRunReport> {
  const registry = new IntegrationRegistry(db);
  const integration = await registry.require(request.name);
  if (integration.state === 'paused') throw new RegistryError(`integration ${integration.name} is paused (mapline integrations resume ${integration.name} runs it again)`);
  const env = request.env ?? process.env;
  const { config, sources, secrets } = await loadIntegration(registry, integration, env);
  const state = integrationState(db, integration, secrets);
  const dryRun = request.dryRun ?? false;
  let outcome: SyncOutcome | undefined;
  let failure: string | undefined;
  try {
    outcome = await syncOnce({
      config,
      sources,
      state,
      ...(request.flows && request.flows.length > 0 ? { flows: request.flows } : {}),
      dryRun,
      retryFailed: request.retryFailed ?? false,
      ...(request.retryOnly ? { retryOnly: request.retryOnly } : {}),
      prepareConnections: authorizeSandboxConnections,
      // Every worker on the same credentials draws on one budget in the database (docs/service.md).
      rateBudget: sharedRateBudgets(db.pool),
      ...(request.onProgress ? { onProgress: request.onProgress } : {}),
      ...(request.lockLeaseMs !== undefined ? { lockLeaseMs: request.lockLeaseMs } : {}),
      ...(request.maxRecords !== undefined ? { maxRecords: request.maxRecords } : {}),
      ...(request.settleGraceMs !== undefined ? { settleGraceMs: request.settleGraceMs } : {}),
      ...(request.signal ? { signal: request.signal } : {}),
    });
    if (outcome.kind === 'compile-errors') failure = `the .map files do not compile (${outcome.diagnostics.length} diagnostics)`;
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    failure = error instanceof Error ? error.message : String(error);
  }
  if (dryRun) return { integration, ...(outcome ? { outcome } : {}), ...(failure !== undefined ? { failure } : {}) };
  const result = outcome?.kind === 'ran' ? outcome.result : undefined;
  const housekeeping = await afterRun(
    config,
    { at: new Date(), ...(failure !== undefined ? { failure } : {}), ...(result ? { result } : {}) },
    { notify: notifySettingsOf(config, { integration: integration.name, retryCommand: `mapline integrations run ${integration.name} --retry-failed` }), state },
  );
  return { integration, ...(outcome ? { outcome } : {}), ...(failure !== undefined ? { failure } : {}), housekeeping };
}
