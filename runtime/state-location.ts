import { SqliteNotificationLedger, type NotificationLedger } from './notify/ledger.js';
import { SqliteStateStore } from './state/sqlite-store.js';
import type { StateStore } from './state/store.js';

/**
 * Where a run's state lives, and how to open it: one SQLite file for one shop (`npm start`, `mapline run`), or
 * one integration's rows in PostgreSQL in service mode (`runtime/service/integration-state.ts`). A run and its
 * housekeeping open what they need from here and close it again; the engine only ever sees the `StateStore`.
 */
export interface StateLocation {
  openStore(): Promise<StateStore>;
  openLedger(): Promise<NotificationLedger>;
}

/** The state file of a one-shop config (`state` in `mapline.config.json`). */
export function sqliteState(path: string): StateLocation {
  return {
    openStore: async () => SqliteStateStore.open(path),
    openLedger: async () => SqliteNotificationLedger.open(path),
  };
}
