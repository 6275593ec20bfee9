import type { Json } from '../../compiler/artifact.js';
import type { Credentials } from '../../connectors/client/auth-plugin.js';

/** `mapline.config.json`, after loading: paths resolved against the config file, secrets merged from the env. */
export interface MaplineConfig {
  /** Absolute path of the config file it came from (or of where it would be). */
  readonly path: string;
  /** Absolute path of the SQLite state file. */
  readonly state: string;
  readonly retentionDays: number;
  readonly connections: Readonly<Record<string, ConnectionConfig>>;
  readonly flows: readonly FlowFileConfig[];
  /** Notifications about failures (webhook, e-mail); none when absent. */
  readonly notify?: NotifyConfig;
  /** Per connection, the fields the environment set (`MAPLINE_CCVSHOP_SECRET` -> `secret`), so messages name them. */
  readonly fromEnvironment?: Readonly<Record<string, readonly string[]>>;
}

export interface NotifyConfig {
  /** The URL failures are POSTed to as JSON (env MAPLINE_NOTIFY_WEBHOOK wins: such URLs often hold a token). */
  readonly webhook?: string;
  /** E-mail over SMTP (the password from env MAPLINE_NOTIFY_SMTP_PASSWORD, an `env:NAME` reference, or sealed in service mode). */
  readonly email?: EmailConfig;
  /** The dashboard's base URL, so messages link to the failures page. */
  readonly dashboardUrl?: string;
  /** More new failed records than this in one cycle are sent as one summary message. */
  readonly summaryThreshold: number;
  /** Delivery attempts per message, first try included (exponential backoff between them). */
  readonly attempts: number;
}

/** E-mail notifications: an SMTP server and who the messages are from and to. */
export interface EmailConfig {
  readonly host: string;
  readonly port: number;
  /** `tls`: TLS from the first byte (port 465); `starttls`: plain, then STARTTLS, required (587); `none`: plain (a relay on loopback). */
  readonly security: 'tls' | 'starttls' | 'none';
  /** No login when absent. */
  readonly user?: string;
  /** The SMTP password: never logged, never in an error. */
  readonly password?: string;
  readonly from: string;
  readonly to: readonly string[];
  /** Absolute path of a PEM file of certificates to trust for the server (a private CA). */
  readonly caFile?: string;
}

/** A connection: which connector, where, how fast, and the credentials its auth plug-in reads. */
export interface ConnectionConfig extends Credentials {
  /** The connector definition's name (`ccvshop`, `eaccounting`). */
  readonly connector: string;
  readonly baseUrl?: string;
  readonly rateLimits?: boolean;
  /** Multiplies rate windows, 429 waits and retry backoff (a sandbox with short windows; tests). Default 1. */
  readonly timeScale?: number;
}

export interface FlowFileConfig {
  /** Absolute path of the `.map` file. */
  readonly file: string;
  /** Flows to run; all flows of the file when absent. */
  readonly flows?: readonly string[];
  readonly settings: Readonly<Record<string, Json>>;
}

/** Fields of a connection that may come from the environment, and their variable suffix. */
export const ENV_FIELDS = {
  publicKey: 'PUBLIC_KEY',
  secret: 'SECRET',
  clientId: 'CLIENT_ID',
  clientSecret: 'CLIENT_SECRET',
  apiKey: 'API_KEY',
  baseUrl: 'BASE_URL',
} as const;

/**
 * The connection fields that are secrets: never logged, sealed at rest in service mode, and allowed to be written
 * as a reference to an environment variable (`"secret": "env:SHOP1_CCV_SECRET"`). `notify.webhook` and
 * `notify.email.password` are too.
 */
export const SECRET_FIELDS = ['publicKey', 'secret', 'clientSecret', 'apiKey'] as const;

/** The prefix of a config value that names an environment variable instead of holding the secret. */
export const ENV_REFERENCE = 'env:';

/** `MAPLINE_EACCOUNTING_CLIENT_SECRET` for connection `eaccounting`, field `clientSecret`. */
export function envName(connection: string, field: keyof typeof ENV_FIELDS): string {
  return `MAPLINE_${connection.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_${ENV_FIELDS[field]}`;
}

/** The one-shop integration's name (its config's folder), as the dashboard and notifications call it. */
export function oneShopName(config: Pick<MaplineConfig, 'path'>): string {
  const parts = config.path.split(/[\\/]/);
  return parts[parts.length - 2] || 'local';
}
