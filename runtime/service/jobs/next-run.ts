import type pg from 'pg';
import { flowKey, JOBS_SCHEMA, RUN_QUEUE, TIMER_QUEUE } from './names.js';

/**
 * When a flow runs next, from the job tables: the start of a run waiting for it, else the due time of its
 * schedule's timer; null when neither exists (no worker has armed it yet, or the integration is paused). Plain SQL,
 * so `integrations list` can tell without starting pg-boss; before any worker installed pg-boss, null.
 */
export async function nextRunFromJobs(pool: pg.Pool, integrationId: string, flow: string): Promise<Date | null> {
  if (!(await jobTablesExist(pool))) return null;
  const { rows } = await pool.query<{ at: Date | null }>(
    `SELECT min(start_after) AS at FROM ${JOBS_SCHEMA}.job WHERE name = ANY($1) AND singleton_key = $2 AND state IN ('created', 'retry')`,
    [[RUN_QUEUE, TIMER_QUEUE], flowKey(integrationId, flow)],
  );
  return rows[0]?.at ?? null;
}

export async function jobTablesExist(pool: pg.Pool): Promise<boolean> {
  const { rows } = await pool.query<{ found: string | null }>(`SELECT to_regclass('${JOBS_SCHEMA}.job')::text AS found`);
  return rows[0]?.found != null;
}
