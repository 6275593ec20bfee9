import type { HttpMethod, RateLimitRule } from '../definition.js';
import { sleep } from './timing.js';

/**
 * Keeps every request under the connector's declared rate limits instead of discovering them through 429s.
 *
 * Each rule is a sliding-window log per key (connector-wide, or per endpoint; always per rule, so a rule's
 * `methods` list is its method class). A request waits (queues) until every rule that counts it has room, then
 * takes a slot in all of them at once.
 *
 * Why slots are stamped when the request *finishes*, not when it is admitted: the server counts arrivals, and a
 * request admitted now may sit in the connection pool's queue and arrive much later. A slot counts from admission
 * (in flight) until its response came back, then for one window after that. Any request the server counted in a
 * window therefore finished inside it, so the client saw it in its own window: the server can never count more
 * than the limit, whatever the queueing or jitter. Windows are scaled by `timeScale` for tests.
 */
export interface GovernorOptions {
  /** Multiplies every window (1 = real time). */
  readonly timeScale: number;
  /** Extra fraction of the window, against clock drift between client and server. */
  readonly safetyMargin?: number;
  /** Turns the governor off (benchmarks measure raw throughput). 429 pauses are still honoured. */
  readonly disabled?: boolean;
}

interface Slot {
  /** When the response came back; Infinity while in flight. */
  finishedAt: number;
}

interface Window {
  readonly limit: number;
  readonly windowMs: number;
  readonly slots: Slot[];
  /** After a 429, nothing goes out on this window before this time. */
  pausedUntil: number;
}

/** Call when the request is over (answered or failed). */
export type Release = () => void;

export class RateGovernor {
  readonly #rules: readonly RateLimitRule[];
  readonly #options: GovernorOptions;
  readonly #windows = new Map<string, Window>();
  #released: { promise: Promise<void>; resolve: () => void } = signal();

  constructor(rules: readonly RateLimitRule[], options: GovernorOptions) {
    this.#rules = rules;
    this.#options = options;
  }

  /** Waits until a request to `endpoint` with `method` may go out, and counts it until released. */
  async acquire(endpoint: string, method: HttpMethod): Promise<Release> {
    const windows = this.#windowsFor(endpoint, method);
    for (;;) {
      const now = performance.now();
      const wait = Math.max(0, ...windows.map((window) => waitTime(window, now, this.#options.disabled === true)));
      if (wait === 0) {
        if (this.#options.disabled) return () => {};
        const slot: Slot = { finishedAt: Infinity };
        for (const window of windows) window.slots.push(slot);
        return () => {
          slot.finishedAt = performance.now();
          this.#released.resolve();
          this.#released = signal();
        };
      }
      // Infinity: every slot is in flight, so wait for one to finish; otherwise until the oldest one expires.
      await (Number.isFinite(wait) ? Promise.race([sleep(Math.ceil(wait)), this.#released.promise]) : this.#released.promise);
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
        const windowMs = rule.windowMs * this.#options.timeScale * (1 + (this.#options.safetyMargin ?? 0.02));
        window = { limit: rule.limit, windowMs, slots: [], pausedUntil: 0 };
        this.#windows.set(key, window);
      }
      windows.push(window);
    });
    return windows;
  }
}

/** Milliseconds until `window` has room (0 = now, Infinity = when an in-flight request finishes). */
function waitTime(window: Window, now: number, pausesOnly: boolean): number {
  const paused = Math.max(0, window.pausedUntil - now);
  if (pausesOnly) return paused;
  const live = window.slots.filter((slot) => slot.finishedAt > now - window.windowMs);
  window.slots.splice(0, window.slots.length, ...live);
  if (live.length < window.limit) return paused;
  // Room comes back when enough finished slots leave the window for one more request to fit.
  const expiries = live
    .map((slot) => slot.finishedAt + window.windowMs - now)
    .sort((a, b) => a - b);
  return Math.max(paused, expiries[live.length - window.limit] as number);
}

function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => {};
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}
