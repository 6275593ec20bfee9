import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compile, stdlibBindings, type CompiledArtifact } from '../../../compiler/index.js';
import type { EntityDefinition } from '../../../connectors/definition.js';
import { connectors, getEntity } from '../../../connectors/registry.js';
import { openConnections } from '../../../runtime/config/connect.js';
import { loadConfig } from '../../../runtime/config/load.js';
import { authorizeSandboxConnections } from '../../../runtime/config/sandbox-auth.js';
import { runFlows, type RunResult } from '../../../runtime/engine/run.js';
import { locatorFor } from '../../../runtime/evaluate/locate.js';
import { SqliteStateStore } from '../../../runtime/state/sqlite-store.js';
import { repoRoot } from './cli-bundle.js';
import type { ProofEnv } from './env.js';

/** Compiles a repository `.map` file; throws on compile errors. */
export function compileMap(file: string): { artifact: CompiledArtifact; texts: Record<string, string> } {
  const texts = { [file]: readFileSync(join(repoRoot, file), 'utf8') };
  const compiled = compile({ files: Object.entries(texts).map(([name, text]) => ({ name, text })), connectors });
  if (!compiled.artifact) throw new Error(`${file} does not compile`);
  return { artifact: compiled.artifact, texts };
}

/**
 * Runs a compiled artifact through the real engine against the env's sandboxes and state file (what `syncOnce`
 * does after compiling), so a test can hand the runtime JSONata no `.map` file compiles to today.
 */
export async function runArtifact(env: ProofEnv, artifact: CompiledArtifact, texts: Record<string, string>): Promise<RunResult> {
  const config = loadConfig(env.configFile);
  const store = SqliteStateStore.open(env.stateFile);
  try {
    await authorizeSandboxConnections(config, store);
    const connections = openConnections(config, store);
    try {
      return await runFlows({ artifact, store, clients: connections.clients, entityOf, stdlib: stdlibBindings, locate: locatorFor(texts) });
    } finally {
      await connections.close();
    }
  } finally {
    await store.close();
  }
}

function entityOf(entity: string): EntityDefinition {
  const [connector, name] = entity.split('.') as [string, string];
  const definition = getEntity(connector, name);
  if (!definition) throw new Error(`unknown entity ${entity}`);
  return definition;
}
