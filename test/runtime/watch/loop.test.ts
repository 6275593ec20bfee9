import { describe, expect, it } from 'vitest';
import { parseDuration, watchLoop } from '../../../runtime/watch/index.js';

describe('watchLoop', () => {
  it('runs cycles one at a time, goes on after a cycle that throws, and stops after the cycle in progress', async () => {
    const controller = new AbortController();
    let running = 0;
    let maxRunning = 0;
    const seen: number[] = [];
    const errors: number[] = [];
    const cycles = await watchLoop({
      intervalMs: 0,
      signal: controller.signal,
      onCycleError: (_e, n) => errors.push(n),
      cycle: async (n) => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        await new Promise((r) => setTimeout(r, 2));
        running--;
        seen.push(n);
        if (n === 2) throw new Error('API down');
        if (n === 4) controller.abort(); // a stop request during a cycle: this cycle still finishes
      },
    });
    expect(cycles).toBe(4);
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(errors).toEqual([2]);
    expect(maxRunning).toBe(1);
  });

  it('a stop request while waiting for the next cycle ends the wait at once', async () => {
    const controller = new AbortController();
    const done = watchLoop({ intervalMs: 3_600_000, signal: controller.signal, cycle: async () => undefined });
    setTimeout(() => controller.abort(), 5);
    expect(await done).toBe(1);
  });
});

describe('parseDuration', () => {
  it('reads 5m, 90s, 1h30m and bare seconds; rejects the rest', () => {
    expect(parseDuration('5m')).toBe(300_000);
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('30')).toBe(30_000);
    expect(parseDuration('5 minutes')).toBeUndefined();
    expect(parseDuration('m')).toBeUndefined();
  });
});
