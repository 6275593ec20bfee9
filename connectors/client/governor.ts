import type { HttpMethod, RateLimitRule } from '../definition.js';
import { rateWindowKeys, type RateBudget, type Release } from './rate-budget.js';
import { sleep } from './timing.js';

/**
 * Keeps every request under the connector's declared rate limits instead of discovering them through 429s.
 *
 * Each rule is a sliding window per key (connector-wide, or per endpoint; always per rule, so a rule's `methods`
 * list is its method class). Requests that count against the same windows wait in one FIFO queue; the queue's
 * head goes out as soon as every window has room, taking a slot in all of them at once.
 *
 * Why a slot counts from admission until one window after its response came back: the server counts arrivals,
 * and a request admitted now may sit in the connection pool's queue and arrive much later. Any request the
 * server counted in one of its windows finished inside that window, so the client counted it too: the server
 * never sees more than the limit, however long requests queue. Windows are scaled by `timeScale` for tests.
 */
export interface GovernorOptions {
  /** Multiplies every window (1 = real time). */
  readonly timeScale: number;
  /** Extra fraction of the window, against clock drift between client and server. */
  readonly safetyMargin?: number;
  /** Turns the governor off (benchmarks measure raw throughput). 429 pauses are still honoured. */
  readonly disabled?: boolean;
}

interface Window {
  readonly limit: number;
  readonly windowMs: number;
  inFlight: number;
  /** When admitted requests finished, ascending (stamped with the current time, so appends keep the order). */
  readonly finished: number[];
  /** After a 429, nothing goes out on this window before this time. */
  pausedUntil: number;
}

interface Queue {
  readonly windows: readonly Window[];
  readonly waiters: ((release: Release) => void)[];
  pumping: boolean;
}

/** The default `RateBudget`: this process's own windows, for one client. */
export class RateGovernor implements RateBudget {
  readonly #rules: readonly RateLimitRule[];
  readonly #options: GovernorOptions;
  readonly #windows = new Map<string, Window>();
  readonly #queues = new Map<string, Queue>();
  #released = signal();

  constructor(rules: readonly RateLimitRule[], options: GovernorOptions) {
    this.#rules = rules;
    this.#options = options;
  }

  /** Waits until a request to `endpoint` with `method` may go out, and counts it until released. */
  acquire(endpoint: string, method: HttpMethod): Promise<Release> {
    const queue = this.#queueFor(endpoint, method);
    if (queue.waiters.length === 0 && this.#waitTime(queue.windows, performance.now()) === 0) {
      return Promise.resolve(this.#admit(queue.windows));
    }
    return new Promise((resolve) => {
      queue.waiters.push(resolve);
      void this.#pump(queue);
    });
  }

  /** The API said 429: hold back every window that counts this request for `ms`. */
  pause(endpoint: string, method: HttpMethod, ms: number): void {
    const until = performance.now() + ms;
    for (const window of this.#queueFor(endpoint, method).windows) window.pausedUntil = Math.max(window.pausedUntil, until);
  }

  /** Lets the queue's head out whenever there is room; one pump per queue, so waiting costs no polling. */
  async #pump(queue: Queue): Promise<void> {
    if (queue.pumping) return;
    queue.pumping = true;
    try {
      while (queue.waiters.length > 0) {
        const wait = this.#waitTime(queue.windows, performance.now());
        if (wait === 0) {
          (queue.waiters.shift() as (release: Release) => void)(this.#admit(queue.windows));
          continue;
        }
        // Infinity: every slot is in flight, so wait for one to finish; otherwise until the oldest one expires.
        const released = this.#released.promise;
        await (Number.isFinite(wait) ? Promise.race([sleep(Math.ceil(wait)), released]) : released);
      }
    } finally {
      queue.pumping = false;
    }
  }

  #admit(windows: readonly Window[]): Release {
    if (this.#options.disabled) return () => {};
    for (const window of windows) window.inFlight++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const now = performance.now();
      for (const window of windows) {
        window.inFlight--;
        window.finished.push(now);
      }
      const released = this.#released;
      this.#released = signal();
      released.resolve();
    };
  }

  /** Milliseconds until every window has room: 0 now, Infinity when only a finishing request can make room. */
  #waitTime(windows: readonly Window[], now: number): number {
    let wait = 0;
    for (const window of windows) {
      wait = Math.max(wait, window.pausedUntil - now);
      if (this.#options.disabled) continue;
      let expired = 0;
      while (expired < window.finished.length && (window.finished[expired] as number) <= now - window.windowMs) expired++;
      if (expired > 0) window.finished.splice(0, expired);
      const used = window.inFlight + window.finished.length;
      if (used < window.limit) continue;
      // One more fits once `used - limit + 1` finished slots have left the window.
      const index = used - window.limit;
      wait = Math.max(wait, index < window.finished.length ? (window.finished[index] as number) + window.windowMs - now : Infinity);
    }
    return wait;
  }

  #queueFor(endpoint: string, method: HttpMethod): Queue {
    const keys = rateWindowKeys(this.#rules, endpoint, method);
    const queueKey = keys.map((k) => k.key).join(' ');
    let queue = this.#queues.get(queueKey);
    if (!queue) {
      queue = { windows: keys.map((k) => this.#window(k.key, k.rule)), waiters: [], pumping: false };
      this.#queues.set(queueKey, queue);
    }
    return queue;
  }

  #window(key: string, rule: RateLimitRule): Window {
    let window = this.#windows.get(key);
    if (!window) {
      const windowMs = rule.windowMs * this.#options.timeScale * (1 + (this.#options.safetyMargin ?? 0.02));
      window = { limit: rule.limit, windowMs, inFlight: 0, finished: [], pausedUntil: 0 };
      this.#windows.set(key, window);
    }
    return window;
  }
}

function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => {};
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}
