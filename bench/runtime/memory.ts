import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchResult } from '../result.js';
import { repoRoot, startBenchEnv } from './bench-env.js';

/**
 * Peak memory of `mapline run --dry-run` (orders flow; every read done, nothing written, rate limits off) over
 * shops of `orders` orders, measured in a child process as a user runs it: peak RSS and peak V8 heap.
 */
export async function peakMemory(orders: number): Promise<BenchResult[]> {
  const env = await startBenchEnv({ seed: 'bench-memory', sizes: { orders, customers: Math.round(orders / 3), products: 80 } });
  try {
    await env.authorize();
    const configFile = join(env.dir, 'mapline.config.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        state: env.config.state,
        connections: Object.fromEntries(Object.entries(env.config.connections).map(([name, c]) => [name, { ...c, connector: undefined }])),
        flows: env.config.flows.map((f) => ({ file: f.file })),
      }),
    );
    const peakFile = join(env.dir, 'peak.json');
    const started = performance.now();
    const status = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', '--import', join(import.meta.dirname, 'peak-probe.ts'), join(repoRoot, 'cli/entry.ts'), 'run', '--dry-run', '--json', '--config', configFile],
        { cwd: repoRoot, env: { ...process.env, MAPLINE_PEAK_FILE: peakFile }, stdio: ['ignore', 'ignore', 'inherit'] },
      );
      child.on('error', reject);
      child.on('exit', resolve);
    });
    const seconds = (performance.now() - started) / 1000;
    if (status !== 0 && status !== 1) throw new Error(`mapline run --dry-run exited with ${status}`);
    const peak = JSON.parse(readFileSync(peakFile, 'utf8')) as { peakHeapBytes: number; peakRssBytes: number };
    const customers = Math.round(orders / 3);
    const note = `dry run of the orders flow over ${orders.toLocaleString('en')} shop orders (${customers.toLocaleString('en')} customers), limits off, ${seconds.toFixed(0)} s`;
    const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
    return [
      { area: 'runtime', name: `peak RSS, ${orders.toLocaleString('en')} orders`, value: mb(peak.peakRssBytes), unit: 'MiB', note },
      { area: 'runtime', name: `peak V8 heap, ${orders.toLocaleString('en')} orders`, value: mb(peak.peakHeapBytes), unit: 'MiB', note },
      { area: 'runtime', name: `time per order, ${orders.toLocaleString('en')} orders (dry run, child process start included)`, value: Number(((seconds * 1000) / orders).toFixed(2)), unit: 'ms' },
    ];
  } finally {
    await env.close();
  }
}
