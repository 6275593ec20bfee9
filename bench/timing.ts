import { performance } from 'node:perf_hooks';

/** Median milliseconds of `runs` calls of `fn`, after `warmup` unmeasured ones (to let the JIT settle). */
export function medianMs(fn: () => void, runs = 30, warmup = 5): number {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}
