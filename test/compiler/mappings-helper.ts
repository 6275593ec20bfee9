import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { compile } from '../../compiler/index.js';
import type { CompiledArtifact, CompiledFlow } from '../../compiler/artifact.js';
import { connectors } from '../../connectors/registry.js';

export const mappingsDir = join(import.meta.dirname, '../../mappings');

export function mappingFiles(): { name: string; text: string }[] {
  return readdirSync(mappingsDir)
    .filter((f) => f.endsWith('.map'))
    .sort()
    .map((f) => ({ name: `mappings/${f}`, text: readFileSync(join(mappingsDir, f), 'utf8') }));
}

/** Compiles all default mappings together, as `mapline run` does; fails the test on any error. */
export function compileMappings(): CompiledArtifact {
  const result = compile({ files: mappingFiles(), connectors });
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (!result.artifact || errors.length > 0) throw new Error(`default mappings do not compile: ${JSON.stringify(errors, null, 2)}`);
  return result.artifact;
}

export function flowNamed(artifact: CompiledArtifact, name: string): CompiledFlow {
  const flow = artifact.flows.find((f) => f.name === name);
  if (!flow) throw new Error(`no flow ${name}`);
  return flow;
}
