import { SandboxClock } from './clock.js';
import { FaultInjector, type FaultSettings } from './faults.js';
import { RateLimiter, DEFAULT_RATE_LIMITS, type RateLimitSettings } from './rate-limit.js';
import { RequestLog } from './request-log.js';
import type { SeedPlan } from './seed-plan.js';
import type { EntityRecords, RecordStore } from './store.js';

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

/** What every connector's sandbox is started with; each adds its own credentials. */
export interface SandboxSetup {
  readonly plan: SeedPlan;
  /** Extra records (from `--data`), merged over the seed by id. */
  readonly data?: EntityRecords;
  /** Use only `data`, not the seed. */
  readonly dataOnly?: boolean;
  readonly clock?: SandboxClock;
  readonly faults?: Partial<FaultSettings>;
  readonly rateLimits?: Partial<RateLimitSettings>;
}

/** The services of a sandbox started with `setup`, over its record store. */
export function createServices(setup: SandboxSetup, store: RecordStore): SandboxServices {
  const clock = setup.clock ?? new SandboxClock();
  const rateLimits = { ...DEFAULT_RATE_LIMITS, ...setup.rateLimits };
  const seed = setup.plan.seed;
  return {
    seed,
    clock,
    store,
    limiter: new RateLimiter(clock, rateLimits),
    faults: new FaultInjector(seed, setup.faults ?? {}),
    log: new RequestLog(),
    initialFaults: setup.faults ?? {},
    initialRateLimits: rateLimits,
  };
}
