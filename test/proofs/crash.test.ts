import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crashLoop } from './harness/crash-loop.js';
import { startProofEnv, type ProofEnv } from './harness/env.js';
import { createdRecords } from '../helpers/created.js';

/**
 * The crash proof: `mapline run` (customers + orders, as `npm start`) killed with SIGKILL at 50 seeded random
 * moments and restarted each time, then run to the end. eAccounting must hold every eligible order exactly once
 * and every customer exactly once. `npm run soak` runs the same loop with many more kills.
 */
const SEED = 'crash-proof-1';
const KILLS = 50;

let env: ProofEnv;
beforeAll(async () => {
  env = await startProofEnv({ sandbox: { seed: SEED, sizes: { orders: 30, customers: 15, products: 15 } } });
});
afterAll(async () => {
  await env.close();
});

describe('crash proof: SIGKILL at random moments, then restart', () => {
  it(`after ${KILLS} kills every eligible order and customer exists exactly once, none missing`, async () => {
    const log: string[] = [];
    const report = await crashLoop(env, { seed: SEED, kills: KILLS, log: (line) => log.push(line) });
    expect(report.kills).toBe(KILLS);
    expect(report.problems, `after ${report.runs} runs (kills by mode ${JSON.stringify(report.byMode)}):\n${log.join('\n')}`).toEqual([]);
    expect(report.staleQuarantine).toEqual([]);
    expect(report.finalStatus === 0 || report.finalStatus === 1).toBe(true);
    expect(report.rerunCreated).toBe(0);
    // Every kind of kill landed at least a few times, so the proof covers every window of a create.
    for (const [mode, n] of Object.entries(report.byMode)) expect(n, mode).toBeGreaterThanOrEqual(3);
    expect(createdRecords(env.sandboxes.eaccounting.control, 'orders').length).toBeGreaterThan(20);
  }, 170_000);
});
