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
    return next;
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
    if (window.count >= limit) {
      return { allowed: false, retryAfterMs: start + this.current.windowMs - now, limit };
    }
    window.count += 1;
    return { allowed: true };
  }

  reset(): void {
    this.windows.clear();
  }
}
