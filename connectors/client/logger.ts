/**
 * The client's log hook. Events carry only what is safe to print: method, redacted path, status, timings.
 * Never headers, bodies, tokens or keys.
 */
export type ClientLogEvent =
  | { readonly type: 'response'; readonly connector: string; readonly method: string; readonly path: string; readonly status: number; readonly ms: number; readonly attempt: number }
  | { readonly type: 'retry'; readonly connector: string; readonly method: string; readonly path: string; readonly reason: string; readonly waitMs: number; readonly attempt: number }
  | { readonly type: 'rate-limited'; readonly connector: string; readonly method: string; readonly path: string; readonly waitMs: number }
  | { readonly type: 'token-refreshed'; readonly connector: string; readonly expiresAt: number };

export type ClientLogger = (event: ClientLogEvent) => void;

export const silentLogger: ClientLogger = () => {};
