/** How a webhook is posted: a few attempts with exponential backoff, each with its own timeout. */
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

/**
 * POSTs one JSON message. Retries network errors, timeouts, 429 and 5xx; a 4xx other than 429 is the receiver
 * saying no, which another attempt will not change. Never throws: a webhook that is down must not fail a cycle.
 * Errors name the receiver by origin only, since webhook URLs often carry a secret token in their path.
 */
export async function deliver(url: string, message: unknown, options: DeliveryOptions = {}): Promise<DeliveryResult> {
  const attempts = Math.max(1, options.attempts ?? 4);
  const backoffMs = options.backoffMs ?? 1000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const body = JSON.stringify(message);
  let lastError = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (attempt > 1) await sleep(backoffMs * 2 ** (attempt - 2));
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'mapline' },
        body,
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return { ok: true, attempts: attempt };
      lastError = `webhook ${originOf(url)} answered ${response.status}`;
      if (response.status < 500 && response.status !== 429) return { ok: false, attempts: attempt, error: lastError };
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      lastError = `webhook ${originOf(url)} unreachable (${cause ?? (error instanceof Error ? error.name : 'error')})`;
    }
  }
  return { ok: false, attempts, error: `${lastError}, after ${attempts} attempts` };
}

export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '(invalid URL)';
  }
}
