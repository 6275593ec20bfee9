/**
 * Preloaded into a `mapline` child process (`node --import tsx --import bench/runtime/peak-probe.ts ...`): samples
 * the V8 heap every 10 ms and, on exit, writes the peak heap and the peak RSS (the kernel's max resident set)
 * to the file named by MAPLINE_PEAK_FILE, as JSON in bytes.
 */
import { writeFileSync } from 'node:fs';

const out = process.env.MAPLINE_PEAK_FILE;
let peakHeap = 0;
const sample = (): void => {
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
};
setInterval(sample, 10).unref();
process.on('exit', () => {
  sample();
  if (out) writeFileSync(out, JSON.stringify({ peakHeapBytes: peakHeap, peakRssBytes: process.resourceUsage().maxRSS * 1024 }));
});
