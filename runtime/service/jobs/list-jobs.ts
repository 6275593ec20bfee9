import type pg from 'pg';
import { JOBS_SCHEMA, RUN_QUEUE, type RunReason } from './names.js';
import { jobTablesExist } from './next-run.js';

/** A run job as the dashboard's job view and `mapline worker --json` show it. */
export interface QueuedJob {
  readonly id: string;
  readonly integrationId: string;
  /** The integration's name; absent when it was removed while the job waited. */
  readonly integration?: string;
  readonly flow: string;
  readonly reason: RunReason;
  /** `queued`: waiting (perhaps until `runAfter`); `retry`: waiting again after a failed or expired try; `active`: running. */
  readonly state: 'queued' | 'retry' | 'active';
  /** The worker running it (`active` only). */
  readonly workerId?: string;
  readonly startedAt?: Date;
  readonly createdAt: Date;
  /** Not started before this (a back-off, or a run asked for later). */
  readonly runAfter: Date;
}

interface Row {
  id: string;
  data: { integrationId: string; flow: string; reason: RunReason };
  state: 'created' | 'retry' | 'active';
  output: { workerId?: string } | null;
  started_on: Date | null;
  created_on: Date;
  start_after: Date;
  integration: string | null;
}

/** Every run job waiting or running, oldest first (read across integrations, like the registry's list). */
export async function listJobs(pool: pg.Pool): Promise<QueuedJob[]> {
  if (!(await jobTablesExist(pool))) return [];
  const { rows } = await pool.query<Row>(
    `SELECT j.id, j.data, j.state, j.output, j.started_on, j.created_on, j.start_after, i.name AS integration
       FROM ${JOBS_SCHEMA}.job j LEFT JOIN mapline.integrations i ON i.id::text = j.data->>'integrationId'
      WHERE j.name = $1 AND j.state IN ('created', 'retry', 'active')
      ORDER BY j.created_on, j.id`,
    [RUN_QUEUE],
  );
  return rows.map((r) => ({
    id: r.id,
    integrationId: r.data.integrationId,
    ...(r.integration !== null ? { integration: r.integration } : {}),
    flow: r.data.flow,
    reason: r.data.reason,
    state: r.state === 'created' ? 'queued' : r.state,
    ...(r.state === 'active' && typeof r.output?.workerId === 'string' ? { workerId: r.output.workerId } : {}),
    ...(r.state === 'active' && r.started_on ? { startedAt: r.started_on } : {}),
    createdAt: r.created_on,
    runAfter: r.start_after,
  }));
}
