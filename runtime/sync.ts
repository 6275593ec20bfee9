import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { compile, stdlibBindings, type CompiledArtifact, type CompiledFlow, type Json } from '../compiler/index.js';
import type { ClientLogger } from '../connectors/client/logger.js';
import { getEntity, connectors } from '../connectors/registry.js';
import type { EntityDefinition } from '../connectors/definition.js';
import type { Diagnostic } from '../language/diagnostic.js';
import type { MaplineConfig } from './config/config.js';
import { openConnections } from './config/connect.js';
import { ConfigError } from './config/load.js';
import { applySettingOverrides } from './config/settings.js';
import { runFlows, type RunResult } from './engine/run.js';
import { locatorFor, type Locate } from './evaluate/locate.js';
import { sqliteState, type StateLocation } from './state-location.js';
import type { StateStore } from './state/store.js';

export interface SyncRequest {
  readonly config: MaplineConfig;
  /** `.map` files to run (absolute or relative to the working directory); the config's when empty. */
  readonly files?: readonly string[];
  /** Flow names to run; otherwise the config's selection (all flows of the files when it has none). */
  readonly flows?: readonly string[];
  readonly dryRun?: boolean;
  readonly retryFailed?: boolean;
  /** With `retryFailed`: only these source records' quarantine entries. */
  readonly retryOnly?: readonly string[];
  readonly since?: Date;
  readonly onProgress?: (flow: string, done: number, total: number) => void;
  /** Stop after the record in progress (Ctrl-C). */
  readonly signal?: AbortSignal;
  /** The clock for settling intents (tests age them). */
  readonly now?: () => Date;
  /** Called before a connection is used, e.g. to authorise a sandbox's OAuth2 client on the fly. */
  readonly prepareConnections?: (config: MaplineConfig, store: StateStore) => Promise<void>;
  /** Sees every HTTP response of the connections (watch-mode metrics: calls and 429s per connector). */
  readonly clientLogger?: ClientLogger;
  /** The `.map` texts, when they do not come from disk (an integration's files, stored in PostgreSQL). */
  readonly sources?: readonly MapSource[];
  /** Where the state lives; the config's SQLite file when absent. */
  readonly state?: StateLocation;
  /** See `RunOptions.lockLeaseMs` (service mode's workers). */
  readonly lockLeaseMs?: number;
  /** See `RunOptions.maxRecords` (service mode's bounded job slices). */
  readonly maxRecords?: number;
  /** See `RunOptions.settleGraceMs`. */
  readonly settleGraceMs?: number;
}

export type SyncOutcome =
  | { readonly kind: 'compile-errors'; readonly diagnostics: readonly Diagnostic[]; readonly texts: Readonly<Record<string, string>> }
  | { readonly kind: 'ran'; readonly result: RunResult; readonly diagnostics: readonly Diagnostic[]; readonly texts: Readonly<Record<string, string>> };

/** A `.map` file a run compiles: where the config names it, how messages name it, and its text. */
export interface MapSource {
  /** Absolute path, as the config's `flows[].file` holds it after loading. */
  readonly file: string;
  /** The name diagnostics and source locations use (`mappings/orders.map`). */
  readonly name: string;
  readonly text: string;
}

/** The compiled files, the flows to run in order and each flow's settings: a run, ready to go. */
export type PreparedRun =
  | { readonly kind: 'compile-errors'; readonly diagnostics: readonly Diagnostic[]; readonly texts: Readonly<Record<string, string>> }
  | {
      readonly kind: 'ready';
      readonly artifact: CompiledArtifact;
      readonly flows: readonly string[];
      readonly settings: ReadonlyMap<string, Record<string, Json>>;
      readonly locate: Locate;
      readonly diagnostics: readonly Diagnostic[];
      readonly texts: Readonly<Record<string, string>>;
    };

/**
 * Compiles the `.map` files, opens the state and the connections, and runs the selected flows once. The files are
 * read from disk (`request.files`, else the config's) unless `request.sources` brings their texts; the state is
 * the config's SQLite file unless `request.state` says where else it lives.
 */
