/**
 * The JSON Schema of `mapline.config.json`. This object is the source of truth; the file
 * `mapline.config.schema.json` at the repository root (for editors, via `"$schema"`) is written from it, and a
 * test keeps the two equal.
 */
export const configSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://mapline.dev/schemas/mapline.config.schema.json',
  title: 'Mapline configuration',
  description: 'Connections, enabled flows, setting overrides and where Mapline keeps its state.',
  type: 'object',
  additionalProperties: false,
  required: ['connections', 'flows'],
  properties: {
    $schema: { type: 'string' },
    state: {
      type: 'string',
      description: 'The SQLite state file (links, cursors, quarantine, activity, tokens), relative to this file.',
      default: 'mapline.state.sqlite',
    },
    retentionDays: {
      type: 'number',
      minimum: 1,
      description: 'Activity and resolved quarantine entries older than this are purged after each run.',
      default: 30,
    },
    connections: {
      type: 'object',
      description:
        'One entry per connector (keyed by connector name: ccvshop, eaccounting). Secrets may come from the ' +
        'environment instead: MAPLINE_<CONNECTION>_<FIELD>, e.g. MAPLINE_CCVSHOP_SECRET, MAPLINE_EACCOUNTING_CLIENT_SECRET, ' +
        'or a secret field written as "env:NAME" (any variable name; what service mode uses).',
      additionalProperties: { $ref: '#/definitions/connection' },
    },
    flows: {
      type: 'array',
      description: 'The .map files to run, with the flows enabled in each and their setting overrides.',
      items: { $ref: '#/definitions/flowFile' },
    },
    schedule: {
      type: 'object',
      additionalProperties: false,
      description: 'Service mode (mapline worker): how often each flow runs. A webhook from the shop can start a run earlier.',
      properties: {
        everyMinutes: { type: 'number', exclusiveMinimum: 0, default: 15, description: 'Minutes between scheduled runs of each flow (fractions allowed: 0.5 is 30 s).' },
        flows: {
          type: 'object',
          description: 'Minutes between scheduled runs, per flow name, where a flow differs from everyMinutes.',
          additionalProperties: { type: 'number', exclusiveMinimum: 0 },
        },
      },
    },
    notify: {
      type: 'object',
      additionalProperties: false,
      description: 'Notifications about failed records and failed runs, by webhook and/or e-mail (after mapline run, each watch cycle, each service run).',
      properties: {
        webhook: { type: 'string', description: 'URL the JSON messages are POSTed to. Prefer the environment: MAPLINE_NOTIFY_WEBHOOK.' },
        email: {
          type: 'object',
          additionalProperties: false,
          required: ['host', 'from', 'to'],
          description: 'E-mail over SMTP.',
          properties: {
            host: { type: 'string', minLength: 1, description: 'The SMTP server, e.g. smtp.example.com.' },
            port: { type: 'integer', minimum: 1, maximum: 65535, description: 'Default 587 (465 with security "tls").' },
            security: { enum: ['tls', 'starttls', 'none'], default: 'starttls', description: 'tls: TLS from the start (465); starttls: STARTTLS required (587); none: plain (a relay on loopback only).' },
            user: { type: 'string', description: 'SMTP login; no login when absent.' },
            password: { type: 'string', description: 'SMTP password. Prefer the environment: MAPLINE_NOTIFY_SMTP_PASSWORD, or "env:NAME".' },
            from: { type: 'string', minLength: 1, description: 'Sender, e.g. "Mapline <mapline@example.com>".' },
            to: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 }, description: 'Recipients.' },
            caFile: { type: 'string', description: 'A PEM file of certificates to trust for the server (a private CA), relative to this config file.' },
          },
        },
        dashboardUrl: { type: 'string', description: 'The dashboard address (https://ops.example.com/): messages link to its failures page.' },
        summaryThreshold: { type: 'integer', minimum: 0, default: 5, description: 'More new failures than this in one cycle are sent as one summary.' },
        attempts: { type: 'integer', minimum: 1, default: 4, description: 'Delivery attempts per message (exponential backoff from 1 s).' },
      },
    },
  },
  definitions: {
    connection: {
      type: 'object',
      additionalProperties: false,
      properties: {
        connector: { type: 'string', description: 'The connector definition to use; defaults to the connection name.' },
        baseUrl: { type: 'string', description: 'The API base URL, e.g. https://myshop.nl/api/rest/v1 (no trailing slash).' },
        publicKey: { type: 'string', description: 'CCV Shop public key (x-public). Env: MAPLINE_<CONNECTION>_PUBLIC_KEY.' },
        secret: { type: 'string', description: 'CCV Shop secret. Prefer the environment: MAPLINE_<CONNECTION>_SECRET.' },
        clientId: { type: 'string', description: 'OAuth2 client id. Env: MAPLINE_<CONNECTION>_CLIENT_ID.' },
        clientSecret: { type: 'string', description: 'OAuth2 client secret. Prefer the environment: MAPLINE_<CONNECTION>_CLIENT_SECRET.' },
        identityUrl: { type: 'string', description: 'Replaces the origin of the OAuth2 authorize/token URLs (a sandbox identity server).' },
        apiKey: { type: 'string', description: 'API-key auth. Prefer the environment: MAPLINE_<CONNECTION>_API_KEY.' },
        rateLimits: { type: 'boolean', description: 'Keep under the documented rate limits (default true).' },
        timeScale: { type: 'number', exclusiveMinimum: 0, description: 'Multiplies rate windows, 429 waits and retry backoff; for sandboxes with short windows (default 1).' },
      },
    },
    flowFile: {
      type: 'object',
      additionalProperties: false,
      required: ['file'],
      properties: {
        file: { type: 'string', description: 'A .map file, relative to this config file.' },
        flows: { type: 'array', items: { type: 'string' }, description: 'Flows of the file to run; all of them when absent.' },
        settings: {
          type: 'object',
          description: "Overrides of the file's settings; each must have the type of the setting's default.",
        },
      },
    },
  },
} as const;
