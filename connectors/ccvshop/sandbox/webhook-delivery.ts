import { Agent, request } from 'undici';
import { webhookHash } from '../webhook-hash.js';
import type { SandboxClock } from '../../sandbox/clock.js';
import { isoSeconds } from '../../sandbox/seed-plan.js';
import type { SandboxRecord } from '../../sandbox/store.js';

/**
 * The shop calling its webhooks (§4 "Webhook delivery"): every event becomes one delivery per active webhook
 * for that event, an HTTP POST of a JSON body to the webhook's address, signed with an `x-hash` header. Deliveries
 * are recorded from the moment the event happens, so a test can list them; they are sent asynchronously (the API
 * answer never waits for a receiver), and a failed attempt (no connection, a timeout, any status outside 2xx) is
 * retried with backoff on the sandbox clock until `MAX_ATTEMPTS` attempts were made.
 *
 * Tests never wait for timers: `settle()` sends everything still pending now, retries included without their
 * waits, and resolves when every delivery is delivered or failed; `runDue()` sends only what is due on the
 * sandbox clock, so a test that freezes the clock and moves it by hand sees the backoff itself.
 */

/** Attempts per delivery, the first included. */
export const MAX_ATTEMPTS = 5;
/** Wait before the second attempt; doubled before each next one (5 s, 10 s, 20 s, 40 s). */
export const FIRST_RETRY_MS = 5_000;
/** Time a receiver has to answer one attempt. */
export const ATTEMPT_TIMEOUT_MS = 10_000;

export interface DeliveryAttempt {
  /** Sandbox-clock time the attempt started. */
  readonly at: string;
  /** HTTP status the receiver answered, or null when there was no answer. */
  readonly status: number | null;
  readonly error?: string;
}

export interface WebhookDelivery {
  readonly id: number;
  readonly webhook_id: number;
  readonly event: string;
  readonly address: string;
  /** The JSON posted, parsed; `body` is the exact text that was signed and sent. */
  readonly payload: SandboxRecord;
  readonly body: string;
  /** The `x-hash` header sent: HMAC-SHA512 of `address|body`, keyed with the webhook's key, lowercase hex. */
  readonly hash: string;
  readonly created_at: string;
  readonly status: 'pending' | 'delivered' | 'failed';
  readonly attempts: readonly DeliveryAttempt[];
  /** When the next attempt is due on the sandbox clock; null once delivered or failed. */
  readonly next_attempt_at: string | null;
}

export { webhookHash };

interface Pending {
  delivery: WebhookDelivery;
  dueMs: number;
  inFlight?: Promise<void> | undefined;
  timer?: NodeJS.Timeout | undefined;
}

export class WebhookDeliveries {
  private readonly all: Pending[] = [];
  private readonly agent = new Agent({ headersTimeout: ATTEMPT_TIMEOUT_MS, bodyTimeout: ATTEMPT_TIMEOUT_MS, connect: { timeout: ATTEMPT_TIMEOUT_MS } });
  private nextId = 1;
  /** Bumped on reset, so an attempt still on the wire cannot bring back a forgotten delivery. */
  private generation = 0;

  constructor(private readonly clock: SandboxClock) {}

  /** Records a delivery of `payload` to each webhook and starts sending (after the current request is answered). */
  enqueue(event: string, payload: SandboxRecord, webhooks: readonly SandboxRecord[]): WebhookDelivery[] {
    const body = JSON.stringify(payload);
    const now = this.clock.now();
    return webhooks.map((webhook) => {
      const address = String(webhook.address);
      const delivery: WebhookDelivery = {
        id: this.nextId++,
        webhook_id: Number(webhook.id),
        event,
        address,
        payload,
        body,
        hash: webhookHash(String(webhook.key ?? ''), address, body),
        created_at: isoSeconds(now),
        status: 'pending',
        attempts: [],
        next_attempt_at: isoSeconds(now),
      };
      const entry: Pending = { delivery, dueMs: now };
      this.all.push(entry);
      this.schedule(entry);
      return delivery;
    });
  }

  /** Every delivery since the last reset, oldest first. */
  list(): WebhookDelivery[] {
    return this.all.map((entry) => entry.delivery);
  }

  /** Sends what is due on the sandbox clock and waits for every attempt under way. */
  async runDue(): Promise<WebhookDelivery[]> {
    const now = this.clock.now();
    await Promise.all(this.all.filter((entry) => entry.delivery.status === 'pending' && (entry.inFlight || entry.dueMs <= now)).map((entry) => this.attempt(entry)));
    return this.list();
  }

  /** Sends everything still pending, retries without their waits, until each delivery is delivered or failed. */
  async settle(): Promise<WebhookDelivery[]> {
    for (;;) {
      const pending = this.all.filter((entry) => entry.delivery.status === 'pending');
      if (pending.length === 0) return this.list();
      await Promise.all(pending.map((entry) => this.attempt(entry)));
    }
  }

  /** Forgets every delivery and stops the timers (control reset). */
  reset(): void {
    this.generation++;
    for (const entry of this.all) clearTimeout(entry.timer);
    this.all.length = 0;
  }

  async close(): Promise<void> {
    this.reset();
    await this.agent.close();
  }

  /** Runs the entry's next attempt, or waits for the one already under way. */
  private attempt(entry: Pending): Promise<void> {
    entry.inFlight ??= this.send(entry).finally(() => {
      entry.inFlight = undefined;
    });
    return entry.inFlight;
  }

  private async send(entry: Pending): Promise<void> {
    const generation = this.generation;
    const { delivery } = entry;
    const at = isoSeconds(this.clock.now());
    let outcome: DeliveryAttempt;
    try {
      const response = await request(delivery.address, {
        method: 'POST',
        dispatcher: this.agent,
        headers: { 'content-type': 'application/json', 'user-agent': 'CCV Shop webhooks (Mapline sandbox)', 'x-hash': delivery.hash },
        body: delivery.body,
      });
      await response.body.dump();
      outcome = response.statusCode >= 200 && response.statusCode < 300
        ? { at, status: response.statusCode }
        : { at, status: response.statusCode, error: `answered ${response.statusCode}` };
    } catch (error) {
      const code = (error as { code?: string }).code;
      outcome = { at, status: null, error: code ?? (error instanceof Error ? error.message : String(error)) };
    }
    if (generation !== this.generation) return;
    const attempts = [...delivery.attempts, outcome];
    const delivered = outcome.error === undefined;
    const exhausted = attempts.length >= MAX_ATTEMPTS;
    const dueMs = this.clock.now() + FIRST_RETRY_MS * 2 ** (attempts.length - 1);
    entry.delivery = {
      ...delivery,
      status: delivered ? 'delivered' : exhausted ? 'failed' : 'pending',
      attempts,
      next_attempt_at: delivered || exhausted ? null : isoSeconds(dueMs),
    };
    entry.dueMs = dueMs;
    if (entry.delivery.status === 'pending') this.schedule(entry);
  }

  /**
   * One real-time timer per pending delivery for its next attempt. When it fires and the attempt is not yet due
   * (a test froze the sandbox clock or moved it back), it waits again; unref'd, so it never keeps a process alive.
   */
  private schedule(entry: Pending): void {
    clearTimeout(entry.timer);
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      if (entry.delivery.status !== 'pending') return;
      if (entry.dueMs <= this.clock.now()) void this.attempt(entry);
      else this.schedule(entry);
    }, Math.max(0, entry.dueMs - this.clock.now()));
    entry.timer.unref();
  }
}
