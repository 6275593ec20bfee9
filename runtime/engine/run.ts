import { hostname } from 'node:os';
import type { CompiledArtifact, CompiledFlow, Json } from '../../compiler/artifact.js';
import type { EntityDefinition } from '../../connectors/definition.js';
import { BACKENDS, FlowEvaluator, type Backend } from '../evaluate/evaluator.js';
import type { Locate } from '../evaluate/locate.js';
import type { StateStore } from '../state/store.js';
import { runFlow } from './flow-runner.js';
import { isCredentialsRefused, type ConnectorClient } from './ports.js';
import type { FlowResult, FlowSummary } from './types.js';
import { PayloadValidator } from './validate.js';
import { messageOf } from '../message-of.js';

/**
 * How long a flow's lock holds without its holder being seen alive. On one host a dead holder is noticed at once
 * (its pid is gone); the lease only matters for a state file shared between hosts.
 */
const LOCK_LEASE_MS = 6 * 60 * 60 * 1000;

export interface RunOptions {
  readonly artifact: CompiledArtifact;
  /** Flow names to run, in this order; all flows of the artifact when absent. */
  readonly flows?: readonly string[];
  readonly store: StateStore;
  readonly clients: Readonly<Record<string, ConnectorClient>>;
  readonly entityOf: (entity: string) => EntityDefinition;
  /** The standard library bindings (`compiler/stdlib`). */
  readonly stdlib: Readonly<Record<string, unknown>>;
  readonly locate: Locate;
  /** The settings each flow evaluates with (defaults plus config overrides); the flow's defaults when absent. */
  readonly settingsFor?: (flow: CompiledFlow) => Readonly<Record<string, Json>>;
  readonly dryRun?: boolean;
  readonly retryFailed?: boolean;
  /** With `retryFailed`: only these source records' quarantine entries. */
  readonly retryOnly?: readonly string[];
  readonly since?: Date;
  /** Activity, runs and resolved quarantine older than this many days are purged after the run (default 30). */
  readonly retentionDays?: number;
  readonly onProgress?: (flow: string, done: number, total: number) => void;
  /** The clock for settling intents (tests age them); the system clock when absent. */
  readonly now?: () => Date;
  /** Stop after the record in progress (Ctrl-C); flows not started yet are not run. */
  readonly signal?: AbortSignal;
  /** Which evaluator backend runs the fragments; `evaluatorBackend()` (MAPLINE_EVALUATOR) when absent. */
  readonly backend?: Backend;
  /**
   * The flow lock's lease (6 h when absent). With a lease given, the lock is renewed every third of it while the
   * flow runs, so a holder that dies is noticed after at most one lease on any host (service mode's workers).
   */
  readonly lockLeaseMs?: number;
  /**
   * A budget per flow: stop after the page in which this many records were created or updated (skipped and failed
   * records do not count, so a budget is always progress). The flow's result then says `more`; the next run goes
   * on where this one stopped (service mode's bounded job slices).
   */
  readonly maxRecords?: number;
  /** How long an unanswered create is given before it is retried (60 s when absent; lower only for fast APIs). */
  readonly settleGraceMs?: number;
}

/**
 * The evaluator backend the environment asks for: `MAPLINE_EVALUATOR=jsonata` forces JSONata, `js` the
 * JavaScript backend alone; unset (or `auto`) is the default, JavaScript where it applies and JSONata otherwise.
 */
export function evaluatorBackend(env: Readonly<Record<string, string | undefined>> = process.env): Backend {
  const asked = env.MAPLINE_EVALUATOR?.trim().toLowerCase();
  if (asked === undefined || asked === '') return 'auto';
  if (!(BACKENDS as readonly string[]).includes(asked)) throw new Error(`MAPLINE_EVALUATOR must be one of ${BACKENDS.join(', ')}; it is "${env.MAPLINE_EVALUATOR}"`);
  return asked as Backend;
}

export interface RunResult {
  readonly runId: string;
  readonly flows: readonly FlowResult[];
  /** Flows that could not run at all (source unreachable, no connection configured), with the reason. */
  readonly errors: readonly { readonly flow: string; readonly message: string; readonly busy?: true }[];
  /** The run was stopped (Ctrl-C) before every selected flow had read every record. */
  readonly stopped?: boolean;
}

