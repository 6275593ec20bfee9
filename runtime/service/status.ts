import { hostname } from 'node:os';
import type { Json } from '../../compiler/artifact.js';
import { holderIsGone } from '../state/lock-holder.js';
import { PgStateStore } from '../state/pg-store.js';
import type { MaplineDatabase } from './database.js';
import { ENV_REFERENCE } from '../config/config.js';
import { joinSecrets, type RawConfig } from './integration-config.js';
import { IntegrationRegistry, type Integration, type IntegrationState } from './registry.js';
import { nextRunFromJobs } from './jobs/next-run.js';

/** What `mapline integrations list --json` says about one flow of one integration. */
export interface FlowStatus {
  readonly flow: string;
  /** `paused` with its integration; `running` while a live run holds the flow's lock; else `idle`. */
  readonly state: 'idle' | 'running' | 'paused';
  /** Where it runs now (`running` only). */
  readonly runningOn?: { readonly host: string; readonly pid: number; readonly since: string };
  /** The newest finished run of the flow (dry runs do not count), with its counts; null before the first. */
  readonly lastRun: LastRun | null;
  /** When a worker runs it next (a waiting run, else its schedule); null while paused or before a worker armed it. */
  readonly nextRun: string | null;
}

export interface LastRun {
  readonly runId: string;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly read: number;
  readonly created: number;
  readonly updated: number;
  readonly skipped: number;
  readonly failed: number;
  /** Why the flow could not run at all in that run. */
  readonly error?: string;
}

export interface IntegrationStatus {
  readonly name: string;
  readonly state: IntegrationState;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly flows: readonly FlowStatus[];
}

/** The status of each of the integration's flows, read through a store bound to the integration. */
export async function integrationStatus(db: MaplineDatabase, integration: Integration, now: Date = new Date()): Promise<IntegrationStatus> {
  const store = PgStateStore.open(db.pool, integration);
  try {
    const locks = await store.listLocks();
    const asker = { id: 'status', host: hostname(), pid: process.pid };
    const flows: FlowStatus[] = [];
    for (const flow of integration.flows) {
      const lock = locks.find((l) => l.name === `flow:${flow}` && !holderIsGone(l, asker, now));
      const run = await store.lastRunOf(flow);
      const state = integration.state === 'paused' ? 'paused' : lock ? 'running' : 'idle';
      flows.push({
        flow,
        state,
        ...(lock ? { runningOn: { host: lock.host, pid: lock.pid, since: lock.acquiredAt } } : {}),
        lastRun: run ? lastRunOf(run.id, run.startedAt, run.finishedAt, run.summary, flow) : null,
        nextRun: integration.state === 'paused' ? null : ((await nextRunFromJobs(db.pool, integration.id, flow))?.toISOString() ?? null),
      });
    }
    return { name: integration.name, state: integration.state, createdAt: integration.createdAt, updatedAt: integration.updatedAt, flows };
  } finally {
    await store.close();
  }
}

/** One flow's part of a run's summary: its counts, or why it could not run. */
export function lastRunOf(runId: string, startedAt: string, finishedAt: string | null, summary: Json | null, flow: string): LastRun {
  const counts = ((summary as Record<string, Json> | null)?.[flow] ?? {}) as Record<string, Json>;
  const count = (name: string): number => (typeof counts[name] === 'number' ? (counts[name] as number) : 0);
  return {
    runId,
    startedAt,
    finishedAt,
    read: count('read'),
    created: count('created'),
    updated: count('updated'),
    skipped: count('skipped'),
    failed: count('failed'),
    ...(typeof counts.error === 'string' ? { error: counts.error } : {}),
  };
}

/** What `mapline integrations show` says: the status, and what the integration is made of (no secret values). */
export interface IntegrationDetails extends IntegrationStatus {
  readonly id: string;
  readonly files: readonly { readonly file: string; readonly bytes: number }[];
  /** Config paths of the secrets stored sealed, and of those referenced from the environment (`env:NAME`). */
  readonly secrets: { readonly sealed: readonly string[]; readonly fromEnvironment: Readonly<Record<string, string>> };
  /** The stored config, each sealed secret shown as `(encrypted)`. */
  readonly config: RawConfig;
  readonly openQuarantine: number;
  readonly pendingCreates: number;
}

export async function integrationDetails(db: MaplineDatabase, integration: Integration): Promise<IntegrationDetails> {
  const registry = new IntegrationRegistry(db);
  const sealed = await registry.secretPaths(integration);
  const config = joinSecrets(integration.config, new Map(sealed.map((path) => [path, '(encrypted)'])));
  const fromEnvironment: Record<string, string> = {};
  for (const [name, connection] of Object.entries(integration.config.connections ?? {})) {
    for (const [field, value] of Object.entries(connection)) {
      if (typeof value === 'string' && value.startsWith(ENV_REFERENCE)) fromEnvironment[`connections.${name}.${field}`] = value.slice(ENV_REFERENCE.length);
    }
  }
  const webhook = integration.config.notify?.webhook;
  if (typeof webhook === 'string' && webhook.startsWith(ENV_REFERENCE)) fromEnvironment['notify.webhook'] = webhook.slice(ENV_REFERENCE.length);
  const password = (integration.config.notify?.email as Record<string, unknown> | undefined)?.password;
  if (typeof password === 'string' && password.startsWith(ENV_REFERENCE)) fromEnvironment['notify.email.password'] = password.slice(ENV_REFERENCE.length);
  const store = PgStateStore.open(db.pool, integration);
  try {
    return {
      id: integration.id,
      ...(await integrationStatus(db, integration)),
      files: (await registry.maps(integration)).map((m) => ({ file: m.file, bytes: Buffer.byteLength(m.text) })),
      secrets: { sealed, fromEnvironment },
      config,
      openQuarantine: (await store.listQuarantine()).length,
      pendingCreates: (await store.listPendingWrites()).length,
    };
  } finally {
    await store.close();
  }
}
