import type { ClientLogEvent } from '../../connectors/client/logger.js';
import type { RunResult } from '../engine/run.js';
import { MetricsRegistry } from './registry.js';

/** The metric names Mapline exposes in watch mode (see docs/operations.md). */
export const METRIC = {
  records: 'mapline_records_total',
  flowErrors: 'mapline_flow_errors_total',
  apiCalls: 'mapline_api_calls_total',
  rateLimited: 'mapline_api_rate_limited_total',
  lastSuccess: 'mapline_flow_last_success_timestamp_seconds',
  cycles: 'mapline_cycles_total',
  lastCycle: 'mapline_last_cycle_timestamp_seconds',
  notifications: 'mapline_notifications_total',
} as const;

/** Mapline's metrics: what a watch cycle did, fed from run results and from the HTTP clients' log events. */
export class MaplineMetrics {
  readonly registry = new MetricsRegistry();

  constructor() {
    const r = this.registry;
    r.declare(METRIC.records, 'counter', 'Source records processed, per flow and action (create, update, skip, fail).');
    r.declare(METRIC.flowErrors, 'counter', 'Flows that could not run at all in a cycle (source unreachable, lock held, ...).');
    r.declare(METRIC.apiCalls, 'counter', 'HTTP responses received per connector (every attempt, retries included).');
    r.declare(METRIC.rateLimited, 'counter', 'HTTP 429 (rate limited) responses per connector.');
    r.declare(METRIC.lastSuccess, 'gauge', 'Unix time of the end of the last cycle in which the flow ran (failed records aside).');
    r.declare(METRIC.cycles, 'counter', 'Watch cycles per outcome (ok, failed).');
    r.declare(METRIC.lastCycle, 'gauge', 'Unix time of the end of the last cycle, per outcome.');
    r.declare(METRIC.notifications, 'counter', 'Webhook notifications per outcome (sent, failed).');
  }

  /** The clients' log hook: counts responses and 429s per connector. */
  readonly onClientEvent = (event: ClientLogEvent): void => {
    if (event.type !== 'response') return;
    this.registry.inc(METRIC.apiCalls, { connector: event.connector });
    if (event.status === 429) this.registry.inc(METRIC.rateLimited, { connector: event.connector });
  };

  recordRun(result: RunResult, endedAt: Date): void {
    for (const flow of result.flows) {
      // From the summary, which counts every record (a large run lists only some of them in `records`).
      const { created, updated, skipped, failed } = flow.summary;
      const counts: Record<string, number> = { create: created, update: updated, skip: skipped, fail: failed };
      for (const [action, n] of Object.entries(counts)) this.registry.inc(METRIC.records, { flow: flow.flow, action }, n);
      this.registry.set(METRIC.lastSuccess, { flow: flow.flow }, Math.floor(endedAt.getTime() / 1000));
    }
    for (const error of result.errors) this.registry.inc(METRIC.flowErrors, { flow: error.flow });
  }

  recordCycle(ok: boolean, endedAt: Date): void {
    const outcome = ok ? 'ok' : 'failed';
    this.registry.inc(METRIC.cycles, { outcome });
    this.registry.set(METRIC.lastCycle, { outcome }, Math.floor(endedAt.getTime() / 1000));
  }

  recordNotification(sent: boolean): void {
    this.registry.inc(METRIC.notifications, { outcome: sent ? 'sent' : 'failed' });
  }
}
