import type { CompiledArtifact, CompiledFlow, Json } from '../../compiler/artifact.js';
import { compile } from '../../compiler/index.js';
import { stdlibBindings } from '../../compiler/stdlib/index.js';
import { connectors } from '../../connectors/registry.js';
import { dropNulls, FlowEvaluator, locatorFor, type Evaluation, type LookupHost } from '../../runtime/evaluate/index.js';
import { defaultMappings } from '../../playground/build/default-mappings.js';
import { buildSamples } from '../../playground/build/samples.js';

/**
 * A second reference besides `mapline test` (which the browser test also runs on the same sample): the same
 * compiled artifact evaluated in Node by the runtime's JSONata host, with lookups answered from the seed data.
 */
export const samples = buildSamples();
export const mappingFiles = defaultMappings(process.cwd());

export function compileAll(files = mappingFiles): { artifact: CompiledArtifact | null; diagnostics: ReturnType<typeof compile>['diagnostics'] } {
  return compile({ files, connectors });
}

/** Lookups over the seed records; upserts only of records that exist (so no invented ids are compared). */
class SeedHost implements LookupHost {
  async lookup(entity: string, key: string, value: Json): Promise<readonly Json[]> {
    return (samples.entities[entity] ?? []).filter((r) => r[key] === value) as Json[];
  }
  async upsert(entity: string, key: string, value: Json, payload: Json, updatePayload?: Json): Promise<Json> {
    const [existing] = await this.lookup(entity, key, value);
    if (existing === undefined) throw new Error(`test data: no ${entity} with ${key} = ${JSON.stringify(value)}`);
    return { ...(existing as Record<string, Json>), ...((updatePayload ?? payload) as Record<string, Json>) };
  }
}

export interface NodeRun {
  readonly index: number;
  readonly filter: Evaluation;
  readonly payload?: Evaluation;
}

/** Evaluates a flow's filter and create payload on every sample of its source entity. */
export async function evaluateSamples(flow: CompiledFlow, files = mappingFiles): Promise<NodeRun[]> {
  const settings = dropNulls(Object.fromEntries(Object.entries(flow.settings).map(([k, s]) => [k, s.value]))) as Record<string, Json>;
  const evaluator = new FlowEvaluator({
    settings,
    tables: flow.tables,
    stdlib: stdlibBindings as Record<string, unknown>,
    locate: locatorFor(Object.fromEntries(files.map((f) => [f.name, f.text]))),
  });
  const host = new SeedHost();
  const records = samples.entities[`${flow.source.connector}.${flow.source.entity}`] ?? [];
  const runs: NodeRun[] = [];
  for (const [index, record] of records.entries()) {
    const filter = flow.filter ? await evaluator.evaluate(flow.filter, record as Json, host) : ({ ok: true, value: true } as const);
    if (!filter.ok || filter.value !== true || !flow.payload.create) {
      runs.push({ index, filter });
      continue;
    }
    runs.push({ index, filter, payload: await evaluator.evaluate(flow.payload.create, record as Json, host) });
  }
  return runs;
}
