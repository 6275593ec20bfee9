import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { rateWindowKeys, type RateBudget, type RateBudgetContext, type RateBudgetFactory, type Release } from '../../connectors/client/rate-budget.js';
import type { HttpMethod, RateLimitRule } from '../../connectors/definition.js';

export interface SharedRateBudgetOptions {
  /**
   * Share of a rule's limit that may go out at once after a quiet spell (the bucket's capacity, at least 1). The
   * rest refills evenly over the window, so any window of the server holds at most the limit.
   */
  readonly burstShare?: number;
  /** Extra fraction of the window, against clock drift and requests that arrive a little after they were let go. */
  readonly safetyMargin?: number;
}

const DEFAULTS = { burstShare: 0.05, safetyMargin: 0.02 } as const;

/**
 * A token bucket per rate rule and credentials, in PostgreSQL, shared by every process that talks to the same
 * API with the same credentials. One statement takes a token: an upsert that refills the row by the time since
 * its last refill (the database's clock, so workers need not agree on time), subtracts one and returns what is
 * left. Tokens may go negative: a taker then owns the slot `-tokens / refill` ms ahead and waits for it, without
 * asking again, so waiting costs no polling and no two takers get the same slot.
 *
 * Capacity C = burstShare x limit and refill (limit - C) / window: in any window the server counts, at most
 * C + (limit - C) requests arrive, so steady state never meets a 429.
 *
 * Fair share: within one client (one integration's run) only the head of a FIFO queue holds a ticket at a time,
 * so an integration with a backlog of 1,000 requests has one ticket in the bucket, like an integration with one:
 * tickets alternate between the integrations sharing a key, and none starves another.
 */
export class SharedRateBudget implements RateBudget {
  readonly #pool: pg.Pool;
  readonly #credentialKey: string;
  readonly #rules: readonly RateLimitRule[];
  readonly #timeScale: number;
  readonly #options: Required<SharedRateBudgetOptions>;
  readonly #queues = new Map<string, { waiters: (() => void)[]; pumping: boolean }>();

  constructor(pool: pg.Pool, credentialKey: string, rules: readonly RateLimitRule[], timeScale: number, options: SharedRateBudgetOptions = {}) {
    this.#pool = pool;
    this.#credentialKey = credentialKey;
    this.#rules = rules;
    this.#timeScale = timeScale;
    this.#options = { ...DEFAULTS, ...options };
  }

  acquire(endpoint: string, method: HttpMethod): Promise<Release> {
    const keys = rateWindowKeys(this.#rules, endpoint, method);
    if (keys.length === 0) return Promise.resolve(() => {});
    const queueKey = keys.map((k) => k.key).join(' ');
    let queue = this.#queues.get(queueKey);
    if (!queue) {
      queue = { waiters: [], pumping: false };
      this.#queues.set(queueKey, queue);
    }
    const ready = new Promise<void>((resolve) => queue.waiters.push(resolve));
    void this.#pump(queue, keys);
    return ready.then(() => () => {});
  }

  pause(endpoint: string, method: HttpMethod, ms: number): void {
    for (const { key, rule } of rateWindowKeys(this.#rules, endpoint, method)) {
      const { refillPerMs } = this.#bucket(rule);
      // Every later ticket moves back by `ms`: nobody sharing the key sends before the API's wait is over.
      void this.#pool
        .query('UPDATE mapline.rate_budgets SET tokens = LEAST(tokens, 0) - $2 WHERE key = $1', [this.#rowKey(key), ms * refillPerMs])
        .catch(() => undefined);
    }
  }

  /** Gives the queue's head a ticket, waits for its slot, lets it go, and goes on with the next. */
  async #pump(queue: { waiters: (() => void)[]; pumping: boolean }, keys: readonly { key: string; rule: RateLimitRule }[]): Promise<void> {
    if (queue.pumping) return;
    queue.pumping = true;
    try {
      while (queue.waiters.length > 0) {
        let wait = 0;
        for (const { key, rule } of keys) wait = Math.max(wait, await this.take(key, rule));
        if (wait > 0) await sleep(Math.ceil(wait));
        (queue.waiters.shift() as () => void)();
      }
    } finally {
      queue.pumping = false;
    }
  }

  /** Takes one token of `rule`'s bucket; returns the milliseconds until the slot it got. */
  async take(key: string, rule: RateLimitRule): Promise<number> {
    const { capacity, refillPerMs } = this.#bucket(rule);
    const { rows } = await this.#pool.query<{ tokens: number }>(
      `INSERT INTO mapline.rate_budgets AS b (key, tokens, capacity, refill_per_ms, refilled_at)
       VALUES ($1, $2::double precision - 1, $2, $3, clock_timestamp())
       ON CONFLICT (key) DO UPDATE SET
         tokens = LEAST(EXCLUDED.capacity,
                        b.tokens + EXCLUDED.refill_per_ms * GREATEST(0, EXTRACT(EPOCH FROM clock_timestamp() - b.refilled_at) * 1000)) - 1,
         refilled_at = GREATEST(b.refilled_at, clock_timestamp()),
         capacity = EXCLUDED.capacity,
         refill_per_ms = EXCLUDED.refill_per_ms
       RETURNING tokens`,
      [this.#rowKey(key), capacity, refillPerMs],
    );
    const tokens = Number(rows[0]!.tokens);
    return tokens >= 0 ? 0 : -tokens / refillPerMs;
  }

  #bucket(rule: RateLimitRule): { capacity: number; refillPerMs: number } {
    const capacity = Math.max(1, Math.floor(rule.limit * this.#options.burstShare));
    const windowMs = rule.windowMs * this.#timeScale * (1 + this.#options.safetyMargin);
    return { capacity, refillPerMs: (rule.limit - capacity) / windowMs };
  }

  #rowKey(ruleKey: string): string {
    return `${this.#credentialKey}|${ruleKey}`;
  }
}

/**
 * Who the API counts a request against, as a hash: the connector, its base URL and the credential that names the
 * caller (CCV's public key, an OAuth client id, an API key). Never the secret, and not even the identity in the
 * clear (the CCV public key is stored sealed). Two integrations with the same shop key share one budget.
 */
export function credentialKey(context: Pick<RateBudgetContext, 'connector' | 'baseUrl' | 'credentials'>): string {
  const { publicKey, clientId, apiKey } = context.credentials;
  const identity = publicKey ?? clientId ?? (apiKey !== undefined ? `api-key:${apiKey}` : '');
  return createHash('sha256').update(`${context.connector}\n${context.baseUrl.replace(/\/$/, '')}\n${identity}`).digest('hex').slice(0, 32);
}

/** The client option that makes every client draw on the database's shared budgets. */
export function sharedRateBudgets(pool: pg.Pool, options: SharedRateBudgetOptions = {}): RateBudgetFactory {
  return (context) => new SharedRateBudget(pool, credentialKey(context), context.rules, context.timeScale, options);
}
