import { createCcvShopSandbox } from '../../../connectors/ccvshop/sandbox/app.js';
import { listen, type RunningSandbox } from '../../../connectors/sandbox/host.js';
import { buildSeedPlan } from '../../../connectors/sandbox/seed-plan.js';

/** Credentials the test sandboxes accept (test-only values, not secrets of any real shop). */
export const CCV_KEYS = { publicKey: 'mapline-test-public', secret: 'mapline-test-secret-0123456789' };

/** Sandbox rate windows last `60 000 ms x TIME_SCALE`; clients get the same `timeScale`. */
export const TIME_SCALE = 0.01;

/** The real CCV Shop sandbox on 127.0.0.1:0, seeded, with minute windows scaled to TIME_SCALE. */
export async function startCcvSandbox(): Promise<RunningSandbox> {
  const plan = buildSeedPlan({ seed: 'client-tests', sizes: { products: 30, orders: 40, customers: 10 } });
  const sandbox = createCcvShopSandbox({ plan, credentials: CCV_KEYS, rateLimits: { enabled: true, windowMs: 60_000 * TIME_SCALE } });
  return listen(sandbox.app, sandbox.services);
}
