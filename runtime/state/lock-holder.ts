import type { LockOwner } from './store.js';

/** What a store knows about the current holder of a lock, whatever its storage. */
export interface StoredHolder {
  readonly host: string;
  readonly pid: number;
  readonly expiresAt: string;
}

/**
 * A lock holder is gone when its lease ran out, or when it ran on the asker's host and its process has ended.
 * On another host the pid cannot be checked, so only the lease decides there. Every store judges holders here.
 */
export function holderIsGone(holder: StoredHolder, asker: LockOwner, now: Date): boolean {
  if (Date.parse(holder.expiresAt) <= now.getTime()) return true;
  if (holder.host !== asker.host) return false;
  return !processRuns(holder.pid);
}

/** Whether a process with this pid runs on this host (signal 0 only asks; EPERM means it runs as another user). */
export function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
