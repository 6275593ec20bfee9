import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompiledFlow } from '../../compiler/artifact.js';
import { renderDiagnostic } from '../../language/render.js';
import { SourceText } from '../../language/source-text.js';
import { ensurePlaygroundBuilt } from '../../playground/server/ensure-built.js';
import { startPlaygroundServer, type RunningPlayground } from '../../playground/server/server.js';
import { SqliteStateStore } from '../../runtime/state/sqlite-store.js';
import { launchChromium, screenshot, type Browser } from './chromium.js';
import { runFixtureFile } from '../../runtime/fixtures/run-fixtures.js';
import { compileAll, evaluateSamples, mappingFiles, samples } from './node-evaluation.js';
import { highlightedLines, lineOf, moveCursorTo, openPlayground as openPage, ORDERS, ordersText, setText } from './page.js';

/**
 * The playground in real Chromium against `mapline serve`'s server: what an integrator sees while writing a
 * mapping and trying it, and what a merchant sees in the activity log.
 */
let browser: Browser;
let server: RunningPlayground;
let store: SqliteStateStore;
let stateDir: string;
let ordersFlow: CompiledFlow;
/** Requests to anywhere but the playground server: there must be none (no CDN, nothing from the internet). */
const foreignRequests: string[] = [];
const failedReason = 'orders.map:93:16: no eaccounting.articles with Number = "KORTING"';