/** One run: every selected flow in order, each on its own; a flow that cannot run does not stop the others. */
export async function runFlows(options: RunOptions): Promise<RunResult> {
  const selected = selectFlows(options.artifact, options.flows);
  const dryRun = options.dryRun ?? false;
  const runId = await options.store.startRun({ flows: selected.map((f) => f.name), dryRun });
  const validator = new PayloadValidator();
  const backend = options.backend ?? evaluatorBackend();
  const results: FlowResult[] = [];
  const errors: { flow: string; message: string; busy?: true }[] = [];
  const owner = { id: runId, host: hostname(), pid: process.pid };
  // A connector that refused its credentials refuses every flow that needs it: those are not started.
  const refused = new Map<string, string>();
  let stopped = false;
  for (const flow of selected) {
    if (options.signal?.aborted) {
      stopped = true;
      break;
    }
    const blocked = connectorsOf(flow).find((c) => refused.has(c));
    if (blocked !== undefined) {
      errors.push({ flow: flow.name, message: `flow ${flow.name} not run: ${blocked} refused the credentials (see flow ${refused.get(blocked)})` });
      continue;
    }
    const leaseMs = options.lockLeaseMs ?? LOCK_LEASE_MS;
    const lock = await options.store.acquireLock(`flow:${flow.name}`, owner, leaseMs);
    if (!lock.acquired) {
      const { holder } = lock;
      errors.push({ flow: flow.name, message: `flow ${flow.name} is being run by another process (pid ${holder.pid} on ${holder.host}, since ${holder.acquiredAt}); not run now`, busy: true });
      continue;
    }
    const evaluator = new FlowEvaluator({
      settings: options.settingsFor?.(flow) ?? defaultSettings(flow),
      tables: flow.tables,
      stdlib: options.stdlib,
      locate: options.locate,
      backend,
    });
    const heartbeat = options.lockLeaseMs === undefined ? undefined : renewWhileRunning(options.store, `flow:${flow.name}`, owner.id, leaseMs);
    try {
      results.push(
        await runFlow({
          flow,
          runId,
          store: options.store,
          clients: options.clients,
          entityOf: options.entityOf,
          evaluator,
          validator,
          locate: options.locate,
          dryRun,
          retryFailed: options.retryFailed ?? false,
          ...(options.retryOnly ? { retryOnly: options.retryOnly } : {}),
          ...(options.since ? { since: options.since } : {}),
          ...(options.now ? { now: options.now } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
          ...(options.maxRecords !== undefined ? { maxRecords: options.maxRecords } : {}),
          ...(options.settleGraceMs !== undefined ? { settleGraceMs: options.settleGraceMs } : {}),
          ...(options.onProgress ? { onProgress: (done: number, total: number) => options.onProgress!(flow.name, done, total) } : {}),
        }),
      );
    } catch (error) {
      if (isCredentialsRefused(error)) refused.set(error.connector, flow.name);
      errors.push({ flow: flow.name, message: `flow ${flow.name} (${options.locate(flow.location)}): ${messageOf(error)}` });
    } finally {
      heartbeat?.stop();
      await options.store.releaseLock(`flow:${flow.name}`, owner.id);
    }
  }
  const summary: Record<string, Json> = {};
  for (const result of results) summary[result.flow] = { ...result.summary };
  for (const error of errors) summary[error.flow] = { error: error.message };
  await options.store.finishRun(runId, summary);
  const retentionDays = options.retentionDays ?? 30;
  await options.store.purge(new Date(Date.now() - retentionDays * 86_400_000));
  stopped ||= results.some((r) => r.stopped === true);
  return { runId, flows: results, errors, ...(stopped ? { stopped } : {}) };
}

/**
 * Renews a flow lock every third of its lease until stopped. A failed renewal (the database briefly away) is tried
 * again at the next beat; the lease is long enough to miss one.
 */
function renewWhileRunning(store: StateStore, name: string, ownerId: string, leaseMs: number): { stop(): void } {
  const timer = setInterval(() => void store.renewLock(name, ownerId, leaseMs).catch(() => undefined), Math.max(50, Math.floor(leaseMs / 3)));
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

/** Every connector a flow calls: its source, its target, and those of its lookups, upserts and write-back. */
function connectorsOf(flow: CompiledFlow): string[] {
  const entities = [flow.source, flow.target, ...flow.plan.lookups.map((l) => l.entity), ...flow.plan.upserts.map((u) => u.entity), ...(flow.writeBack ? [flow.writeBack.entity] : [])];
  return [...new Set(entities.map((e) => e.connector))];
}

export function defaultSettings(flow: CompiledFlow): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [name, spec] of Object.entries(flow.settings)) out[name] = spec.value;
  return out;
}

function selectFlows(artifact: CompiledArtifact, names: readonly string[] | undefined): CompiledFlow[] {
  if (!names || names.length === 0) return [...artifact.flows];
  return names.map((name) => {
    const flow = artifact.flows.find((f) => f.name === name);
    if (!flow) throw new Error(`no flow named "${name}"; the flows are: ${artifact.flows.map((f) => f.name).join(', ')}`);
    return flow;
  });
}

export function totalSummary(results: readonly FlowResult[]): FlowSummary {
  const total = { read: 0, created: 0, updated: 0, skipped: 0, failed: 0, calls: 0 };
  for (const { summary } of results) for (const key of Object.keys(total) as (keyof FlowSummary)[]) total[key] += summary[key];
  return total;
}
