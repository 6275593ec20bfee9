import type { HttpMethod, RateLimitRule } from '../definition.js';
import { sleep } from './timing.js';

/**
 * Keeps every request under the connector's declared rate limits instead of discovering them through 429s.
 * Each rule is a sliding window log per key (connector-wide, or per endpoint, and always per method class, since
 * a rule names its methods). A request waits (queues) until every rule that counts it has room, then takes a slot
 * in all of them at once. Windows are multiplied by `timeScale` so tests can run "two minutes" in a second, and
 * widened by a small safety margin: the server counts arrivals, we count departures, and the two drift apart by
 * the network's jitter.
 */
export interface GovernorOptions {
  /** Multiplies every window (1 = real time). */
  readonly timeScale: number;
  /** Extra fraction of the window to leave between the oldest counted request and a new one. */
  readonly safetyMargin?: number;
  /** Turns the governor off (benchmarks measure raw throughput). */
  readonly disabled?: boolean;
}

interface Window {
  readonly limit: number;
  readonly windowMs: number;
  /** Departure times, oldest first. */
  readonly sent: number[];
  /** After a 429, nothing goes out on this window before this time. */
  pausedUntil: number;
}

export class RateGovernor {
  readonly #rules: readonly RateLimitRule[];
  readonly #options: GovernorOptions;
  readonly #windows = new Map<string, Window>();

  constructor(rules: readonly RateLimitRule[], options: GovernorOptions) {
    this.#rules = rules;
    this.#options = options;
  }

  /** Waits until a request to `endpoint` with `method` may go out, and counts it. */
  async acquire(endpoint: string, method: HttpMethod): Promise<void> {
    if (this.#options.disabled) return;
    const windows = this.#windowsFor(endpoint, method);
    for (;;) {
      const now = performance.now();
      const waitMs = Math.max(0, ...windows.map((window) => waitTime(window, now)));
      if (waitMs === 0) {
        for (const window of windows) window.sent.push(now);
        return;
      }
      await sleep(Math.ceil(waitMs));
    }
  }

  /** The API said 429: hold back every window that counts this request for `ms`. */
  pause(endpoint: string, method: HttpMethod, ms: number): void {
    const until = performance.now() + ms;
    for (const window of this.#windowsFor(endpoint, method)) window.pausedUntil = Math.max(window.pausedUntil, until);
  }

  #windowsFor(endpoint: string, method: HttpMethod): Window[] {
    const windows: Window[] = [];
    this.#rules.forEach((rule, index) => {
      if (rule.methods.length > 0 && !rule.methods.includes(method)) return;
      const key = `${index}|${rule.scope === 'endpoint' ? endpoint : '*'}`;
      let window = this.#windows.get(key);
      if (!window) {
        const windowMs = rule.windowMs * this.#options.timeScale * (1 + (this.#options.safetyMargin ?? 0.05));
        window = { limit: rule.limit, windowMs, sent: [], pausedUntil: 0 };
        this.#windows.set(key, window);
      }
      windows.push(window);
    });
    return windows;
  }
}

function waitTime(window: Window, now: number): number {
  const sent = window.sent;
  let expired = 0;
  while (expired < sent.length && (sent[expired] as number) <= now - window.windowMs) expired++;
  if (expired > 0) sent.splice(0, expired);
  const paused = Math.max(0, window.pausedUntil - now);
  if (sent.length < window.limit) return paused;
  // The slot frees when the request `limit` places back leaves the window.
  const oldestBlocking = sent[sent.length - window.limit] as number;
  return Math.max(paused, oldestBlocking + window.windowMs - now);
}
