import { hostname } from 'node:os';
import type { CompiledArtifact, CompiledFlow, Json } from '../../compiler/artifact.js';
import type { EntityDefinition } from '../../connectors/definition.js';
import { BACKENDS, FlowEvaluator, type Backend } from '../evaluate/evaluator.js';
import type { Locate } from '../evaluate/locate.js';
import type { StateStore } from '../state/store.js';
import { runFlow } from './flow-runner.js';
import type { ConnectorClient } from './ports.js';
import type { FlowResult, FlowSummary } from './types.js';
import { PayloadValidator } from './validate.js';
import { messageOf } from './writer.js';

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
  readonly since?: Date;
  /** Activity, runs and resolved quarantine older than this many days are purged after the run (default 30). */
  readonly retentionDays?: number;
  readonly onProgress?: (flow: string, done: number, total: number) => void;
  /** The clock for settling intents (tests age them); the system clock when absent. */
  readonly now?: () => Date;
  /** Which evaluator backend runs the fragments; `evaluatorBackend()` (MAPLINE_EVALUATOR) when absent. */
  readonly backend?: Backend;
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
  readonly errors: readonly { readonly flow: string; readonly message: string }[];
}

/** One run: every selected flow in order, each on its own; a flow that cannot run does not stop the others. */
export async function runFlows(options: RunOptions): Promise<RunResult> {
  const selected = selectFlows(options.artifact, options.flows);
  const dryRun = options.dryRun ?? false;
  const runId = await options.store.startRun({ flows: selected.map((f) => f.name), dryRun });
  const validator = new PayloadValidator();
  const backend = options.backend ?? evaluatorBackend();
  const results: FlowResult[] = [];
  const errors: { flow: string; message: string }[] = [];
  const owner = { id: runId, host: hostname(), pid: process.pid };
  for (const flow of selected) {
    const lock = await options.store.acquireLock(`flow:${flow.name}`, owner, LOCK_LEASE_MS);
    if (!lock.acquired) {
      const { holder } = lock;
      errors.push({ flow: flow.name, message: `flow ${flow.name} is being run by another process (pid ${holder.pid} on ${holder.host}, since ${holder.acquiredAt}); not run now` });
      continue;
    }
    const evaluator = new FlowEvaluator({
      settings: options.settingsFor?.(flow) ?? defaultSettings(flow),
      tables: flow.tables,
      stdlib: options.stdlib,
      locate: options.locate,
      backend,
    });
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
          ...(options.since ? { since: options.since } : {}),
          ...(options.now ? { now: options.now } : {}),
          ...(options.onProgress ? { onProgress: (done: number, total: number) => options.onProgress!(flow.name, done, total) } : {}),
        }),
      );
    } catch (error) {
      errors.push({ flow: flow.name, message: `flow ${flow.name} (${options.locate(flow.location)}): ${messageOf(error)}` });
    } finally {
      await options.store.releaseLock(`flow:${flow.name}`, owner.id);
    }
  }
  const summary: Record<string, Json> = {};
  for (const result of results) summary[result.flow] = { ...result.summary };
  for (const error of errors) summary[error.flow] = { error: error.message };
  await options.store.finishRun(runId, summary);
  const retentionDays = options.retentionDays ?? 30;
  await options.store.purge(new Date(Date.now() - retentionDays * 86_400_000));
  return { runId, flows: results, errors };
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
