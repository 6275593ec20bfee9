import type { SandboxClock } from './clock.js';

export interface RateLimitSettings {
  readonly enabled: boolean;
  /**
   * Length of one window. The real APIs count per minute (60 000 ms); tests scale it down (e.g. 600 ms) so
   * limits reset quickly. Limits per window stay the documented numbers.
   */
  readonly windowMs: number;
}

export const DEFAULT_RATE_LIMITS: RateLimitSettings = { enabled: true, windowMs: 60_000 };

export type RateLimitDecision =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly retryAfterMs: number; readonly limit: number };

/**
 * Fixed windows aligned to the sandbox clock (minute boundaries at the default scale): a window's budget is
 * spent, then every call answers 429 until the next window starts. eAccounting's "Try again in 55 seconds"
 * message reads like a fixed window, so the retry time is the time left in the current window.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  /** A storm counted in calls: how many more calls (with keys under `keyPrefix`) find their window spent. */
  private storm: { keyPrefix: string; calls: number } | undefined;

  constructor(
    private readonly clock: SandboxClock,
    private current: RateLimitSettings = DEFAULT_RATE_LIMITS,
  ) {}

  get settings(): RateLimitSettings {
    return this.current;
  }

  configure(change: Partial<RateLimitSettings>): RateLimitSettings {
    const next = { ...this.current, ...change };
    if (!(next.windowMs > 0)) throw new Error('rate limit windowMs must be a positive number');
    this.current = next;
    this.windows.clear();
    this.storm = undefined;
    return next;
  }

  /**
   * A 429 storm counted in calls, not in time: the next `calls` calls whose key starts with `keyPrefix` find
   * their window's budget already spent (as if another client of the account had spent it just before) and are
   * refused with the real time left in the window. Tests use it so a storm hits a run the same way on a loaded
   * machine as on an idle one.
   */
  spendNext(calls: number, keyPrefix = ''): void {
    this.storm = { keyPrefix, calls };
  }

  /** Calls the storm set with `spendNext` has still to refuse. */
  get stormLeft(): number {
    return this.storm?.calls ?? 0;
  }

  /** Counts one call against `key`; every key shares the configured window length. */
  consume(key: string, limit: number): RateLimitDecision {
    if (!this.current.enabled) return { allowed: true };
    const now = this.clock.now();
    const start = Math.floor(now / this.current.windowMs) * this.current.windowMs;
    let window = this.windows.get(key);
    if (!window || window.start !== start) {
      window = { start, count: 0 };
      this.windows.set(key, window);
    }
    if (this.storm && this.storm.calls > 0 && key.startsWith(this.storm.keyPrefix)) {
      this.storm.calls -= 1;
      window.count = Math.max(window.count, limit);
    }
    if (window.count >= limit) {
      return { allowed: false, retryAfterMs: start + this.current.windowMs - now, limit };
    }
    window.count += 1;
    return { allowed: true };
  }

  reset(): void {
    this.windows.clear();
    this.storm = undefined;
  }
}
