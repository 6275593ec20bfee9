import type { SandboxApp } from './app.js';
import type { FaultSettings, OneShotFault } from './faults.js';
import { jsonResponse, parseJsonBody, type SandboxRequest, type SandboxResponse } from './http-types.js';
import type { RateLimitSettings } from './rate-limit.js';
import type { RequestLogEntry } from './request-log.js';
import { Router } from './router.js';
import type { SandboxServices } from './services.js';
import type { CreatedRecord, SandboxRecord } from './store.js';

/** Prefix of the inspection and control API; no real API path starts with it. */
export const CONTROL_PREFIX = '/__sandbox';

export interface SandboxState {
  readonly connector: string;
  readonly seed: string | number;
  readonly clock: { readonly now: string; readonly offsetMs: number };
  readonly records: Record<string, number>;
  readonly requests: { readonly total: number; readonly byPath: Record<string, number>; readonly byRoute: Record<string, number> };
  readonly faults: FaultSettings;
  readonly pendingFaults: readonly OneShotFault[];
  readonly rateLimits: RateLimitSettings;
}

/** The programmatic face of the control API; the HTTP routes under `/__sandbox` call exactly these. */
export class SandboxControl {
  constructor(
    private readonly app: SandboxApp,
    readonly services: SandboxServices,
  ) {}

  state(): SandboxState {
    const { clock, store, log, faults, limiter } = this.services;
    return {
      connector: this.app.name,
      seed: this.services.seed,
      clock: { now: clock.date().toISOString(), offsetMs: clock.offset },
      records: store.counts(),
      requests: { total: log.total, byPath: log.countsByPath(), byRoute: log.countsByRoute() },
      faults: faults.settings,
      pendingFaults: faults.pending,
      rateLimits: limiter.settings,
    };
  }

  counts(): Record<string, number> {
    return this.services.store.counts();
  }

  requests(limit?: number): RequestLogEntry[] {
    return this.services.log.entries(limit);
  }

  records(entity: string): SandboxRecord[] {
    return this.services.store.list(entity);
  }

  created(): CreatedRecord[] {
    return this.services.store.created();
  }

  /** Adds or replaces records directly (no validation): for tests that need a particular state. */
  putRecords(entity: string, records: readonly SandboxRecord[]): void {
    for (const record of records) this.services.store.put(entity, record);
  }

  /** Removes records directly, as a person deleting them in the system's own screens would. */
  deleteRecords(entity: string, ids: readonly (string | number)[]): void {
    for (const id of ids) this.services.store.delete(entity, id);
  }

  setFaults(change: Partial<FaultSettings>): FaultSettings {
    return this.services.faults.configure(change);
  }

  injectFaults(faults: readonly OneShotFault[]): void {
    this.services.faults.inject(faults);
  }

  setRateLimits(change: Partial<RateLimitSettings>): RateLimitSettings {
    return this.services.limiter.configure(change);
  }

  advanceClock(ms: number): string {
    this.services.clock.advance(ms);
    return this.services.clock.date().toISOString();
  }

  /** Seeded records, empty log, fresh limits, start-up faults, clock back to real time, no tokens. */
  reset(): void {
    const { store, log, limiter, faults, clock, initialFaults, initialRateLimits } = this.services;
    store.reset();
    log.clear();
    limiter.configure(initialRateLimits);
    faults.reset(initialFaults);
    clock.reset();
    this.app.reset?.();
  }

  clearRequests(): void {
    this.services.log.clear();
  }
}

