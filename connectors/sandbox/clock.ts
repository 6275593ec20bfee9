/**
 * The sandbox's notion of "now": real time plus an offset the tests can move. Token expiry, auth-code expiry,
 * HMAC clock skew and rate-limit windows all read this clock, so a test can jump an hour ahead without waiting.
 */
export class SandboxClock {
  private offsetMs = 0;

  constructor(private readonly realNow: () => number = Date.now) {}

  now(): number {
    return this.realNow() + this.offsetMs;
  }

  date(): Date {
    return new Date(this.now());
  }

  /** Moves the clock forward (or back, with a negative value). */
  advance(ms: number): void {
    this.offsetMs += ms;
  }

  /** Sets the clock to an absolute instant; real time keeps running from there. */
  set(epochMs: number): void {
    this.offsetMs = epochMs - this.realNow();
  }

  /** Offset from real time, for the control API. */
  get offset(): number {
    return this.offsetMs;
  }

  reset(): void {
    this.offsetMs = 0;
  }
}
