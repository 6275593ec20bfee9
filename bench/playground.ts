/**
 * Playground figures: bundle size (all JS the page can load, raw and gzip), bytes transferred on a cold first
 * load (the server sends the precompressed files), time to first render (navigation to the first checked mapping
 * shown, cold and warm cache), keystroke-to-marker latency on a generated 300-line mapping, and live mode's
 * keystroke-to-output latency on the orders mapping, measured inside Debian's Chromium.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ensurePlaygroundBuilt } from '../playground/server/ensure-built.js';
import { startPlaygroundServer } from '../playground/server/server.js';
import { encodeStateForNode } from '../playground/build/share-node.js';
import { launchChromium } from '../test/playground/chromium.js';
import { measureFirstLoad } from '../test/playground/first-load.js';
import { compileAll, evaluateSamples, mappingFiles } from '../test/playground/node-evaluation.js';
import { generateLargeMapping } from './large-mapping.js';
import type { BenchResult } from './result.js';

const AREA = 'playground';

export async function run(): Promise<BenchResult[]> {
  const { dist } = await ensurePlaygroundBuilt();
  const results: BenchResult[] = [...bundleSize(dist)];
  const server = await startPlaygroundServer({ dist, port: 0 });
  const browser = await launchChromium();
  try {
    const cold = await measureFirstLoad(server);
    const note = `${cold.files.length} files, cold cache; the test asserts at most 1.2 MB`;
    results.push({ area: AREA, name: 'first load transferred (browser)', value: round(cold.transferred / 1024), unit: 'KiB', note: `${note}; sum of resource-timing transferSize` });
    results.push({ area: AREA, name: 'first load sent (server sockets)', value: round(cold.written / 1024), unit: 'KiB', note: 'bytes written on every connection, headers included' });
    const loads: number[] = [];
    for (let i = 0; i < 4; i++) {
      const page = await browser.newPage();
      await page.goto(server.url);
      await page.waitForFunction(() => (window.mapline?.checks ?? 0) > 0 && document.querySelector('.view-line') !== null);
      loads.push(await page.evaluate(() => performance.now()));
      await page.close();
    }
    results.push({ area: AREA, name: 'first render, cold cache', value: round(loads[0]!), unit: 'ms', note: 'navigation start to the first checked mapping on screen (fresh profile)' });
    results.push({ area: AREA, name: 'first render, warm cache', value: round(median(loads.slice(1))), unit: 'ms', note: 'median of 3 reloads' });
    results.push(...(await keystrokeLatency(browser, server.url)));
    results.push(...(await liveLatency(browser, server.url)));
  } finally {
    await browser.close();
    await server.close();
  }
  return results;
}

function bundleSize(dist: string): BenchResult[] {
  const assets = join(dist, 'assets');
  const js = readdirSync(assets).filter((f) => f.endsWith('.js'));
  let raw = 0;
  let gzip = 0;
  for (const file of js) {
    const bytes = readFileSync(join(assets, file));
    raw += bytes.length;
    gzip += gzipSync(bytes).length;
  }
  const samples = readFileSync(join(dist, 'samples.json')).length;
  return [
    { area: AREA, name: 'bundle JS total', value: round(raw / 1024), unit: 'KiB', note: `${js.length} files: page, checking worker, Monaco editor worker, evaluator (loaded on the first run)` },
    { area: AREA, name: 'bundle JS total, gzip', value: round(gzip / 1024), unit: 'KiB' },
    { area: AREA, name: 'samples.json', value: round(samples / 1024), unit: 'KiB', note: 'seed records fetched on load' },
  ];
}

/** Types one character that breaks a field name on a middle line, then deletes it; times edit -> markers set. */
async function keystrokeLatency(browser: Awaited<ReturnType<typeof launchChromium>>, url: string): Promise<BenchResult[]> {
  const text = generateLargeMapping(300);
  const lines = text.split('\n');
  const line = lines.findIndex((l, i) => i > lines.length / 2 && l.includes('CurrencyCode  = currency')) + 1;
  const page = await browser.newPage();
  await page.goto(`${url}#s=${await encodeStateForNode({ file: 'large.map', text })}`);
  await page.waitForFunction(() => (window.mapline?.checks ?? 0) > 0);
  await page.evaluate(() => {
    const handle = window.mapline!;
    const timings: number[] = [];
    let editedAt = 0;
    handle.editor.onDidChangeModelContent(() => (editedAt = performance.now()));
    handle.monaco.editor.onDidChangeMarkers(() => {
      if (editedAt) timings.push(performance.now() - editedAt);
      editedAt = 0;
    });
    (window as unknown as { timings: number[] }).timings = timings;
  });
  await page.evaluate((l) => {
    window.mapline!.editor.setPosition({ lineNumber: l, column: 1000 });
    window.mapline!.editor.focus();
  }, line);
  const appear: number[] = [];
  const clear: number[] = [];
  for (let i = 0; i < 10; i++) {
    for (const [key, into, markerWanted] of [['x', appear, true], ['Backspace', clear, false]] as const) {
      const before = await page.evaluate(() => (window as unknown as { timings: number[] }).timings.length);
      await page.keyboard.press(key);
      await page.waitForFunction(
        ([n, l, wanted]) =>
          (window as unknown as { timings: number[] }).timings.length > (n as number) &&
          window.mapline!.monaco.editor.getModelMarkers({ owner: 'mapline' }).some((m) => m.startLineNumber === l) === wanted,
        [before, line, markerWanted] as const,
      );
      into.push(await page.evaluate(() => (window as unknown as { timings: number[] }).timings.at(-1)!));
    }
  }
  await page.close();
  const note = `${lines.length}-line generated mapping plus the default mappings, compiled in the worker per edit`;
  return [
    { area: AREA, name: 'keystroke to marker (median)', value: round(median(appear)), unit: 'ms', note },
    { area: AREA, name: 'keystroke to marker (max of 10)', value: round(Math.max(...appear)), unit: 'ms' },
    { area: AREA, name: 'keystroke to marker cleared (median)', value: round(median(clear)), unit: 'ms' },
  ];
}

