import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandboxes, type RunningSandboxes } from '../connectors/sandbox/index.js';
import { parseConfig } from '../runtime/config/load.js';
import { sandboxConnections } from '../runtime/config/sandbox-connections.js';
import { authorizeSandboxConnections } from '../runtime/config/sandbox-auth.js';
import type { FlowSummary } from '../runtime/engine/index.js';
import { syncOnce } from '../runtime/sync.js';
import type { BenchResult } from './result.js';

/**
 * The catalogue flows over both sandboxes seeded with ARTICLES products/articles, rate limits off: HTTP calls
 * per product created (products.map), per stock update (stock.map), and for a rerun with nothing changed,
 * against the ideal of one call per changed record.
 */
const ARTICLES = 1000;
const NEW_PRODUCTS = 200;
const STOCK_CHANGES = 100;

export async function run(): Promise<BenchResult[]> {
  const sandboxes = await startSandboxes({ seed: 'bench-catalogue', sizes: { products: ARTICLES, customers: 10, orders: 10 }, rateLimits: { enabled: false } });
  const dir = mkdtempSync(join(tmpdir(), 'mapline-bench-catalogue-'));
  try {
    const sync = async (file: string, settings: Record<string, string | boolean> = {}): Promise<{ summary: FlowSummary; ms: number }> => {
      const config = configFor(sandboxes, dir, file, settings);
      const started = performance.now();
      const outcome = await syncOnce({ config, prepareConnections: authorizeSandboxConnections });
      const ms = performance.now() - started;
      if (outcome.kind !== 'ran') throw new Error(`${file} does not compile`);
      if (outcome.result.errors.length > 0) throw new Error(outcome.result.errors.map((e) => e.message).join('; '));
      return { summary: outcome.result.flows[0]!.summary, ms };
    };
    const ea = sandboxes.eaccounting.control;
    const now = (): string => sandboxes.clock.date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const results: BenchResult[] = [];
    const perRecord = (calls: number, changed: number): number => Number((calls / Math.max(1, changed)).toFixed(3));

    // Products: NEW_PRODUCTS articles the shop does not have yet (renumbered), the rest already linked by number.
    const articles = ea.records('articles').filter((a) => a.SendToWebshop === true && a.IsActive === true);
    ea.putRecords('articles', articles.slice(0, NEW_PRODUCTS).map((a) => ({ ...a, Number: `NEW-${String(a.Number)}`, ChangedUtc: now() })));
    // The categories first, as a merchant's config runs them; each new product is then put in its labels' categories.
    await sync('mappings/categories.map');
    const linksBefore = sandboxes.ccvshop.control.records('producttocategories').length;
    const products = await sync('mappings/products.map');
    const links = sandboxes.ccvshop.control.records('producttocategories').length - linksBefore;
    const writes = products.summary.created + links;
    results.push(
      { area: 'catalogue', name: `products first run (${products.summary.read} articles, ${products.summary.created} new): HTTP calls per created product`, value: perRecord(products.summary.calls, products.summary.created), unit: 'calls', note: `${products.summary.calls} calls in all, for ${products.summary.created} products and their ${links} category links (one POST each in the CCV API)` },
      { area: 'catalogue', name: 'products first run: HTTP calls per record written (products + category links)', value: perRecord(products.summary.calls, writes), unit: 'calls', note: `ideal is 1 per record written: ${writes}` },
      { area: 'catalogue', name: 'products first run: wall time', value: Math.round(products.ms), unit: 'ms', note: `${ARTICLES} articles` },
    );
    const productsRerun = await sync('mappings/products.map');
    results.push({ area: 'catalogue', name: 'products rerun, nothing changed: HTTP calls', value: productsRerun.summary.calls, unit: 'calls', note: `read ${productsRerun.summary.read}, written ${productsRerun.summary.created + productsRerun.summary.updated}` });

    // Stock: the first run brings every product in line; then STOCK_CHANGES articles' stock moves.
    const stockFirst = await sync('mappings/stock.map');
    results.push({ area: 'catalogue', name: `stock first run (${stockFirst.summary.read} articles, ${stockFirst.summary.updated} stock updates): HTTP calls per update`, value: perRecord(stockFirst.summary.calls, stockFirst.summary.updated), unit: 'calls', note: `${stockFirst.summary.calls} calls in all` });
    const stocked = ea.records('articles').filter((a) => a.IsStock === true && a.IsActive === true && !String(a.Number).startsWith('NEW-')).slice(0, STOCK_CHANGES);
    ea.putRecords('articles', stocked.map((a) => ({ ...a, StockBalance: Number(a.StockBalance) + 5, StockBalanceAvailable: Number(a.StockBalanceAvailable) + 5, ChangedUtc: now() })));
    const stockChanged = await sync('mappings/stock.map');
    results.push(
      { area: 'catalogue', name: `stock after ${STOCK_CHANGES} changes: HTTP calls per stock update`, value: perRecord(stockChanged.summary.calls, stockChanged.summary.updated), unit: 'calls', note: `${stockChanged.summary.calls} calls for ${stockChanged.summary.updated} updates (read ${stockChanged.summary.read}); ideal is 1 per changed record` },
      { area: 'catalogue', name: `stock after ${STOCK_CHANGES} changes: wall time`, value: Math.round(stockChanged.ms), unit: 'ms' },
    );
    const stockRerun = await sync('mappings/stock.map');
    results.push({ area: 'catalogue', name: 'stock rerun, nothing changed: HTTP calls', value: stockRerun.summary.calls, unit: 'calls', note: `read ${stockRerun.summary.read}, updated ${stockRerun.summary.updated}` });
    return results;
  } finally {
    await sandboxes.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function configFor(sandboxes: RunningSandboxes, dir: string, file: string, settings: Record<string, string | boolean>) {
  return parseConfig(
    {
      state: join(dir, 'state.sqlite'),
      connections: sandboxConnections(sandboxes, { rateLimits: false }),
      flows: [{ file: join(import.meta.dirname, '..', file), settings }],
    },
    join(dir, 'mapline.config.json'),
  );
}
