import { ENV_REFERENCE, SECRET_FIELDS } from '../config/config.js';

/** A `mapline.config.json` as read from its file (before paths are resolved), or as an integration stores it. */
export type RawConfig = Record<string, unknown> & {
  connections?: Record<string, Record<string, unknown>>;
  flows?: { file: string; flows?: string[]; settings?: Record<string, unknown> }[];
  notify?: Record<string, unknown>;
};

/** A config split in two: what is stored as it is, and the literal secrets, which are stored sealed. */
export interface SplitConfig {
  /** The config with every literal secret removed (`env:NAME` references stay: they hold no secret). */
  readonly config: RawConfig;
  /** Literal secret values by their path in the config: `connections.ccvshop.secret`, `notify.webhook`. */
  readonly secrets: ReadonlyMap<string, string>;
}

/** Where secrets can be in a config: each connection's secret fields, the webhook URL (which often holds a token), the SMTP password. */
function* secretSlots(config: RawConfig): Generator<{ path: string; holder: Record<string, unknown>; field: string }> {
  for (const [name, connection] of Object.entries(config.connections ?? {})) {
    for (const field of SECRET_FIELDS) yield { path: `connections.${name}.${field}`, holder: connection, field };
  }
  if (config.notify) yield { path: 'notify.webhook', holder: config.notify, field: 'webhook' };
  const email = config.notify?.email as Record<string, unknown> | undefined;
  if (email) yield { path: 'notify.email.password', holder: email, field: 'password' };
}

/** Takes the literal secrets out of a config (a deep copy; the input is not changed). */
export function splitSecrets(raw: RawConfig): SplitConfig {
  const config = structuredClone(raw);
  delete config.state; // service mode keeps state in the database; a state file path would only mislead
  delete config.$schema;
  const secrets = new Map<string, string>();
  for (const { path, holder, field } of secretSlots(config)) {
    const value = holder[field];
    if (typeof value !== 'string' || value.startsWith(ENV_REFERENCE)) continue;
    secrets.set(path, value);
    delete holder[field];
  }
  return { config, secrets };
}

/** Puts secrets (or, for display, a stand-in for each) back into a stored config (a deep copy). */
export function joinSecrets(stored: RawConfig, secrets: ReadonlyMap<string, string>): RawConfig {
  const config = structuredClone(stored);
  for (const { path, holder, field } of secretSlots(config)) {
    const value = secrets.get(path);
    if (value !== undefined) holder[field] = value;
  }
  return config;
}
