import type { StateStore } from '../../runtime/state/store.js';

/** One integration as the dashboard lists it: never its config (that is where secrets live). */
export interface DashboardIntegration {
  readonly name: string;
  /** Service mode: the registry id, which the job queue knows integrations by (never sent to the page). */
  readonly id?: string;
  readonly state: 'active' | 'paused';
  /** Its flows in run order; empty when its `.map` files do not compile (`problem` says so). */
  readonly flows: readonly string[];
  /** Why none of its flows can run (its `.map` files do not compile), when that is so. */
  readonly problem?: string;
}

export interface DashboardRunRequest {
  readonly flows?: readonly string[];
  readonly retryFailed?: boolean;
  /** With `retryFailed`: only these source records. */
  readonly retryOnly?: readonly string[];
}

/** What a run started from the dashboard did, per flow (the same counts `mapline run --json` prints). */
export interface DashboardRunReport {
  readonly flows: readonly { readonly flow: string; readonly created: number; readonly updated: number; readonly skipped: number; readonly failed: number }[];
  readonly errors: readonly string[];
}

/**
 * Where the dashboard's integrations come from: the one integration of a `mapline.config.json` and its SQLite
 * state file (`local-backend.ts`), or every integration of the service database (`service-backend.ts`). The
 * dashboard reads each integration's state only through its `StateStore`, the same interface the engine uses.
 */
export interface DashboardBackend {
  /** `sqlite` (one shop) or `service` (PostgreSQL): what the page says, and which controls it offers. */
  readonly mode: 'sqlite' | 'service';
  list(): Promise<DashboardIntegration[]>;
  get(name: string): Promise<DashboardIntegration | undefined>;
  /** The integration's state; the caller closes it. */
  openStore(name: string): Promise<StateStore>;
  /** The text of one of its `.map` files by the name locations use (`mappings/orders.map`). */
  mapText(name: string, file: string): Promise<string | undefined>;
  run(name: string, request: DashboardRunRequest): Promise<DashboardRunReport>;
  /** Pauses or resumes; throws `DashboardError` where that is not possible (one-shop mode has no schedule). */
  setState(name: string, state: 'active' | 'paused'): Promise<void>;
  close(): Promise<void>;
}

/** A request the dashboard cannot carry out, with the HTTP status and a message for the person who asked. */
export class DashboardError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'DashboardError';
  }
}