/**
 * Live mode on the orders mapping and a seed order it creates: types one character inside a string the payload
 * writes, and times the edit to the redrawn output (check in the worker, then the run in the page).
 */
async function liveLatency(browser: Awaited<ReturnType<typeof launchChromium>>, url: string): Promise<BenchResult[]> {
  const orders = compileAll().artifact!.flows.find((f) => f.name === 'orders' && f.location.file === 'orders.map')!;
  const sample = (await evaluateSamples(orders)).find((r) => r.payload?.ok === true)!.index;
  const rule = '  YourReference = ordernumber_full';
  const text = mappingFiles.find((f) => f.name === 'orders.map')!.text.replace(rule, `${rule} + "-"`);
  const line = text.slice(0, text.indexOf(rule)).split('\n').length;
  const page = await browser.newPage();
  await page.goto(`${url}#s=${await encodeStateForNode({ file: 'orders.map', text, flow: 'orders', sample, live: true })}`);
  await page.waitForFunction(() => (window.mapline?.outputs ?? 0) > 0);
  await page.evaluate((l) => {
    const handle = window.mapline!;
    handle.editor.onDidChangeModelContent(() => ((window as unknown as { editedAt: number }).editedAt = performance.now()));
    const content = handle.editor.getModel()!.getLineContent(l);
    handle.editor.setPosition({ lineNumber: l, column: content.lastIndexOf('"') + 1 });
    handle.editor.focus();
  }, line);
  const timings: number[] = [];
  const checks: number[] = [];
  for (let i = 1; i <= 10; i++) {
    const before = await page.evaluate(() => window.mapline!.outputs);
    await page.keyboard.press('a');
    await page.waitForFunction(
      ([n, suffix]) => window.mapline!.outputs > (n as number) && window.mapline!.outputVersion === window.mapline!.checkedVersion && (document.querySelector('[data-testid=payload]')?.textContent ?? '').includes(suffix as string),
      [before, `-${'a'.repeat(i)}"`] as const,
    );
    const { check, output } = await page.evaluate(() => {
      const editedAt = (window as unknown as { editedAt: number }).editedAt;
      return { check: window.mapline!.checkedAt - editedAt, output: window.mapline!.outputAt - editedAt };
    });
    checks.push(check);
    timings.push(output);
  }
  await page.close();
  const note = `orders.map with the default mappings: check in the worker, run of the orders flow on a seed order, output drawn; budget 30 ms`;
  return [
    { area: AREA, name: 'live mode: keystroke to output (median)', value: round(median(timings)), unit: 'ms', note },
    { area: AREA, name: 'live mode: keystroke to output (max of 10)', value: round(Math.max(...timings)), unit: 'ms' },
    { area: AREA, name: 'live mode: of which the check (median)', value: round(median(checks)), unit: 'ms', note: 'edit to the worker\'s answer; the rest is the run and drawing the output' },
  ];
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
