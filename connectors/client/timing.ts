/** Milliseconds since the epoch; injectable so tests can move time without waiting. */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();

export function sleep(ms: number): Promise<void> {
  return ms <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, ms));
}
