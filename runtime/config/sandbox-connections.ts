import type { RunningSandboxes } from '../../connectors/sandbox/index.js';

export interface SandboxConnectionOptions {
  /** Whether the client governs its request rate (the sandboxes' limits may be off in tests and benchmarks). */
  readonly rateLimits?: boolean;
  /** Multiplies rate windows, 429 waits and retry backoff, as the sandboxes' own time scale does. */
  readonly timeScale?: number;
}

/**
 * The `connections` block of a `mapline.config.json` that points at running sandboxes: what `mapline demo`, the
 * end-to-end tests and the benchmarks all run against.
 */
export function sandboxConnections(sandboxes: RunningSandboxes, options: SandboxConnectionOptions = {}): Record<string, Record<string, unknown>> {
  const tuning = {
    ...(options.rateLimits !== undefined ? { rateLimits: options.rateLimits } : {}),
    ...(options.timeScale !== undefined ? { timeScale: options.timeScale } : {}),
  };
  return {
    ccvshop: { baseUrl: sandboxes.ccvshop.baseUrl, publicKey: sandboxes.ccvshop.publicKey, secret: sandboxes.ccvshop.secret, ...tuning },
    eaccounting: {
      baseUrl: sandboxes.eaccounting.baseUrl,
      identityUrl: sandboxes.eaccounting.origin,
      clientId: sandboxes.eaccounting.clientId,
      clientSecret: sandboxes.eaccounting.clientSecret,
      ...tuning,
    },
  };
}
