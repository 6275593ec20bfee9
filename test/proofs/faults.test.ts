import { afterEach, describe, expect, it } from 'vitest';
import type { SandboxesOptions } from '../../connectors/sandbox/index.js';
import type { FaultSettings } from '../../connectors/sandbox/faults.js';
import { startProofEnv, type ProofEnv } from './harness/env.js';
import { countLogged, runToTheEnd } from './harness/run-to-end.js';

/**
 * The fault matrix: the default flows (customers + orders) against sandboxes that misbehave in one way each.
 * Every case must end well, possibly after reruns, with every eligible order and customer in eAccounting exactly
 * once and nothing eligible missing; and each asserts that its fault really hit the run (no vacuous pass).
 */
const SIZES = { orders: 24, customers: 12, products: 12 };

let env: ProofEnv | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

/**
 * Sandboxes with the faults switched on once the eAccounting client is authorised: the one-time sandbox
 * authorisation is a set-up step (on a real account `mapline auth` does it, interactively), not part of a run.
 */
async function start(
  seed: string,
  sandbox: SandboxesOptions = {},
  faults: { both?: Partial<FaultSettings>; eaccounting?: Partial<FaultSettings> } = {},
  timeScale?: number,
): Promise<ProofEnv> {
  env = await startProofEnv({ sandbox: { seed, sizes: SIZES, ...sandbox }, ...(timeScale !== undefined ? { timeScale } : {}) });
  await env.authorize();
  env.sandboxes.ccvshop.control.setFaults({ ...faults.both });
  env.sandboxes.eaccounting.control.setFaults({ ...faults.both, ...faults.eaccounting });
  return env;
}

