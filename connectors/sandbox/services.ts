import { SandboxClock } from './clock.js';
import { FaultInjector, type FaultSettings } from './faults.js';
import { RateLimiter, DEFAULT_RATE_LIMITS, type RateLimitSettings } from './rate-limit.js';
import { RequestLog } from './request-log.js';
import type { RecordStore } from './store.js';

/** The shared machinery every connector sandbox runs on: one instance per server. */
export interface SandboxServices {
  readonly seed: string | number;
  readonly clock: SandboxClock;
  readonly store: RecordStore;
  readonly limiter: RateLimiter;
  readonly faults: FaultInjector;
  readonly log: RequestLog;
  /** Settings to go back to on reset. */
  readonly initialFaults: Partial<FaultSettings>;
  readonly initialRateLimits: RateLimitSettings;
}

export interface ServiceOptions {
  readonly seed: string | number;
  readonly store: RecordStore;
  readonly clock?: SandboxClock;
  readonly faults?: Partial<FaultSettings>;
  readonly rateLimits?: Partial<RateLimitSettings>;
}

export function createServices(options: ServiceOptions): SandboxServices {
  const clock = options.clock ?? new SandboxClock();
  const rateLimits = { ...DEFAULT_RATE_LIMITS, ...options.rateLimits };
  return {
    seed: options.seed,
    clock,
    store: options.store,
    limiter: new RateLimiter(clock, rateLimits),
    faults: new FaultInjector(options.seed, options.faults ?? {}),
    log: new RequestLog(),
    initialFaults: options.faults ?? {},
    initialRateLimits: rateLimits,
  };
}
