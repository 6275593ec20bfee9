import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { SourceText } from '../../language/source-text.js';
import type { Browser } from './chromium.js';
import { mappingFiles } from './node-evaluation.js';

/** What the browser tests do with a playground page: open it, find lines of the orders mapping, place the cursor. */
export const ORDERS = 'orders.map';
export const ordersText = mappingFiles.find((f) => f.name === ORDERS)!.text;

export async function openPlayground(browser: Browser, url: string, file?: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(url);
  await page.waitForSelector('body[data-ready=true]');
  if (file) await page.selectOption('[data-testid=file-select]', file);
  await page.waitForFunction(() => (window.mapline?.checks ?? 0) > 0);
  return page;
}

/** 1-based line of the first line containing `needle` (in the orders mapping unless told). */
export function lineOf(needle: string, text = ordersText): number {
  const index = text.indexOf(needle);
  expect(index, `the mapping contains ${needle}`).toBeGreaterThanOrEqual(0);
  return new SourceText(ORDERS, text).lineCol(index).line;
}

export async function moveCursorTo(page: Page, line: number, column: number): Promise<void> {
  await page.evaluate(([l, c]) => {
    window.mapline!.editor.setPosition({ lineNumber: l!, column: c! });
    window.mapline!.editor.focus();
  }, [line, column]);
}

/** The editor lines marked as the rule of a clicked field or the place of a run-time error. */
export function highlightedLines(page: Page): Promise<number[]> {
  return page.evaluate(() =>
    window.mapline!.editor.getModel()!.getAllDecorations().filter((d) => d.options.className === 'line-highlight').map((d) => d.range.startLineNumber),
  );
}

/** Replaces the editor's text and waits until it is checked. */
export async function setText(page: Page, text: string): Promise<void> {
  const before = await page.evaluate(() => window.mapline!.checks);
  await page.evaluate((t) => window.mapline!.editor.setValue(t), text);
  await page.waitForFunction((n) => window.mapline!.checks > n, before);
}
