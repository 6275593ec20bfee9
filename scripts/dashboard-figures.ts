/**
 * The dashboard's figures for docs/dashboard.md: a fresh PostgreSQL database with 200 integrations (one with
 * 10,000 log entries and a quarantined record, the others with 20 entries each), the dashboard over it, and
 * Chromium loading the overview and the first activity page: load time, bytes transferred, and a screenshot. Each
 * integration's schedule is armed in the job queue, as a worker does, so the overview shows next runs.
 *
 *   npm run figures:dashboard
 *
 *   node --import tsx scripts/dashboard-figures.ts [postgres://mapline:mapline@127.0.0.1:5432/postgres]
 */
import { join } from 'node:path';
import pg from 'pg';
import { jobQueueView } from '../dashboard/server/job-view.js';
import { ServiceBackend } from '../dashboard/server/service-backend.js';
import { openDatabase } from '../runtime/service/database.js';
import { JobQueue } from '../runtime/service/jobs/index.js';
import { IntegrationRegistry } from '../runtime/service/registry.js';
import { PgStateStore } from '../runtime/state/pg-store.js';
import { ensureBuilt, ensurePlaygroundBuilt } from '../playground/server/ensure-built.js';
import { dashboardBundle } from '../dashboard/server/paths.js';
import { launchChromium } from '../test/playground/chromium.js';
import { TOKEN, repoRoot, seedActivity, startDashboard } from '../test/dashboard/helpers.js';

const server = process.argv[2] ?? 'postgres://mapline:mapline@127.0.0.1:5432/postgres';
const name = `mapline_figures_${process.pid}`;
const admin = new pg.Client({ connectionString: server });
await admin.connect();
await admin.query(`CREATE DATABASE ${name}`);
const url = new URL(server);
url.pathname = `/${name}`;
const db = await openDatabase(url.toString(), { max: 8 });
try {
  const registry = new IntegrationRegistry(db);
  const now = new Date();
  for (let i = 0; i < 200; i++) {
    const { integration } = await registry.add({ name: `shop-${String(i).padStart(3, '0')}`, config: { connections: {}, flows: [] }, flows: ['orders'], maps: [], secrets: new Map() }, undefined);
    await seedActivity((clock) => PgStateStore.open(db.pool, integration, { now: clock }), i === 0 ? 10_000 : 20, now);
    if (i === 0) {
      const store = PgStateStore.open(db.pool, integration);
      await store.quarantine({ runId: null, flow: 'orders', sourceId: '1003', reason: 'ccvshop.orders 1003: mappings/orders.map:142:19: no eaccounting.articles with Number = "NO-SUCH-ARTICLE"', sourceRecord: { id: 1003 }, payload: null, response: null });
      await store.close();
    }
  }
  const queue = await JobQueue.open(db);
  for (const integration of await registry.list()) await queue.armSchedules(integration);
  const [dashboard, playground] = await Promise.all([ensureBuilt(dashboardBundle()), ensurePlaygroundBuilt()]);
  const running = await startDashboard(new ServiceBackend(db), { dist: dashboard.dist, playgroundDist: playground.dist, jobs: jobQueueView(queue) });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(running.url);
    await page.fill('input[name=token]', TOKEN);
    await page.click('#login button[type=submit]');
    await page.waitForSelector('#overview');
    const measure = async (hash: string, selector: string): Promise<{ ms: number; bytes: number; requests: number }> => {
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
      let bytes = 0;
      let requests = 0;
      cdp.on('Network.loadingFinished', (event: { encodedDataLength: number }) => {
        bytes += event.encodedDataLength;
        requests++;
      });
      await page.goto('about:blank');
      const started = Date.now();
      await page.goto(`${running.url}${hash}`);
      await page.waitForSelector(selector);
      await page.waitForFunction(() => document.body.dataset.ready === 'true');
      const ms = Date.now() - started;
      await cdp.detach();
      return { ms, bytes, requests };
    };
    const overview = await measure('#overview', '#overview tbody tr');
    await page.screenshot({ path: join(repoRoot, 'docs', 'dashboard-overview.png'), clip: { x: 0, y: 0, width: 1400, height: 700 } });
    const activity = await measure('#activity/shop-000', '#activity tbody tr');
    process.stdout.write(`${JSON.stringify({ overview, activity }, null, 2)}\n`);
  } finally {
    await browser.close();
    await running.close();
    await queue.close();
  }
} finally {
  await db.close().catch(() => undefined);
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}