beforeAll(async () => {
  const { dist } = await ensurePlaygroundBuilt();
  stateDir = mkdtempSync(join(tmpdir(), 'mapline-playground-state-'));
  store = SqliteStateStore.open(join(stateDir, 'state.sqlite'));
  await seedActivity(store);
  server = await startPlaygroundServer({ dist, port: 0, store });
  browser = await launchChromium();
  browser.context.on('request', (r) => {
    if (!/^(data|blob):/.test(r.url()) && !r.url().startsWith(server.url)) foreignRequests.push(r.url());
  });
  const compiled = compileAll();
  ordersFlow = compiled.artifact!.flows.find((f) => f.name === 'orders' && f.location.file === ORDERS)!;
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await store?.close();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

async function seedActivity(state: SqliteStateStore): Promise<void> {
  const runId = await state.startRun({ flows: ['orders', 'customers'], dryRun: false });
  const common = { runId, dryRun: false, durationMs: 12, lineage: null, response: null };
  await state.logActivity({ ...common, flow: 'orders', sourceId: '781001', action: 'create', reason: 'no existing record', targetId: 'a1', sourceRecord: { id: 781001 }, payload: { YourReference: 'WEB-1001' } });
  await state.logActivity({ ...common, flow: 'orders', sourceId: '781002', action: 'fail', reason: failedReason, targetId: null, sourceRecord: { id: 781002, ordernumber_full: 'WEB-1002' }, payload: null });
  await state.logActivity({ ...common, flow: 'customers', sourceId: '781003', action: 'skip', reason: 'filter is false', targetId: null, sourceRecord: { id: 781003 }, payload: null });
  await state.finishRun(runId, { created: 1, failed: 1, skipped: 1 });
}

function openPlayground(file?: string): Promise<Page> {
  return openPage(browser, server.url, file);
}

describe('the playground page', () => {
  it('loads a default mapping with keywords, strings and comments coloured', async () => {
    const page = await openPlayground(ORDERS);
    await page.waitForSelector('.view-line');
    const colours = await page.evaluate(() => {
      const colourOf = (predicate: (text: string) => boolean): string | undefined => {
        const span = [...document.querySelectorAll('.view-line span span')].find((s) => predicate(s.textContent ?? ''));
        return span ? getComputedStyle(span).color : undefined;
      };
      return {
        keyword: colourOf((t) => t === 'flow' || t === 'settings'),
        string: colourOf((t) => t.startsWith('"')),
        comment: colourOf((t) => t.trimStart().startsWith('#')),
        plain: colourOf((t) => t === 'YourReference' || t === 'statuses'),
      };
    });
    await screenshot(page, 'loaded');
    expect(colours.keyword).toBeDefined();
    expect(new Set([colours.keyword, colours.string, colours.comment, colours.plain]).size).toBe(4);
    // The default mappings compile; this one warns only that its quotes variant has no `identify by`.
    expect(await page.locator('[data-testid=problems] .problem.error').count()).toBe(0);
    expect(await page.locator(`[data-testid=problems] .problem[data-file="${ORDERS}"]`).count()).toBe(1);
    expect(await page.locator(`[data-testid=problems] .problem[data-file="${ORDERS}"]`).textContent()).toContain('(when document is "quotes")');
    expect(foreignRequests).toEqual([]);
    await page.close();
  });

  it('marks a typo on its line with the CLI\'s code, message and hint', async () => {
    const page = await openPlayground(ORDERS);
    const line = lineOf('InvoicePostalCode  = billing.zipcode');
    const column = ordersText.split('\n')[line - 1]!.indexOf('zipcode') + 'zipcode'.length + 1;
    await moveCursorTo(page, line, column);
    await page.keyboard.press('Backspace'); // billing.zipcode -> billing.zipcod
    await page.waitForFunction(
      (l) => window.mapline!.monaco.editor.getModelMarkers({ owner: 'mapline' }).some((m) => m.startLineNumber === l),
      line,
      { timeout: 2000 },
    );
    await screenshot(page, 'typo-marker');

    const typed = ordersText.replace('InvoicePostalCode  = billing.zipcode', 'InvoicePostalCode  = billing.zipcod');
    const files = mappingFiles.map((f) => (f.name === ORDERS ? { name: f.name, text: typed } : f));
    const expected = compileAll(files).diagnostics.find((d) => d.file === ORDERS && new SourceText(ORDERS, typed).lineCol(d.range.start).line === line)!;
    expect(expected).toBeDefined();
    const markers = await page.evaluate((l) => window.mapline!.monaco.editor.getModelMarkers({ owner: 'mapline' }).filter((m) => m.startLineNumber === l), line);
    expect(markers).toHaveLength(1);
    expect(markers[0]!.code).toBe(expected.code);
    expect(markers[0]!.message).toBe(expected.hint ? `${expected.message}\nhint: ${expected.hint}` : expected.message);
    const shown = await page.textContent(`[data-testid=problems] .problem[data-file="${ORDERS}"][data-line="${line}"] pre`);
    expect(shown).toBe(renderDiagnostic(expected, new SourceText(ORDERS, typed)));
    await page.close();
  });

  it('offers zipcode after billing. (resolved through the let)', async () => {
    const page = await openPlayground(ORDERS);
    const row = await typeOnNewLine(page, 'InvoicePostalCode  = billing.zipcode', 'InvoiceCity = billing.zip', 'zipcode');
    await screenshot(page, 'completion');
    expect(await row.count()).toBeGreaterThan(0);
    await page.close();
  });

  it('offers a for block per document type at the start of a rule line, and the document types after `for "`', async () => {
    const page = await openPlayground(ORDERS);
    await typeOnNewLine(page, 'CustomerId    = debtor.Id', 'fo', 'for "invoicedrafts"');
    await page.keyboard.press('Escape');
    await page.keyboard.type('r "', { delay: 20 });
    const key = page.locator('.suggest-widget .monaco-list-row', { hasText: 'quotes' });
    await key.first().waitFor({ timeout: 5000 });
    expect(await key.count()).toBeGreaterThan(0);
    await page.close();
  });

  it('runs the orders flow on a seed sample and gives the payload `mapline test` gives for the same fixture', async () => {
    const runs = await evaluateSamples(ordersFlow);
    const sample = runs.find((r) => r.payload?.ok === true)!;
    expect(sample, 'some seed order passes the filter with a known customer').toBeDefined();
    // The same record and lookup data as a mapping test file, run through the real engine in dry-run mode.
    const fixtureDir = mkdtempSync(join(tmpdir(), 'mapline-playground-fixture-'));
    const fixturePath = join(fixtureDir, 'sample.test.json');
    const accountingData = Object.fromEntries(Object.entries(samples.entities).filter(([entity]) => entity.startsWith('eaccounting.')));
    writeFileSync(fixturePath, JSON.stringify({
      flow: 'orders',
      files: [join(process.cwd(), 'mappings', ORDERS)],
      data: accountingData,
      cases: [{ name: 'seed sample', source: samples.entities['ccvshop.orders']![sample.index], expect: { action: 'create' } }],
    }));
    const [fixture] = await runFixtureFile(fixturePath);
    rmSync(fixtureDir, { recursive: true, force: true });
    expect(fixture?.problems).toEqual([]);
    const page = await openPlayground(ORDERS);
    await page.selectOption('[data-testid=flow-select]', 'orders');
    await page.selectOption('[data-testid=sample-select]', String(sample.index));
    await page.click('[data-testid=run]');
    await page.waitForSelector('[data-testid=payload]');
    expect(await page.textContent('[data-testid=action]')).toBe('create');
    const payload = JSON.parse((await page.textContent('[data-testid=payload]'))!);
    expect(payload).toEqual(fixture!.outcome!.payload);
    expect(payload).toEqual(sample.payload!.ok ? sample.payload!.value : undefined);

    // Clicking an output field highlights the rule that produced it.
    await page.click('tr[data-field="CurrencyCode"]');
    expect(await highlightedLines(page)).toEqual([lineOf('CurrencyCode  = currency')]);
    await screenshot(page, 'run-lineage');
    await page.close();
  });

  it('points a run-time failure at the .map line of the lookup', async () => {
    // Every seed order's articles exist, so the mapping is edited to book coupons on 21 % goods on an article that does not.
    const edited = ordersText.replace('21 => "KORTING"', '21 => "GEEN-ARTIKEL"');
    expect(edited).not.toBe(ordersText);
    const files = [...mappingFiles.filter((f) => f.name !== ORDERS), { name: ORDERS, text: edited }];
    const editedFlow = compileAll(files).artifact!.flows.find((f) => f.name === 'orders' && f.location.file === ORDERS)!;
    const runs = await evaluateSamples(editedFlow, files);
    const failing = runs.find((r) => r.payload?.ok === false && r.payload.error.code === 'lookup');
    expect(failing, 'some seed order with a coupon fails the discount article lookup').toBeDefined();
    const error = failing!.payload!.ok ? undefined : failing!.payload!.error;
    const page = await openPlayground(ORDERS);
    await setText(page, edited);
    await page.selectOption('[data-testid=flow-select]', 'orders');
    await page.selectOption('[data-testid=sample-select]', String(failing!.index));
    await page.click('[data-testid=run]');
    await page.waitForSelector('[data-testid=action]');
    expect(await page.textContent('[data-testid=action]')).toBe('fail');
    expect(await page.textContent('[data-testid=reason]')).toBe(error!.message);
    expect(error!.message).toContain('GEEN-ARTIKEL');
    const errorLine = new SourceText(ORDERS, edited).lineCol(error!.location.range.start).line;
    expect((await highlightedLines(page))[0]).toBe(errorLine);
    await screenshot(page, 'run-failure');
    await page.close();
  });

  it('shares the edited file, flow and sample through the URL hash', async () => {
    const page = await openPlayground(ORDERS);
    await page.selectOption('[data-testid=flow-select]', 'orders');
    await page.selectOption('[data-testid=sample-select]', '4');
    await moveCursorTo(page, 1, 1);
    await page.keyboard.type('# shared edit\n');
    await page.waitForFunction(() => location.hash.startsWith('#s='));
    await page.waitForFunction(() => document.querySelector<HTMLSelectElement>('[data-testid=sample-select]')?.value === '4');
    await page.click('#share');
    const link = await page.evaluate(() => location.href);
    const other = await browser.newPage();
    await other.goto(link);
    await other.waitForSelector('body[data-ready=true]');
    await other.waitForFunction(() => (window.mapline?.checks ?? 0) > 0 && document.querySelector<HTMLSelectElement>('[data-testid=sample-select]')!.options.length > 0);
    expect(await other.evaluate(() => window.mapline!.editor.getValue())).toBe(`# shared edit\n${ordersText}`);
    expect(await other.inputValue('[data-testid=file-select]')).toBe(ORDERS);
    expect(await other.inputValue('[data-testid=flow-select]')).toBe('orders');
    expect(await other.inputValue('[data-testid=sample-select]')).toBe('4');
    await other.close();
    await page.close();
  });

  it('shows a failed record\'s reason in the activity log', async () => {
    const page = await openPlayground();
    await page.click('[data-testid=activity-tab]');
    await page.check('[data-testid=activity-failed]');
    const failedRow = page.locator('tr[data-activity]', { hasText: '781002' });
    // The list is fetched again with the filter on; the unfiltered rows stay until the answer is drawn.
    await page.waitForFunction(() => document.querySelectorAll('tr[data-activity]').length === 1, undefined, { timeout: 5000 }).catch(() => undefined);
    await failedRow.waitFor();
    expect(await page.locator('tr[data-activity]').count()).toBe(1);
    await failedRow.click();
    expect(await page.textContent('[data-testid=activity-reason]')).toBe(failedReason);
    expect(await page.textContent('[data-testid=activity-detail]')).toContain('WEB-1002');
    await screenshot(page, 'activity-failed');
    await page.close();
  });
});

/** Types `typed` on a new line after the line holding `after`, and waits for a suggestion row containing `offered`. */
async function typeOnNewLine(page: Page, after: string, typed: string, offered: string): Promise<Locator> {
  await moveCursorTo(page, lineOf(after), 1);
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await page.keyboard.type(typed, { delay: 20 });
  const row = page.locator('.suggest-widget .monaco-list-row', { hasText: offered });
  await row.first().waitFor({ timeout: 5000 });
  return row;
}
