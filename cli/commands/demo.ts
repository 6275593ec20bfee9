import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { startSandboxes, type RunningSandboxes } from '../../connectors/sandbox/index.js';
import { parseConfig } from '../../runtime/config/load.js';
import { sandboxConnections } from '../../runtime/config/sandbox-connections.js';
import { authorizeSandboxConnections } from '../../runtime/config/sandbox-auth.js';
import { syncOnce } from '../../runtime/sync.js';
import { summaryTable } from '../shared/summary.js';
import type { SetExitCode } from './index.js';

/**
 * The flows `npm start` runs: the main job (shop orders and their customers into the accounting system) and the
 * catalogue (article labels as categories, articles as products both ways, stock). Of the four order-document
 * mappings only orders.map runs: they are alternatives, and a merchant enables one. The committed
 * mapline.config.json lists the same files, so `mapline sandbox` + `mapline run` do what the demo does.
 */
export const DEMO_MAPPINGS = [
  'mappings/customers.map',
  'mappings/orders.map',
  'mappings/categories.map',
  'mappings/products.map',
  'mappings/products-to-accounting.map',
  'mappings/stock.map',
];

/** Articles the demo adds to eAccounting before the first run, so the products flow has something to publish. */
const NEW_ARTICLES = 3;

/** Copies of seeded articles under new numbers, changed now: new in the accounting, not yet in the shop. */
function publishNewArticles(sandboxes: RunningSandboxes, count: number): string[] {
  const control = sandboxes.eaccounting.control;
  const now = sandboxes.clock.date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const fresh = control
    .records('articles')
    .filter((a) => a.IsActive === true && a.SendToWebshop === true && Array.isArray(a.ArticleLabels) && a.ArticleLabels.length > 0)
    .slice(0, count)
    .map((a) => ({ ...a, Id: randomUUID(), Number: `${String(a.Number)}-NEW`, Name: `${String(a.Name)} (new)`, CreatedUtc: now, ChangedUtc: now }));
  control.putRecords('articles', fresh);
  return fresh.map((a) => a.Number);
}

interface DemoOptions {
  readonly orders: string;
  readonly state: string;
}

export function registerDemo(program: Command, setExitCode: SetExitCode): void {
  program
    .command('demo')
    .description('start both sandboxes, run the default flows twice (the second run must create nothing), print the summary (what `npm start` runs)')
    .option('--orders <n>', 'how many shop orders the sandbox is seeded with', '300')
    .option('--state <file>', 'the state file the demo writes (replaced on each demo)', '.mapline-demo/state.sqlite')
    .action(async (options: DemoOptions) => {
      setExitCode(await demo(options));
    });
}

async function demo(options: DemoOptions): Promise<number> {
  const orders = Number(options.orders);
  if (!Number.isInteger(orders) || orders < 1) {
    process.stderr.write(`mapline demo: --orders must be a positive whole number, not "${options.orders}"\n`);
    return 2;
  }
  const state = resolve(options.state);
  rmSync(state, { force: true });
  rmSync(`${state}-wal`, { force: true });
  rmSync(`${state}-shm`, { force: true });
  const sandboxes = await startSandboxes({ sizes: { orders, customers: Math.max(10, Math.round(orders / 2)), products: 40 } });
  try {
    const out = (line = ''): boolean => process.stdout.write(`${line}\n`);
    out('Mapline demo: CCV Shop sandbox -> Visma eAccounting sandbox, on loopback, no credentials needed');
    out(`  CCV Shop sandbox     ${sandboxes.ccvshop.baseUrl}  (${orders} orders)`);
    out(`  eAccounting sandbox  ${sandboxes.eaccounting.baseUrl}`);
    out(`  mappings             ${DEMO_MAPPINGS.join(', ')}`);
    const published = publishNewArticles(sandboxes, NEW_ARTICLES);
    out(`  new in eAccounting   ${published.join(', ')}: marked for the webshop, not in the shop yet`);
    out();
    const config = parseConfig(
      { state, connections: sandboxConnections(sandboxes), flows: DEMO_MAPPINGS.map((file) => ({ file: resolve(file) })) },
      resolve('mapline.config.json'),
    );
    let failed = false;
    for (const [label, note] of [
      ['First run', 'everything eligible is created'],
      ['Second run, same sandboxes', 'nothing new may be created'],
    ] as const) {
      const outcome = await syncOnce({ config, prepareConnections: authorizeSandboxConnections });
      if (outcome.kind === 'compile-errors') {
        process.stderr.write(`mapline demo: the default mappings do not compile; run \`mapline check ${DEMO_MAPPINGS.join(' ')}\`\n`);
        return 1;
      }
      out(`${label} (${note}):`);
      out(summaryTable(outcome.result).map((line) => `  ${line}`).join('\n'));
      failed ||= outcome.result.errors.length > 0 || outcome.result.flows.some((f) => f.summary.failed > 0);
      for (const error of outcome.result.errors) out(`  ! ${error.message}`);
    }
    const created = sandboxes.eaccounting.control.counts();
    out(`eAccounting sandbox now holds: ${Object.entries(created).map(([entity, n]) => `${n} ${entity}`).join(', ')}`);
    const shop = sandboxes.ccvshop.control;
    const newProducts = shop.records('products').filter((p) => published.includes(String(p.productnumber)));
    const links = shop.records('producttocategories').filter((l) => newProducts.some((p) => p.id === l.product_id));
    out(`CCV Shop sandbox now sells ${newProducts.length} of the ${published.length} new articles, with ${links.length} category links (one per article label)`);
    // Shipping and discount articles are marked "send to webshop" (the API's default) but are no shop products.
    const nonStock = sandboxes.eaccounting.control.records('articles').filter((a) => a.IsStock !== true).map((a) => String(a.Number));
    const sold = nonStock.filter((number) => shop.records('products').some((p) => p.productnumber === number));
    out(`Articles without stock (shipping, discounts) sold in the shop: ${sold.length} of ${nonStock.length}${sold.length > 0 ? ` (${sold.join(', ')})` : ''}`);
    out(`Activity log: ${options.state}  (read it with: npx mapline logs --state ${options.state}; failures: --failed)`);
    return failed ? 1 : 0;
  } finally {
    await sandboxes.close();
  }
}
