/**
 * Retry delays: exponential with "equal jitter" (half fixed, half random), so clients that failed together do
 * not come back together, yet every wait is at least half the nominal one.
 */
export interface BackoffOptions {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly timeScale: number;
  readonly random?: () => number;
}

export function backoffDelay(attempt: number, options: BackoffOptions): number {
  const nominal = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  const random = options.random ?? Math.random;
  return (nominal / 2 + (random() * nominal) / 2) * options.timeScale;
}
