export interface WatchLoopOptions<T> {
  /** From the start of one cycle to the start of the next; a cycle that takes longer is followed at once. */
  readonly intervalMs: number;
  /** One cycle. It may throw: the loop reports the error and goes on. */
  readonly cycle: (n: number) => Promise<T>;
  /** Aborting stops the loop after the cycle in progress (a waiting loop stops at once). */
  readonly signal: AbortSignal;
  readonly onCycleError?: (error: unknown, n: number) => void;
  /** Stop after this many cycles (tests, `--cycles`). */
  readonly maxCycles?: number;
  readonly now?: () => number;
}

/**
 * Runs `cycle` again and again, one at a time: the next cycle never starts before the previous one ended, so
 * a slow cycle delays the next instead of overlapping it. Returns the number of cycles run.
 */
export async function watchLoop<T>(options: WatchLoopOptions<T>): Promise<number> {
  const now = options.now ?? Date.now;
  let n = 0;
  while (!options.signal.aborted && (options.maxCycles === undefined || n < options.maxCycles)) {
    n++;
    const started = now();
    try {
      await options.cycle(n);
    } catch (error) {
      options.onCycleError?.(error, n);
    }
    if (options.maxCycles !== undefined && n >= options.maxCycles) break;
    await sleepUnlessAborted(Math.max(0, started + options.intervalMs - now()), options.signal);
  }
  return n;
}

function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted || ms === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
