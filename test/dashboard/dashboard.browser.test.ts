import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalBackend } from '../../dashboard/server/local-backend.js';
import { dashboardBundle } from '../../dashboard/server/paths.js';
import type { RunningDashboard } from '../../dashboard/server/server.js';
import { ServiceBackend } from '../../dashboard/server/service-backend.js';
import { PgUserDirectory } from '../../dashboard/server/users.js';
import { ensureBuilt, ensurePlaygroundBuilt } from '../../playground/server/ensure-built.js';
import { openDatabase } from '../../runtime/service/database.js';
import { IntegrationRegistry } from '../../runtime/service/registry.js';
import { SqliteStateStore } from '../../runtime/state/sqlite-store.js';
import { launchChromium, screenshot, type Browser } from '../playground/chromium.js';
import { addTestIntegration, postgresForTests, useServiceDatabase } from '../helpers/postgres.js';
import { startEnv, type Env } from '../runtime/engine/helpers.js';
import { TOKEN, repoRoot, seedActivity, startDashboard } from './helpers.js';

const postgres = await postgresForTests(import.meta.filename);
const ORIGINAL = readFileSync(join(repoRoot, 'mappings', 'orders.map'), 'utf8');
const GOOD_LOOKUP = 'find eaccounting.articles by Number = shipping_articles[shipping_tax_percentage]';
/** The mapping with a mistake: the shipping row looks up an article that does not exist, so every order fails. */
const BROKEN = ORIGINAL.replace(GOOD_LOOKUP, 'find eaccounting.articles by Number = "NO-SUCH-ARTICLE"');
const BROKEN_LINE = ORIGINAL.split('\n').findIndex((line) => line.includes(GOOD_LOOKUP)) + 1;

