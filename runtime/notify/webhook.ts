import type { NotificationChannel } from './channel.js';
import { withRetries, type DeliveryOptions, type DeliveryResult } from './retry.js';

export type { DeliveryOptions, DeliveryResult } from './retry.js';

/**
 * POSTs one JSON message. Retries network errors, timeouts, 429 and 5xx; a 4xx other than 429 is the receiver
 * saying no, which another attempt will not change. Never throws: a webhook that is down must not fail a cycle.
 * Errors name the receiver by origin only, since webhook URLs often carry a secret token in their path.
 */
export async function deliver(url: string, message: unknown, options: DeliveryOptions = {}): Promise<DeliveryResult> {
  const body = JSON.stringify(message);
  return withRetries(options, async () => {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'mapline' },
        body,
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return { ok: true };
      return { ok: false, error: `webhook ${originOf(url)} answered ${response.status}`, retry: response.status >= 500 || response.status === 429 };
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      return { ok: false, error: `webhook ${originOf(url)} unreachable (${cause ?? (error instanceof Error ? error.name : 'error')})`, retry: true };
    }
  });
}

/** The webhook as a notification channel: each message POSTed as JSON. */
export function webhookChannel(url: string, options: DeliveryOptions = {}, post: typeof deliver = deliver): NotificationChannel {
  return { name: 'webhook', send: (message) => post(url, message, options), close: async () => undefined };
}

export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '(invalid URL)';
  }
}
