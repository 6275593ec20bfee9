import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompiledFlow, Json } from '../../compiler/artifact.js';
import { encodeStateForNode } from '../../playground/build/share-node.js';
import { ensurePlaygroundBuilt } from '../../playground/server/ensure-built.js';
import { startPlaygroundServer, type RunningPlayground } from '../../playground/server/server.js';
import { launchChromium, screenshot, type Browser } from './chromium.js';
import { measureFirstLoad } from './first-load.js';
import { compileAll, evaluateSamples, mappingFiles, samples } from './node-evaluation.js';
import { highlightedLines, lineOf, moveCursorTo, openPlayground, ORDERS, ordersText, setText } from './page.js';

/**
 * "The playground never misleads", in Chromium: lineage inside `each`, runs while the text has errors, run-time
 * errors inside `each`, quick fixes and the problems of every open file, live mode, and a first load that
 * stays small because the server sends the precompressed bundle.
 */
let browser: Browser;
let server: RunningPlayground;
let ordersFlow: CompiledFlow;
type Row = Record<string, Json>;
const orders = samples.entities['ccvshop.orders'] as Row[];

beforeAll(async () => {
  const { dist } = await ensurePlaygroundBuilt();
  server = await startPlaygroundServer({ dist, port: 0 });
  browser = await launchChromium();
  ordersFlow = compileAll().artifact!.flows.find((f) => f.name === 'orders' && f.location.file === ORDERS)!;
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** A seed order the flow creates, with more payload rows than order rows (a shipping or coupon row added by `+=`). */
async function orderWithAddedRow(): Promise<{ index: number; record: Row; rows: number }> {
  const runs = await evaluateSamples(ordersFlow);
  for (const run of runs) {
    if (run.payload?.ok !== true) continue;
    const rows = ((run.payload.value as Row).Rows as Json[]).length;
    const record = orders[run.index]!;
    if (rows > (record.orderrows as Json[]).length && (record.orderrows as Json[]).length > 1) return { index: run.index, record, rows };
  }
  throw new Error('test data: no seed order with several rows and a shipping or coupon row');
}

async function runSample(page: Page, index: number): Promise<void> {
  await page.selectOption('[data-testid=flow-select]', 'orders');
  await page.selectOption('[data-testid=sample-select]', String(index));
  await page.click('[data-testid=run]');
  await page.waitForSelector('[data-testid=action]');
}

function fieldCell(page: Page, path: string, column: 'from' | 'where'): Promise<string | null> {
  return page.textContent(`tr[data-field="${path}"] td:nth-child(${column === 'from' ? 3 : 4})`);
}

/** 1-based lines of the rules the compiler lists for a target field, split by whether `each` or `+=` makes the element. */
function ruleLines(target: string): { each: number[]; added: number[] } {
  const line = (start: number) => ordersText.slice(0, start).split('\n').length;
  const rules = ordersFlow.fields.filter((f) => f.target === target);
  return { each: rules.filter((f) => f.element?.each).map((f) => line(f.location.range.start)), added: rules.filter((f) => f.element && !f.element.each).map((f) => line(f.location.range.start)) };
}

/** An unknown setting in `write back`, below every payload rule. */
function typoBelowRules(text: string): string {
  const edited = text.replace('status = settings.sent_status', 'status = settings.sent_statu');
  expect(edited).not.toBe(text);
  return edited;
}

function typo(text: string): string {
  const edited = text.replace('InvoicePostalCode  = billing.zipcode', 'InvoicePostalCode  = billing.zipcod');
  expect(edited).not.toBe(text);
  return edited;
}

describe('the playground never misleads', () => {
  it('shows the order row an output row was read from, and the rule that made each row', async () => {
    const { index, record, rows } = await orderWithAddedRow();
    const page = await openPlayground(browser, server.url, ORDERS);
    await runSample(page, index);
    const orderRows = record.orderrows as Row[];
    const last = orderRows.length - 1;
    const unitPrice = ruleLines('Rows[].UnitPrice');
    // Row `last` comes from `each`: its sources are that order row's fields, not "absent".
    const from = await fieldCell(page, `Rows[${last}].UnitPrice`, 'from');
    expect(from).toContain(`orderrows[].price = ${JSON.stringify(orderRows[last]!.price)}`);
    expect(from).not.toContain('absent');
    expect(await fieldCell(page, `Rows[${last}].Text`, 'from')).toContain(`orderrows[].product_name = ${JSON.stringify(orderRows[last]!.product_name)}`);
    expect(await fieldCell(page, `Rows[${last}].UnitPrice`, 'where')).toBe(`${ORDERS}:${unitPrice.each[0]}:5`);
    // The row after the order rows was added by a `+=` rule: its price rule is that block's, not the each's.
    const addedWhere = await fieldCell(page, `Rows[${rows - 1}].UnitPrice`, 'where');
    expect(unitPrice.added.map((l) => `${ORDERS}:${l}:5`)).toContain(addedWhere);
    await page.click(`tr[data-field="Rows[${last}].UnitPrice"]`);
    expect(await highlightedLines(page)).toEqual([unitPrice.each[0]]);
    await screenshot(page, 'lineage-each');
    await page.close();
  });

  it('says it runs the last version that compiled while the text has errors, and refuses when none did', async () => {
    const { index } = await orderWithAddedRow();
    const page = await openPlayground(browser, server.url, ORDERS);
    await setText(page, typoBelowRules(ordersText));
    await runSample(page, index);
    expect(await page.textContent('[data-testid=stale-notice]')).toMatch(/1 error now .*last version that compiled/);
    expect(await page.textContent('[data-testid=action]')).toBe('create');
    // The rule lines name the version that ran; above the edit they are the same lines, so a click marks one.
    await page.click('tr[data-field="CurrencyCode"]');
    expect(await highlightedLines(page)).toEqual([lineOf('CurrencyCode  = currency')]);
    // Below an edit that moved the text, the old offsets would mark some other line: nothing is marked.
    await setText(page, typo(typoBelowRules(ordersText)));
    await page.click('[data-testid=run]');
    await page.waitForFunction(() => /2 errors now/.test(document.querySelector('[data-testid=stale-notice]')?.textContent ?? ''));
    await page.click('tr[data-field="CurrencyCode"]');
    expect(await highlightedLines(page)).toEqual([]);
    await screenshot(page, 'run-stale');
    await page.close();

    // A link to a text with an error: nothing of it ever compiled, so nothing runs.
    const link = `${server.url}#s=${await encodeStateForNode({ file: ORDERS, text: typo(ordersText), flow: 'orders', sample: index })}`;
    const broken = await browser.newPage();
    await broken.goto(link);
    await broken.waitForFunction(() => (window.mapline?.checks ?? 0) > 0);
    await broken.click('[data-testid=run]');
    expect(await broken.textContent('[data-testid=nothing-to-run]')).toMatch(/1 error .*no version of this file has compiled/);
    expect(await broken.locator('[data-testid=action]').count()).toBe(0);
    await broken.close();
  });

  it('points a run-time error inside each at the failing lookup, not at the each line', async () => {
    const { record } = await orderWithAddedRow();
    const pasted = structuredClone(record);
    (pasted.orderrows as Row[])[1]!.product_number = 'NO-SUCH-ARTICLE';
    const page = await openPlayground(browser, server.url, ORDERS);
    await page.selectOption('[data-testid=flow-select]', 'orders');
    await page.click('#paste summary');
    await page.fill('#paste-json', JSON.stringify(pasted));
    await page.click('[data-testid=run]');
    await page.waitForSelector('[data-testid=action]');
    expect(await page.textContent('[data-testid=action]')).toBe('fail');
    const lookupLine = lineOf('by Number = row.product_number');
    expect(lookupLine).not.toBe(lineOf('Rows = each orderrows'));
    expect(await page.textContent('[data-testid=reason]')).toMatch(new RegExp(`^${ORDERS}:${lookupLine}:\\d+: no eaccounting.articles with Number = "NO-SUCH-ARTICLE"`));
    expect(await highlightedLines(page)).toEqual([lookupLine]);
    await screenshot(page, 'each-error');
    await page.close();
  });

  it('fixes a misspelt field with the editor\'s quick fix (Ctrl+.)', async () => {
    const page = await openPlayground(browser, server.url, ORDERS);
    await setText(page, typo(ordersText));
    const line = lineOf('InvoicePostalCode  = billing.zipcode');
    await page.waitForFunction((l) => window.mapline!.monaco.editor.getModelMarkers({ owner: 'mapline' }).some((m) => m.startLineNumber === l), line);
    await moveCursorTo(page, line, ordersText.split('\n')[line - 1]!.indexOf('zipcode') + 3);
    await page.keyboard.press('Control+Period');
    const item = page.locator('.action-widget .monaco-list-row', { hasText: 'Change to "zipcode"' });
    await item.first().waitFor({ timeout: 5000 });
    await screenshot(page, 'quick-fix-menu');
    await page.keyboard.press('Enter');
    await page.waitForFunction((text) => window.mapline!.editor.getValue() === text, ordersText);
    await page.waitForFunction(() => !window.mapline!.diagnostics.some((d) => d.severity === 'error'));
    expect(await page.evaluate(() => window.mapline!.monaco.editor.getModelMarkers({ owner: 'mapline' }).filter((m) => m.severity === 8).length)).toBe(0);
    await page.close();
  });

  it('lists the problems of every open file with a count, and fixes one in another file', async () => {
    const customers = mappingFiles.find((f) => f.name === 'customers.map')!;
    const brokenCustomers = customers.text.replace(/= (billing|customer)\.(\w+)/, (_all, base: string, field: string) => `= ${base}.${field}x`);
    expect(brokenCustomers).not.toBe(customers.text);
    const files = mappingFiles.map((f) => (f.name === ORDERS ? { name: f.name, text: typo(f.text) } : f.name === customers.name ? { name: f.name, text: brokenCustomers } : f));
    const expected = compileAll(files).diagnostics;
    expect(new Set(expected.filter((d) => d.severity === 'error').map((d) => d.file))).toEqual(new Set([ORDERS, customers.name]));

    const page = await openPlayground(browser, server.url, ORDERS);
    await setText(page, typo(ordersText));
    await page.selectOption('[data-testid=file-select]', customers.name);
    await setText(page, brokenCustomers);
    const count = page.locator('[data-testid=problem-count]');
    expect(await count.getAttribute('data-count')).toBe(String(expected.length));
    expect(await count.textContent()).toMatch(new RegExp(`^${expected.length} problems? in \\d+ files: ${expected.filter((d) => d.severity === 'error').length} errors`));
    expect(await page.locator(`.problem.error[data-file="${ORDERS}"]`).count()).toBe(1);
    expect(await page.locator(`.problem.error[data-file="${customers.name}"]`).count()).toBeGreaterThan(0);
    // The typo, and the warning of orders.map's quotes variant (quotes have no reference to identify them by).
    const inOrders = expected.filter((d) => d.file === ORDERS).length;
    expect(inOrders).toBe(2);
    expect(await page.textContent(`#file-select option[value="${ORDERS}"]`)).toBe(`${ORDERS} (${inOrders} problems)`);
    await screenshot(page, 'problems-all-files');

    // Fixing the orders.map typo from the customers.map view: the other file's text changes, its problem goes.
    await page.click(`.problem.error[data-file="${ORDERS}"] [data-testid=fix]`);
    await page.waitForFunction((file) => !window.mapline!.diagnostics.some((d) => d.file === file && d.severity === 'error'), ORDERS);
    expect(await page.inputValue('[data-testid=file-select]')).toBe(customers.name);
    // Clicking the remaining problem opens nothing new: it is in this file; its line gets the cursor.
    const first = page.locator(`.problem.error[data-file="${customers.name}"] pre`).first();
    const line = Number(await page.locator(`.problem.error[data-file="${customers.name}"]`).first().getAttribute('data-line'));
    await first.click();
    expect(await page.evaluate(() => window.mapline!.editor.getPosition()!.lineNumber)).toBe(line);
    await page.selectOption('[data-testid=file-select]', ORDERS);
    expect(await page.evaluate(() => window.mapline!.editor.getValue())).toBe(ordersText);
    await page.close();
  });

  it('re-runs the flow as you type in live mode, and says so when the text stops compiling', async () => {
    const { index } = await orderWithAddedRow();
    const page = await openPlayground(browser, server.url, ORDERS);
    await page.selectOption('[data-testid=flow-select]', 'orders');
    await page.selectOption('[data-testid=sample-select]', String(index));
    await page.check('[data-testid=live]');
    await page.waitForSelector('[data-testid=payload]');
    const reference = String(orders[index]!.ordernumber_full);
    expect(JSON.parse((await page.textContent('[data-testid=payload]'))!).YourReference).toBe(reference);

    const line = lineOf('  YourReference = ordernumber_full'); // the payload rule, not `identify by YourReference = ...`
    await moveCursorTo(page, line, 1);
    await page.keyboard.press('End');
    await page.keyboard.type(' + "-live"', { delay: 15 });
    // The output comes to be the newest text's: the run of the version the last check compiled. (Typing the closing
    // quote over Monaco's auto-closed one makes a last version with the same text: its run may still be on its way,
    // so this waits for it instead of reading the versions at one instant.)
    await page.waitForFunction(
      (want) =>
        JSON.parse(document.querySelector('[data-testid=payload]')?.textContent ?? '{}').YourReference === want &&
        window.mapline!.outputVersion === window.mapline!.checkedVersion,
      `${reference}-live`,
    );
    expect(await page.locator('[data-testid=stale-notice]').count()).toBe(0);
    expect(await page.locator('[data-testid=run]').isVisible()).toBe(true);

    await page.keyboard.type(' +'); // no longer compiles
    await page.waitForSelector('[data-testid=stale-notice]');
    expect(await page.textContent('[data-testid=stale-notice]')).toMatch(/^Not updated: the mappings have \d+ errors? now/);
    expect(JSON.parse((await page.textContent('[data-testid=payload]'))!).YourReference).toBe(`${reference}-live`);
    await screenshot(page, 'live-stale');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await page.waitForFunction(() => document.querySelector('[data-testid=stale-notice]') === null);
    await page.close();
  });
});

describe('first load', () => {
  it('sends the precompressed bundle and transfers less than 1.2 MB on a cold load', async () => {
    const load = await measureFirstLoad(server);
    expect(load.files.some((f) => f.includes('check-worker'))).toBe(true);
    expect(load.transferred).toBeGreaterThan(100_000);
    expect(load.transferred).toBeLessThan(1_200_000);
    expect(load.written).toBeLessThan(1_200_000);
    const script = [...load.encodings].find(([path]) => /^\/assets\/index-.*\.js$/.test(path));
    expect(script?.[1]).toBe('br');
    // The evaluator is not part of the first load: it comes with the first run.
    expect(load.files.some((f) => f.includes('run-flow'))).toBe(false);
  });
});
