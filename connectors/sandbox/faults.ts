import { SeededRandom } from './rng.js';

/** What can go wrong on one request. */
export type FaultKind = 'error' | 'drop' | 'lost-response';

export interface FaultSettings {
  /** Fixed delay added before every answer, in real milliseconds. */
  readonly latencyMs: number;
  /** Extra random delay in [0, latencyJitterMs], drawn from the seed. */
  readonly latencyJitterMs: number;
  /** Share (0..1) of requests answered with a 5xx in the API's error shape, without doing anything. */
  readonly errorRate: number;
  /** Status used for injected errors (500, 502, 503...). */
  readonly errorStatus: number;
  /** Share (0..1) of requests whose socket is destroyed without any answer and without doing anything. */
  readonly dropRate: number;
  /** Share (0..1) of POST/PUT/PATCH requests that are applied, after which the socket is destroyed unanswered. */
  readonly lostResponseRate: number;
}

export const NO_FAULTS: FaultSettings = {
  latencyMs: 0,
  latencyJitterMs: 0,
  errorRate: 0,
  errorStatus: 500,
  dropRate: 0,
  lostResponseRate: 0,
};

/** A fault for the next matching request only, then it is used up (lets a test script one failure). */
export interface OneShotFault {
  readonly kind: FaultKind | 'latency';
  /** Only requests with this method match (any when absent). */
  readonly method?: string;
  /** Only requests whose path starts with this prefix match (any when absent). */
  readonly pathPrefix?: string;
  readonly status?: number;
  readonly latencyMs?: number;
}

export interface FaultDecision {
  readonly latencyMs: number;
  readonly kind: FaultKind | 'none';
  readonly status: number;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/**
 * Decides, per request and in arrival order, which fault (if any) hits it. Every request draws the same number
 * of values from the seeded generator whatever the settings, so a given seed and request sequence always
 * produce the same faults.
 */
export class FaultInjector {
  private random: SeededRandom;
  private current: FaultSettings;
  private readonly oneShots: OneShotFault[] = [];

  constructor(
    private readonly seed: string | number,
    initial: Partial<FaultSettings> = {},
  ) {
    this.random = SeededRandom.derive(seed, 'faults');
    this.current = validateFaults({ ...NO_FAULTS, ...initial });
  }

  get settings(): FaultSettings {
    return this.current;
  }

  get pending(): readonly OneShotFault[] {
    return [...this.oneShots];
  }

  configure(change: Partial<FaultSettings>): FaultSettings {
    this.current = validateFaults({ ...this.current, ...change });
    return this.current;
  }

  /** Queues faults that hit the next matching requests, one each, before the random ones. */
  inject(faults: readonly OneShotFault[]): void {
    this.oneShots.push(...faults);
  }

  /** Back to the given settings with the generator restarted from the seed. */
  reset(settings: Partial<FaultSettings> = {}): void {
    this.random = SeededRandom.derive(this.seed, 'faults');
    this.current = validateFaults({ ...NO_FAULTS, ...settings });
    this.oneShots.length = 0;
  }

  decide(method: string, path: string): FaultDecision {
    const upper = method.toUpperCase();
    const draws = [this.random.next(), this.random.next(), this.random.next(), this.random.next()] as const;
    const baseLatency = this.current.latencyMs + Math.round(draws[0] * this.current.latencyJitterMs);

    const shotIndex = this.oneShots.findIndex(
      (shot) =>
        (shot.method === undefined || shot.method.toUpperCase() === upper) &&
        (shot.pathPrefix === undefined || path.startsWith(shot.pathPrefix)) &&
        (shot.kind !== 'lost-response' || WRITE_METHODS.has(upper)),
    );
    if (shotIndex >= 0) {
      const shot = this.oneShots.splice(shotIndex, 1)[0] as OneShotFault;
      const latencyMs = shot.kind === 'latency' ? (shot.latencyMs ?? 0) : baseLatency;
      const kind = shot.kind === 'latency' ? 'none' : shot.kind;
      return { latencyMs, kind, status: shot.status ?? this.current.errorStatus };
    }

    let kind: FaultDecision['kind'] = 'none';
    if (draws[1] < this.current.dropRate) kind = 'drop';
    else if (draws[2] < this.current.errorRate) kind = 'error';
    else if (WRITE_METHODS.has(upper) && draws[3] < this.current.lostResponseRate) kind = 'lost-response';
    return { latencyMs: baseLatency, kind, status: this.current.errorStatus };
  }
}

function validateFaults(settings: FaultSettings): FaultSettings {
  for (const key of ['errorRate', 'dropRate', 'lostResponseRate'] as const) {
    const value = settings[key];
    if (typeof value !== 'number' || value < 0 || value > 1) throw new Error(`fault ${key} must be between 0 and 1`);
  }
  for (const key of ['latencyMs', 'latencyJitterMs'] as const) {
    const value = settings[key];
    if (typeof value !== 'number' || value < 0) throw new Error(`fault ${key} must be 0 or more`);
  }
  if (!Number.isInteger(settings.errorStatus) || settings.errorStatus < 500 || settings.errorStatus > 599) {
    throw new Error('fault errorStatus must be a 5xx status');
  }
  return settings;
}
