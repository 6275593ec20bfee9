import type { StateStore } from './store.js';

/**
 * Renews a lock every third of its lease until stopped: the heartbeat of a long run, so its lease can be short and
 * a holder that died is noticed after at most one lease on any host. A failed renewal (the database briefly away)
 * is tried again at the next beat; the lease is long enough to miss one.
 */
export function renewWhileRunning(store: StateStore, name: string, ownerId: string, leaseMs: number): { stop(): void } {
  const timer = setInterval(() => void store.renewLock(name, ownerId, leaseMs).catch(() => undefined), Math.max(50, Math.floor(leaseMs / 3)));
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