export async function syncOnce(request: SyncRequest): Promise<SyncOutcome> {
  const { config } = request;
  const prepared = prepareRun(config, request.sources ?? readMapSources(config, request.files), request);
  if (prepared.kind === 'compile-errors') return prepared;
  const { artifact, flows, settings, locate, diagnostics, texts } = prepared;

  const store = await (request.state ?? sqliteState(config.state)).openStore();
  try {
    await request.prepareConnections?.(config, store);
    const connections = openConnections(config, store, request.clientLogger ? { logger: request.clientLogger } : {});
    try {
      const result = await runFlows({
        artifact,
        flows,
        store,
        clients: connections.clients,
        entityOf,
        stdlib: stdlibBindings,
        locate,
        settingsFor: (flow) => settings.get(flow.name) ?? {},
        dryRun: request.dryRun ?? false,
        retryFailed: request.retryFailed ?? false,
        ...(request.retryOnly ? { retryOnly: request.retryOnly } : {}),
        retentionDays: config.retentionDays,
        ...(request.since ? { since: request.since } : {}),
        ...(request.now ? { now: request.now } : {}),
        ...(request.onProgress ? { onProgress: request.onProgress } : {}),
        ...(request.signal ? { signal: request.signal } : {}),
        ...(request.lockLeaseMs !== undefined ? { lockLeaseMs: request.lockLeaseMs } : {}),
        ...(request.maxRecords !== undefined ? { maxRecords: request.maxRecords } : {}),
        ...(request.settleGraceMs !== undefined ? { settleGraceMs: request.settleGraceMs } : {}),
      });
      return { kind: 'ran', result, diagnostics, texts };
    } finally {
      await connections.close();
    }
  } finally {
    await store.close();
  }
}

/** Reads the `.map` files of a run from disk: `files` when given, else the ones the config enables. */
export function readMapSources(config: MaplineConfig, files?: readonly string[]): MapSource[] {
  const fileList = files && files.length > 0 ? files.map((f) => resolve(f)) : config.flows.map((f) => f.file);
  if (fileList.length === 0) throw new ConfigError(`${config.path}: no .map files given and none enabled under "flows"`);
  return fileList.map((file) => {
    const name = displayName(file, dirname(config.path));
    try {
      return { file, name, text: readFileSync(file, 'utf8') };
    } catch {
      throw new ConfigError(`${name}: cannot read this .map file`);
    }
  });
}

/**
 * Compiles the sources and works out which flows run with which settings; a flow the config names that is not in
 * its file, or a setting override of the wrong type, is a `ConfigError`. `mapline integrations add` uses this to
 * check an integration before storing it.
 */
export function prepareRun(
  config: MaplineConfig,
  sources: readonly MapSource[],
  request: { readonly flows?: readonly string[]; readonly files?: readonly string[] } = {},
): PreparedRun {
  const texts: Record<string, string> = {};
  const nameOf = new Map<string, string>();
  for (const source of sources) {
    nameOf.set(source.file, source.name);
    texts[source.name] = source.text;
  }
  const compiled = compile({ files: Object.entries(texts).map(([name, text]) => ({ name, text })), connectors });
  if (!compiled.artifact) return { kind: 'compile-errors', diagnostics: compiled.diagnostics, texts };
  const artifact = compiled.artifact;
  const locate = locatorFor(texts);
  const flows = selectFlows(artifact, request, config, nameOf);
  const settings = settingsByFlow(artifact, config, nameOf, locate);
  return { kind: 'ready', artifact, flows, settings, locate, diagnostics: compiled.diagnostics, texts };
}

function entityOf(entity: string): EntityDefinition {
  const dot = entity.indexOf('.');
  const definition = getEntity(entity.slice(0, dot), entity.slice(dot + 1));
  if (!definition) throw new Error(`unknown entity ${entity}`);
  return definition;
}

function selectFlows(artifact: CompiledArtifact, request: { readonly flows?: readonly string[]; readonly files?: readonly string[] }, config: MaplineConfig, nameOf: Map<string, string>): string[] {
  if (request.flows && request.flows.length > 0) return [...request.flows];
  if (request.files && request.files.length > 0) return artifact.flows.map((f) => f.name);
  const names: string[] = [];
  for (const entry of config.flows) {
    const file = nameOf.get(entry.file);
    const inFile = artifact.flows.filter((f) => f.location.file === file).map((f) => f.name);
    if (entry.flows) {
      for (const name of entry.flows) {
        if (!inFile.includes(name)) throw new ConfigError(`${config.path}: flow "${name}" is not in ${file} (its flows: ${inFile.join(', ')})`);
      }
      names.push(...entry.flows);
    } else {
      names.push(...inFile);
    }
  }
  return names;
}

function settingsByFlow(artifact: CompiledArtifact, config: MaplineConfig, nameOf: Map<string, string>, locate: Locate): Map<string, Record<string, Json>> {
  const out = new Map<string, Record<string, Json>>();
  const errors: string[] = [];
  for (const flow of artifact.flows) {
    const entry = config.flows.find((f) => nameOf.get(f.file) === flow.location.file);
    const { settings, errors: problems } = applySettingOverrides(flow as CompiledFlow, entry?.settings ?? {}, locate, config.path);
    out.set(flow.name, settings);
    for (const problem of problems) if (!errors.includes(problem)) errors.push(problem);
  }
  if (errors.length > 0) throw new ConfigError(errors.join('\n'));
  return out;
}

/** How a `.map` file is named in messages: relative to the working directory or the config, whichever is inside. */
function displayName(file: string, configDir: string): string {
  for (const base of [process.cwd(), configDir]) {
    const name = relative(base, file);
    if (name !== '' && !name.startsWith('..') && !isAbsolute(name)) return name;
  }
  return file;
}
