import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CCV_LIMITS } from '../../../connectors/ccvshop/sandbox/app.js';
import { startSandboxes, type RunningSandboxes } from '../../../connectors/sandbox/index.js';
import { repoRoot, runProcess } from '../../helpers/cli.js';
import { postgresForTests, useServiceDatabase } from '../../helpers/postgres.js';

/**
 * Four worker processes on one CCV key, each with its own client and pool, against the sandbox's real limits
 * (150 GETs per minute per resource), time-scaled. Each worker alone would spend the whole budget (its in-process
 * governor knows only its own requests); drawing on the shared bucket, together they stay inside it.
 */
const postgres = await postgresForTests(import.meta.filename);
const TIME_SCALE = 0.02; // a minute is 1.2 s
const WORKERS = 4;
const CALLS_PER_WORKER = 150; // 600 GETs over two resources: 2 x 150 per window, so about two windows' worth

describe.skipIf(!postgres)('shared rate budget across worker processes', () => {
  const service = useServiceDatabase();
  let sandboxes: RunningSandboxes;
  beforeAll(async () => {
    sandboxes = await startSandboxes({ seed: 'shared-budget', sizes: { orders: 20, products: 10, customers: 8 }, rateLimits: { windowMs: 60_000 * TIME_SCALE } });
  });
  afterAll(async () => {
    await sandboxes?.close();
  });

  it('four processes hammering one CCV key get no 429 and every call through', async () => {
    const control = sandboxes.ccvshop.control;
    const orderIds = control.records('orders').map((o) => String(o.id)).join(',');
    const productIds = control.records('products').map((p) => String(p.id)).join(',');
    const tsx = join(repoRoot, 'node_modules/tsx/dist/esm/index.mjs');
    const script = join(repoRoot, 'test/runtime/service/fixtures/hammer-ccv.ts');
    const { ccvshop } = sandboxes;
    const results = await Promise.all(
      Array.from({ length: WORKERS }, () =>
        runProcess(
          [process.execPath, '--import', tsx, script, service.database.url, ccvshop.baseUrl, ccvshop.publicKey, ccvshop.secret, String(TIME_SCALE), String(CALLS_PER_WORKER), '4', orderIds, productIds],
          { cwd: repoRoot },
        ),
      ),
    );
    for (const result of results) expect(result.stderr).toBe('');
    const outcomes = results.map((r) => JSON.parse(r.stdout) as { ok: number; failures: string[] });
    expect(outcomes.flatMap((o) => o.failures)).toEqual([]);
    expect(outcomes.map((o) => o.ok)).toEqual(Array(WORKERS).fill(CALLS_PER_WORKER));

    const log = control.requests(5000).filter((entry) => entry.route !== null);
    expect(log.filter((entry) => entry.status === 429)).toEqual([]);
    expect(log.filter((entry) => entry.status === 200)).toHaveLength(WORKERS * CALLS_PER_WORKER);

    // What the server counted per window and resource: never above the limit (it would have said 429), and how
    // close to it the fleet got (printed, not asserted: it depends on the machine).
    const windowMs = 60_000 * TIME_SCALE;
    const perWindow = new Map<string, number>();
    for (const entry of log) {
      const key = `${Math.floor(Date.parse(entry.at) / windowMs)} ${entry.route!.split('/')[4]}`;
      perWindow.set(key, (perWindow.get(key) ?? 0) + 1);
    }
    expect(Math.max(...perWindow.values())).toBeLessThanOrEqual(CCV_LIMITS.get);
    const full = [...perWindow.values()].sort((a, b) => b - a).slice(0, 2);
    console.info(`shared budget, ${WORKERS} processes: fullest windows ${full.join(', ')} of ${CCV_LIMITS.get} GETs per resource (${perWindow.size} window-resources)`);
  }, 120_000);
});
