import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Ajv } from 'ajv';
import type { Json } from '../../compiler/artifact.js';
import { ENV_REFERENCE, envName, ENV_FIELDS, SECRET_FIELDS, type ConnectionConfig, type EmailConfig, type MaplineConfig, type NotifyConfig } from './config.js';
import { configSchema } from './schema.js';

/** A config problem, naming the file and the place in it (`connections.ccvshop.baseUrl`). */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export const DEFAULT_CONFIG_FILE = 'mapline.config.json';

/** `notify.email` as written in the file (the schema checked it). */
type RawEmail = Omit<EmailConfig, 'port' | 'security'> & { port?: number; security?: EmailConfig['security'] };

let validateConfig: ReturnType<Ajv['compile']> | undefined;

/**
 * Reads and checks a config file. Secrets named in the environment (`MAPLINE_CCVSHOP_SECRET`, ...) win over the
 * file, so a committed config can hold everything but them.
 */
export function loadConfig(path: string, env: Readonly<Record<string, string | undefined>> = process.env): MaplineConfig {
  return parseConfig(readConfigFile(path), resolve(path), env);
}

/** The config file's JSON, unchecked; a missing file or broken JSON is a `ConfigError` naming the file. */
export function readConfigFile(path: string): unknown {
  const absolute = resolve(path);
  if (!existsSync(absolute)) throw new ConfigError(`${path}: no such config file (create one, or pass --config FILE)`);
  try {
    return JSON.parse(readFileSync(absolute, 'utf8'));
  } catch (error) {
    throw new ConfigError(`${path}: not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export interface ParseOptions {
  /**
   * Apply the one-shop environment variables (`MAPLINE_<CONNECTION>_<FIELD>`, `MAPLINE_NOTIFY_WEBHOOK`) over the
   * file; default true. Service mode turns them off: one worker runs many integrations, and a variable of the
   * process would give every integration the same credentials.
   */
  readonly oneShopEnv?: boolean;
  /** Replace `env:NAME` secrets by the variable's value (default true); `mapline integrations add` keeps them. */
  readonly resolveReferences?: boolean;
}

/** Checks an already parsed config object; `path` is where it lives (relative paths resolve against its folder). */
export function parseConfig(
  raw: unknown,
  path: string,
  env: Readonly<Record<string, string | undefined>> = {},
  options: ParseOptions = {},
): MaplineConfig {
  const oneShopEnv = options.oneShopEnv ?? true;
  const reference = (value: unknown, where: string): unknown => {
    if (options.resolveReferences === false || typeof value !== 'string' || !value.startsWith(ENV_REFERENCE)) return value;
    const variable = value.slice(ENV_REFERENCE.length);
    const resolved = env[variable];
    if (resolved === undefined || resolved === '') throw new ConfigError(`${path}: ${where} refers to the environment variable ${variable}, which is not set`);
    return resolved;
  };
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
    notify?: { webhook?: string; email?: RawEmail; dashboardUrl?: string; summaryThreshold?: number; attempts?: number };
  };
  const folder = dirname(path);
  const connections: Record<string, ConnectionConfig> = {};
  const fromEnvironment: Record<string, string[]> = {};
  for (const [name, connection] of Object.entries(config.connections)) {
    const merged: Record<string, unknown> = { ...connection, connector: connection.connector ?? name };
    for (const field of SECRET_FIELDS) if (merged[field] !== undefined) merged[field] = reference(merged[field], `connections.${name}.${field}`);
    for (const field of oneShopEnv ? (Object.keys(ENV_FIELDS) as (keyof typeof ENV_FIELDS)[]) : []) {
      const value = env[envName(name, field)];
      if (value !== undefined && value !== '') {
        merged[field] = value;
        (fromEnvironment[name] ??= []).push(field);
      }
    }
    connections[name] = merged as unknown as ConnectionConfig;
  }
  const webhook = (oneShopEnv ? env.MAPLINE_NOTIFY_WEBHOOK : undefined) || (reference(config.notify?.webhook, 'notify.webhook') as string | undefined);
  const mail = config.notify?.email;
  const password = mail ? (oneShopEnv ? env.MAPLINE_NOTIFY_SMTP_PASSWORD : undefined) || (reference(mail.password, 'notify.email.password') as string | undefined) : undefined;
  const email: EmailConfig | undefined = mail && {
    host: mail.host,
    port: mail.port ?? ((mail.security ?? 'starttls') === 'tls' ? 465 : 587),
    security: mail.security ?? 'starttls',
    ...(mail.user !== undefined ? { user: mail.user } : {}),
    ...(password ? { password } : {}),
    from: mail.from,
    to: mail.to,
    ...(mail.caFile !== undefined ? { caFile: existingFile(resolve(dirname(path), mail.caFile), `${path}: notify.email.caFile`) } : {}),
  };
  const notify: NotifyConfig | undefined =
    webhook || email
      ? {
          ...(webhook ? { webhook } : {}),
          ...(email ? { email } : {}),
          ...(config.notify?.dashboardUrl ? { dashboardUrl: config.notify.dashboardUrl } : {}),
          summaryThreshold: config.notify?.summaryThreshold ?? 5,
          attempts: config.notify?.attempts ?? 4,
        }
      : undefined;
  return {
    path,
    ...(notify ? { notify } : {}),
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

function existingFile(file: string, where: string): string {
  if (!existsSync(file)) throw new ConfigError(`${where}: no such file ${file}`);
  return file;
}