describe('fault matrix: the books end right whatever the APIs do', () => {
  it('injected 5xx (500 and 503) on both APIs', async () => {
    const e = await start('faults-5xx', {}, { both: { errorRate: 0.12, errorStatus: 500 }, eaccounting: { errorStatus: 503 } });
    const report = await runToTheEnd(e);
    expect(countLogged(e, (r) => r.fault === 'error')).toBeGreaterThan(3);
    expect(report.problems).toEqual([]);
    expect(report.staleQuarantine).toEqual([]);
    expect(report.endedWell).toBe(true);
  });

  it('dropped connections (socket destroyed before anything is done)', async () => {
    const e = await start('faults-drop', {}, { both: { dropRate: 0.12 } });
    const report = await runToTheEnd(e);
    expect(countLogged(e, (r) => r.fault === 'drop')).toBeGreaterThan(3);
    expect(report.problems).toEqual([]);
    expect(report.staleQuarantine).toEqual([]);
    expect(report.endedWell).toBe(true);
  });

  it('latency spikes (jitter on every answer, one-second stalls on writes)', async () => {
    const e = await start('faults-latency', {}, { both: { latencyMs: 2, latencyJitterMs: 40 } });
    e.sandboxes.eaccounting.control.injectFaults([
      { kind: 'latency', latencyMs: 1000, method: 'POST', pathPrefix: '/v2/customers' },
      { kind: 'latency', latencyMs: 1000, method: 'POST', pathPrefix: '/v2/orders' },
      { kind: 'latency', latencyMs: 1000, method: 'PUT', pathPrefix: '/v2/customers/' },
    ]);
    const report = await runToTheEnd(e);
    expect(e.sandboxes.eaccounting.control.state().pendingFaults).toEqual([]);
    expect(report.problems).toEqual([]);
    expect(report.staleQuarantine).toEqual([]);
    expect(report.endedWell).toBe(true);
  });

  it('writes applied with the response lost', async () => {
    const e = await start('faults-lost', {}, { eaccounting: { lostResponseRate: 0.35 } });
    const report = await runToTheEnd(e);
    expect(countLogged(e, (r) => r.fault === 'lost-response')).toBeGreaterThan(3);
    expect(report.problems).toEqual([]);
    expect(report.staleQuarantine).toEqual([]);
    expect(report.endedWell).toBe(true);
  });

  it('429 storms: the first eAccounting calls of the run all meet a spent window (time-scaled windows)', async () => {
    const e = await start('faults-429', { rateLimits: { enabled: true, windowMs: 2000 } });
    e.sandboxes.ccvshop.control.setRateLimits({ enabled: false });
    // Another client of the same account has spent the budget: the run's first eAccounting calls each meet 429
    // and must wait as told ("Try again in N seconds"), neither failing nor hammering. The storm is counted in
    // calls, not wall time, so it hits the run alike on a loaded machine and an idle one.
    const ea = e.sandboxes.eaccounting.control.services.limiter;
    const STORM = 6;
    ea.spendNext(STORM, `ea ${e.sandboxes.eaccounting.clientId} `);
    const report = await runToTheEnd(e);
    expect(ea.stormLeft).toBe(0);
    // Every storm call was a 429, and waiting as told means no call came back before its window ended.
    expect(countLogged(e, (r) => r.status === 429)).toBe(STORM);
    expect(report.problems).toEqual([]);
    expect(report.endedWell).toBe(true);
  }, 60_000);

  it('429 storms on CCV: the first shop calls meet a spent window (no wait told; the client backs off a scaled minute)', async () => {
    // CCV's 429 carries no wait, so the client backs off the documented minute; at time scale 0.05 that is 3 s.
    const e = await start('faults-429-ccv', { rateLimits: { enabled: true, windowMs: 3000 } }, {}, 0.05);
    e.sandboxes.eaccounting.control.setRateLimits({ enabled: false });
    const ccv = e.sandboxes.ccvshop.control.services.limiter;
    const STORM = 3;
    ccv.spendNext(STORM, 'ccv total');
    const report = await runToTheEnd(e);
    expect(ccv.stormLeft).toBe(0);
    // Backing off a whole (scaled) minute outlasts the window: no call meets a second 429.
    expect(countLogged(e, (r) => r.status === 429)).toBe(STORM);
    expect(report.problems).toEqual([]);
    expect(report.staleQuarantine).toEqual([]);
    expect(report.endedWell).toBe(true);
  }, 60_000);

  it('the access token expires mid-run (sandbox clock moved past its lifetime)', async () => {
    const e = await start('faults-token', { eaccounting: { accessTokenSeconds: 120 } });
    const ea = e.sandboxes.eaccounting.control;
    // Three minutes on after the 8th eAccounting call: the token the runner holds is dead on the server while
    // the runner still thinks it fresh, so it meets a 401 and has to refresh mid-run (CCV's 5-minute skew holds).
    let moved = false;
    const watch = setInterval(() => {
      if (!moved && ea.state().requests.total >= 8) {
        moved = true;
        e.sandboxes.clock.advance(3 * 60_000);
      }
    }, 1);
    try {
      const report = await runToTheEnd(e);
      expect(moved).toBe(true);
      expect(countLogged(e, (r) => r.status === 401)).toBeGreaterThan(0);
      expect(report.problems).toEqual([]);
      expect(report.endedWell).toBe(true);
    } finally {
      clearInterval(watch);
    }
  });

  it('the token refresh meets a 5xx and a dropped connection (identity server hiccups)', async () => {
    const e = await start('faults-refresh', { eaccounting: { accessTokenSeconds: 120 } });
    e.sandboxes.clock.advance(3 * 60_000); // the stored access token is expired: the run starts by refreshing
    e.sandboxes.eaccounting.control.injectFaults([
      { kind: 'error', method: 'POST', pathPrefix: '/connect/token', status: 500 },
      { kind: 'drop', method: 'POST', pathPrefix: '/connect/token' },
    ]);
    const report = await runToTheEnd(e);
    expect(e.sandboxes.eaccounting.control.state().pendingFaults).toEqual([]);
    expect(report.problems).toEqual([]);
    expect(report.staleQuarantine).toEqual([]);
    expect(report.endedWell).toBe(true);
  });

  it.each([
    ['ahead', 1],
    ['behind', -1],
  ])('HMAC clock skew near the 5-minute edge: sandbox clock 4m50s %s', async (_, sign) => {
    const e = await start(`faults-skew-${sign}`);
    e.sandboxes.clock.advance(sign * (4 * 60_000 + 50_000));
    const report = await runToTheEnd(e, { maxRuns: 2 });
    expect(countLogged(e, (r) => r.status === 401)).toBe(0);
    expect(report.problems).toEqual([]);
    expect(report.staleQuarantine).toEqual([]);
    expect(report.endedWell).toBe(true);
    expect(report.runs).toHaveLength(1);
  });
});
