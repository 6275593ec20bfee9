import type { HttpMethod, RateLimitRule } from '../definition.js';
import type { Credentials } from './auth-plugin.js';

/** Call when the request is over (answered or failed). */
export type Release = () => void;

/**
 * Where a client's requests draw their rate budget from. The default is the in-process `RateGovernor` (one
 * process, one client's budget); service mode plugs in a budget shared by every worker that talks to the same
 * credentials (`runtime/service/shared-rate-budget.ts`). Either way the client asks before each request and says
 * when the API answered 429.
 */
export interface RateBudget {
  /** Waits until a request to `endpoint` with `method` may go out; release it when it is over. */
  acquire(endpoint: string, method: HttpMethod): Promise<Release>;
  /** The API said 429: hold back everything that shares this request's budget for `ms`. */
  pause(endpoint: string, method: HttpMethod, ms: number): void;
}

/** What a budget is made for: one client of one connector, at one base URL, with one set of credentials. */
export interface RateBudgetContext {
  readonly connector: string;
  /** The API's base URL (origin and base path), as the client sends to it. */
  readonly baseUrl: string;
  readonly credentials: Credentials;
  readonly rules: readonly RateLimitRule[];
  /** Multiplies every window (1 = real time). */
  readonly timeScale: number;
}

export type RateBudgetFactory = (context: RateBudgetContext) => RateBudget;

/** One budget a request counts against: a rule of the definition, for one endpoint or connector-wide. */
export interface RateWindowKey {
  /** `<rule index>|<endpoint or *>`: equal keys are one budget. */
  readonly key: string;
  readonly rule: RateLimitRule;
}

/**
 * The budgets a request to `endpoint` with `method` counts against: every rule whose methods include it, keyed
 * per endpoint for `scope: 'endpoint'` rules, else connector-wide. Always per rule, so a rule's `methods` list is
 * its method class.
 */
export function rateWindowKeys(rules: readonly RateLimitRule[], endpoint: string, method: HttpMethod): RateWindowKey[] {
  const keys: RateWindowKey[] = [];
  rules.forEach((rule, index) => {
    if (rule.methods.length === 0 || rule.methods.includes(method)) keys.push({ key: `${index}|${rule.scope === 'endpoint' ? endpoint : '*'}`, rule });
  });
  return keys;
}