let browser: Browser;
let dist: string;
let playgroundDist: string;
beforeAll(async () => {
  [dist, playgroundDist] = (await Promise.all([ensureBuilt(dashboardBundle()), ensurePlaygroundBuilt()])).map((b) => b.dist) as [string, string];
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

async function logInWithToken(url: string): Promise<Page> {
  await browser.context.clearCookies();
  const page = await browser.newPage();
  await page.goto(url);
  await page.fill('input[name=token]', TOKEN);
  await page.click('#login button[type=submit]');
  await ready(page);
  // Logged in, the login form is gone (its CSS once kept it on screen above every view).
  expect(await page.isVisible('#login')).toBe(false);
  return page;
}

async function ready(page: Page): Promise<void> {
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
}

/**
 * Clicks something that changes the view and waits for the new view: the page is marked not ready first, since
 * the hash change that routes runs after the click returns and `ready` would otherwise still see the old view's flag.
 */
async function clickAndRoute(page: Page, selector: string): Promise<void> {
  await page.evaluate(() => (document.body.dataset.ready = 'false'));
  await page.click(selector);
  await ready(page);
}

describe('the dashboard in Chromium over a one-shop SQLite state', () => {
  let env: Env;
  let server: RunningDashboard;
  let mapFile: string;
  let name: string;

  beforeAll(async () => {
    env = await startEnv(['mappings/orders.map']);
    mapFile = join(env.dir, 'orders.map');
    writeFileSync(mapFile, BROKEN);
    const config = join(env.dir, 'mapline.config.json');
    writeFileSync(config, JSON.stringify({ state: env.config.state, connections: env.config.connections, flows: [{ file: mapFile }] }));
    await seedActivity((now) => SqliteStateStore.open(env.config.state, { now }), 10_000, new Date(Date.now() - 3_600_000));
    const backend = new LocalBackend(config);
    name = backend.name;
    server = await startDashboard(backend, { dist, playgroundDist });
  });
  afterAll(async () => {
    await server?.close();
    await env?.close();
  });

  it('a failing record appears with its .map line; retry fixes it after the mapping is corrected', async () => {
    const page = await logInWithToken(server.url);
    await clickAndRoute(page, 'a[data-view=control]');
    await page.click('button.run[data-flow=orders]');
    await page.waitForFunction(() => /failed/.test(document.getElementById('control-status')?.textContent ?? ''));

    await clickAndRoute(page, 'a[data-view=overview]');
    expect(await page.getAttribute('#overview tr[data-flow=orders]', 'data-health')).toBe('orange');

    await page.goto(`${server.url}#failures/${name}`);
    await ready(page);
    const cards = page.locator('.failure');
    const before = await cards.count();
    expect(before).toBeGreaterThan(1);
    const first = cards.first();
    expect(await first.locator('.map-place').textContent()).toBe(`orders.map:${BROKEN_LINE}`);
    expect(await first.locator('.map-place').getAttribute('href')).toMatch(/^playground\/#s=/);
    expect(await first.locator('.reason').textContent()).toContain('NO-SUCH-ARTICLE');
    const sourceId = await first.getAttribute('data-source-id');
    await screenshot(page, 'dashboard-failures');

    // Retried before the fix: still failing.
    await first.locator('button.retry').click();
    await page.waitForFunction(() => /Still failing/.test(document.getElementById('failures-status')?.textContent ?? ''));
    expect(await page.locator('.failure').count()).toBe(before);

    writeFileSync(mapFile, ORIGINAL);
    await page.locator(`.failure[data-source-id="${sourceId}"] button.retry`).click();
    await page.waitForFunction(() => /Fixed/.test(document.getElementById('failures-status')?.textContent ?? ''));
    await ready(page);
    await page.waitForSelector(`.failure[data-source-id="${sourceId}"]`, { state: 'detached', timeout: 15_000 });
    const left = await page.locator('.failure .reason').allTextContents();
    // Only the retried record left quarantine; the others still wait for a retry (they still show the old mistake).
    expect(left.filter((reason) => reason.includes('NO-SUCH-ARTICLE')), `retried ${sourceId}, ${before} before`).toHaveLength(before - 1);
    expect(await page.locator(`.failure[data-source-id="${sourceId}"]`).count()).toBe(0);

    await page.click('#retry-all');
    await page.waitForFunction(() => /Done/.test(document.getElementById('failures-status')?.textContent ?? ''));
    await ready(page);
    expect(await page.locator('.failure').count()).toBe(0);
    await page.close();
  });

  it('pages and searches the 10,000 seeded log entries', async () => {
    const page = await logInWithToken(server.url);
    await page.goto(`${server.url}#activity/${name}`);
    await ready(page);
    expect(await page.locator('#activity tbody tr').count()).toBe(50);
    const firstPage = await page.locator('#activity tbody tr').first().getAttribute('data-id');
    await clickAndRoute(page, '#older');
    expect(await page.locator('#activity tbody tr').count()).toBe(50);
    expect(Number(await page.locator('#activity tbody tr').first().getAttribute('data-id'))).toBeLessThan(Number(firstPage));

    await page.fill('input[name=search]', 'customer4321@example.nl');
    await clickAndRoute(page, '#activity-filters button[type=submit]');
    expect(await page.locator('#activity tbody tr').count()).toBe(1);
    await page.locator('#activity tbody tr').first().click();
    await page.waitForSelector('.entry-detail');
    expect(await page.locator('.entry-detail').textContent()).toContain('customer4321@example.nl');
    expect(await page.locator('.entry-detail').textContent()).toContain('mappings/orders.map:40');

    await page.fill('input[name=search]', 'SKU-5"');
    await page.selectOption('select[name=action]', 'fail');
    await clickAndRoute(page, '#activity-filters button[type=submit]');
    const statuses = await page.locator('#activity tbody tr td:nth-child(4)').allTextContents();
    expect(statuses.length).toBeGreaterThan(0);
    expect(new Set(statuses)).toEqual(new Set(['fail']));

    await page.fill('input[name=search]', 'no-such-thing-anywhere');
    await clickAndRoute(page, '#activity-filters button[type=submit]');
    expect(await page.locator('#no-entries').count()).toBe(1);
    await page.close();
  });
});

describe.skipIf(!postgres)('the dashboard in Chromium over the service database', () => {
  const service = useServiceDatabase();
  let server: RunningDashboard;

  beforeAll(async () => {
    const registry = new IntegrationRegistry(service.db);
    await addTestIntegration(registry, 'shop-a');
    const users = new PgUserDirectory(service.db.pool);
    await users.put('carol', 'carol-password-long', []);
    await users.put('dave', 'dave-password-long!', ['shop-a']);
    const db = await openDatabase(service.database.url);
    server = await startDashboard(new ServiceBackend(db), { users: new PgUserDirectory(db.pool), dist, playgroundDist });
  });
  afterAll(async () => {
    await server?.close();
  });

  async function logIn(user: string, password: string): Promise<Page> {
    await browser.context.clearCookies(); // the browser profile is shared: start without another user's session
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.fill('input[name=user]', user);
    await page.fill('input[name=password]', password);
    await page.click('#login button[type=submit]');
    await ready(page);
    return page;
  }

  it('a user without access sees nothing; a user with access sees their integration', async () => {
    const carol = await logIn('carol', 'carol-password-long');
    expect(await carol.textContent('#view')).toContain('No integrations you can see.');
    await carol.goto(`${server.url}#failures/shop-a`);
    await ready(carol);
    expect(await carol.textContent('#view')).toMatch(/No integrations you can see|no integration named shop-a/);
    await carol.close();

    const dave = await logIn('dave', 'dave-password-long!');
    expect(await dave.locator('#overview tr[data-integration=shop-a]').count()).toBe(1);
    await dave.close();
  });
});
