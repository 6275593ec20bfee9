import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Ajv } from 'ajv';
import type { Json } from '../../compiler/artifact.js';
import { envName, ENV_FIELDS, type ConnectionConfig, type MaplineConfig } from './config.js';
import { configSchema } from './schema.js';

/** A config problem, naming the file and the place in it (`connections.ccvshop.baseUrl`). */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export const DEFAULT_CONFIG_FILE = 'mapline.config.json';

let validateConfig: ReturnType<Ajv['compile']> | undefined;

/**
 * Reads and checks a config file. Secrets named in the environment (`MAPLINE_CCVSHOP_SECRET`, ...) win over the
 * file, so a committed config can hold everything but them.
 */
export function loadConfig(path: string, env: Readonly<Record<string, string | undefined>> = process.env): MaplineConfig {
  const absolute = resolve(path);
  if (!existsSync(absolute)) throw new ConfigError(`${path}: no such config file (create one, or pass --config FILE)`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(absolute, 'utf8'));
  } catch (error) {
    throw new ConfigError(`${path}: not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  return parseConfig(raw, absolute, env);
}

/** Checks an already parsed config object; `path` is where it lives (relative paths resolve against its folder). */
export function parseConfig(raw: unknown, path: string, env: Readonly<Record<string, string | undefined>> = {}): MaplineConfig {
  validateConfig ??= new Ajv({ allErrors: true, strict: false }).compile(configSchema);
  if (!validateConfig(raw)) {
    const problems = (validateConfig.errors ?? []).map((e) => {
      const where = e.instancePath.replace(/^\//, '').replace(/\//g, '.') || '(top level)';
      const extra = e.keyword === 'additionalProperties' ? ` "${(e.params as { additionalProperty: string }).additionalProperty}"` : '';
      return `${where}: ${e.message ?? e.keyword}${extra}`;
    });
    throw new ConfigError(`${path}: ${problems.join('; ')}`);
  }
  const config = raw as {
    state?: string;
    retentionDays?: number;
    connections: Record<string, Omit<ConnectionConfig, 'connector'> & { connector?: string }>;
    flows: { file: string; flows?: string[]; settings?: Record<string, Json> }[];
    notify?: { webhook?: string; summaryThreshold?: number; attempts?: number };
  };
  const folder = dirname(path);
  const connections: Record<string, ConnectionConfig> = {};
  const fromEnvironment: Record<string, string[]> = {};
  for (const [name, connection] of Object.entries(config.connections)) {
    const merged: Record<string, unknown> = { ...connection, connector: connection.connector ?? name };
    for (const field of Object.keys(ENV_FIELDS) as (keyof typeof ENV_FIELDS)[]) {
      const value = env[envName(name, field)];
      if (value !== undefined && value !== '') {
        merged[field] = value;
        (fromEnvironment[name] ??= []).push(field);
      }
    }
    connections[name] = merged as unknown as ConnectionConfig;
  }
  const webhook = env.MAPLINE_NOTIFY_WEBHOOK || config.notify?.webhook;
  return {
    path,
    ...(webhook ? { notify: { webhook, summaryThreshold: config.notify?.summaryThreshold ?? 5, attempts: config.notify?.attempts ?? 4 } } : {}),
    ...(Object.keys(fromEnvironment).length > 0 ? { fromEnvironment } : {}),
    state: resolve(folder, config.state ?? 'mapline.state.sqlite'),
    retentionDays: config.retentionDays ?? 30,
    connections,
    flows: config.flows.map((f) => ({
      file: resolve(folder, f.file),
      ...(f.flows ? { flows: f.flows } : {}),
      settings: f.settings ?? {},
    })),
  };
}