/** HTTP routes of the control API (not behind the API's auth; loopback only). */
export function controlRouter(control: SandboxControl): Router {
  const ok = (value: unknown): SandboxResponse => jsonResponse(200, value);
  const body = controlBody;
  return new Router()
    .add('GET', `${CONTROL_PREFIX}`, () => ok(control.state()))
    .add('GET', `${CONTROL_PREFIX}/state`, () => ok(control.state()))
    .add('GET', `${CONTROL_PREFIX}/counts`, () => ok(control.counts()))
    .add('GET', `${CONTROL_PREFIX}/requests`, (request) => {
      const limit = request.query.get('limit');
      return ok({ total: control.services.log.total, byPath: control.services.log.countsByPath(), byRoute: control.services.log.countsByRoute(), entries: control.requests(limit ? Number(limit) : undefined) });
    })
    .add('DELETE', `${CONTROL_PREFIX}/requests`, () => {
      control.clearRequests();
      return ok({ cleared: true });
    })
    .add('GET', `${CONTROL_PREFIX}/created`, () => ok(control.created()))
    .add('GET', `${CONTROL_PREFIX}/records/{entity}`, (_request, params) => ok(control.records(params.entity ?? '')))
    .add('POST', `${CONTROL_PREFIX}/records/{entity}`, (request, params) => {
      const parsed = parseJsonBody(request);
      const list = Array.isArray(parsed) ? parsed : [parsed];
      if (list.some((item) => typeof item !== 'object' || item === null)) throw new ControlError('records must be JSON objects');
      control.putRecords(params.entity ?? '', list as SandboxRecord[]);
      return ok({ count: control.records(params.entity ?? '').length });
    })
    .add('POST', `${CONTROL_PREFIX}/reset`, () => {
      control.reset();
      return ok(control.state());
    })
    .add('GET', `${CONTROL_PREFIX}/faults`, () => ok({ settings: control.services.faults.settings, pending: control.services.faults.pending }))
    .add('PATCH', `${CONTROL_PREFIX}/faults`, (request) => ok(control.setFaults(body(request) as Partial<FaultSettings>)))
    .add('PUT', `${CONTROL_PREFIX}/faults`, (request) => ok(control.setFaults(body(request) as Partial<FaultSettings>)))
    .add('POST', `${CONTROL_PREFIX}/faults/once`, (request) => {
      const parsed = parseJsonBody(request);
      const list = (Array.isArray(parsed) ? parsed : [parsed]) as OneShotFault[];
      if (list.some((fault) => !['error', 'drop', 'lost-response', 'latency'].includes(fault?.kind))) {
        throw new ControlError('each fault needs kind: error | drop | lost-response | latency');
      }
      control.injectFaults(list);
      return ok({ pending: control.services.faults.pending });
    })
    .add('GET', `${CONTROL_PREFIX}/rate-limits`, () => ok(control.services.limiter.settings))
    .add('PATCH', `${CONTROL_PREFIX}/rate-limits`, (request) => ok(control.setRateLimits(body(request) as Partial<RateLimitSettings>)))
    .add('PUT', `${CONTROL_PREFIX}/rate-limits`, (request) => ok(control.setRateLimits(body(request) as Partial<RateLimitSettings>)))
    .add('GET', `${CONTROL_PREFIX}/clock`, () => ok({ now: control.services.clock.date().toISOString(), offsetMs: control.services.clock.offset }))
    .add('POST', `${CONTROL_PREFIX}/clock`, (request) => {
      const change = body(request);
      if (typeof change.set === 'string') {
        const at = Date.parse(change.set);
        if (Number.isNaN(at)) throw new ControlError('clock set must be an ISO date-time');
        control.services.clock.set(at);
      } else if (typeof change.advanceMs === 'number') {
        control.advanceClock(change.advanceMs);
      } else {
        throw new ControlError('clock body needs advanceMs (number) or set (ISO date-time)');
      }
      return ok({ now: control.services.clock.date().toISOString(), offsetMs: control.services.clock.offset });
    });
}

/** A control request's JSON object body (`{}` when empty); a ControlError when it is not one. */
export function controlBody(request: SandboxRequest): Record<string, unknown> {
  const parsed = parseJsonBody(request);
  if (parsed instanceof Error) throw new ControlError(`body is not JSON: ${parsed.message}`);
  if (parsed === undefined) return {};
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ControlError('body must be a JSON object');
  return parsed as Record<string, unknown>;
}

/** A bad control-API call; answered with 400 and the message. */
export class ControlError extends Error {}
