/** How a notification is delivered: a few attempts with exponential backoff, each with its own timeout. */
export interface DeliveryOptions {
  /** Attempts in all (first try included); default 4. */
  readonly attempts?: number;
  /** Wait before the second attempt; doubled each time after (default 1000 ms). */
  readonly backoffMs?: number;
  /** Per attempt (default 10 s). */
  readonly timeoutMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export type DeliveryResult =
  | { readonly ok: true; readonly attempts: number }
  | { readonly ok: false; readonly attempts: number; readonly error: string };

/** One attempt's outcome: delivered, or an error that another attempt may (`retry`) or will not change. */
export type AttemptOutcome = { readonly ok: true } | { readonly ok: false; readonly error: string; readonly retry: boolean };

/**
 * Runs `attempt` until it delivers, says retrying is pointless, or the attempts are used up, with exponential
 * backoff in between. Never throws: `attempt` reports its errors as values (already free of secrets).
 */
export async function withRetries(options: DeliveryOptions, attempt: (n: number) => Promise<AttemptOutcome>): Promise<DeliveryResult> {
  const attempts = Math.max(1, options.attempts ?? 4);
  const backoffMs = options.backoffMs ?? 1000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let lastError = '';
  for (let n = 1; n <= attempts; n++) {
    if (n > 1) await sleep(backoffMs * 2 ** (n - 2));
    const outcome = await attempt(n);
    if (outcome.ok) return { ok: true, attempts: n };
    lastError = outcome.error;
    if (!outcome.retry) return { ok: false, attempts: n, error: lastError };
  }
  return { ok: false, attempts, error: `${lastError}, after ${attempts} attempts` };
}
