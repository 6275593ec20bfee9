import { afterEach, describe, expect, it } from 'vitest';
import { MaplineMetrics, METRIC, MetricsRegistry, serveMetrics, type MetricsServer } from '../../../runtime/metrics/index.js';
import type { RunResult } from '../../../runtime/engine/run.js';

let server: MetricsServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function outcome(sourceId: string, action: 'create' | 'update' | 'skip' | 'fail') {
  return { sourceId, action, reason: '', targetId: null, payload: null, upserts: [] };
}

describe('metrics', () => {
  it('renders labelled counters and gauges in the Prometheus text format, escaping label values', () => {
    const r = new MetricsRegistry();
    r.declare('x_total', 'counter', 'Things.');
    r.declare('y', 'gauge', 'Level.');
    r.inc('x_total', { flow: 'a"b\\c' }, 2);
    r.inc('x_total', { flow: 'a"b\\c' });
    r.set('y', {}, 1.5);
    expect(r.render()).toBe('# HELP x_total Things.\n# TYPE x_total counter\nx_total{flow="a\\"b\\\\c"} 3\n# HELP y Level.\n# TYPE y gauge\ny 1.5\n');
  });

  it('counts records per flow and action, calls and 429s per connector, and serves them on 127.0.0.1', async () => {
    const m = new MaplineMetrics();
    const result: RunResult = {
      runId: 'r1',
      flows: [{ flow: 'stock', dryRun: false, summary: { read: 3, created: 0, updated: 1, skipped: 1, failed: 1, calls: 5 }, records: [outcome('1', 'update'), outcome('2', 'skip'), outcome('3', 'fail')], omitted: 0 }],
      errors: [{ flow: 'products', message: 'unreachable' }],
    };
    m.recordRun(result, new Date('2026-11-29T10:00:00Z'));
    m.onClientEvent({ type: 'response', connector: 'ccvshop', method: 'GET', path: '/products', status: 200, ms: 3, attempt: 1 });
    m.onClientEvent({ type: 'response', connector: 'ccvshop', method: 'GET', path: '/products', status: 429, ms: 3, attempt: 1 });
    m.onClientEvent({ type: 'retry', connector: 'ccvshop', method: 'GET', path: '/products', reason: '429', waitMs: 1, attempt: 1 });
    server = await serveMetrics(m.registry, 0);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const text = await (await fetch(server.url)).text();
    expect(text).toContain(`${METRIC.records}{action="update",flow="stock"} 1`);
    expect(text).toContain(`${METRIC.records}{action="fail",flow="stock"} 1`);
    expect(text).toContain(`${METRIC.apiCalls}{connector="ccvshop"} 2`);
    expect(text).toContain(`${METRIC.rateLimited}{connector="ccvshop"} 1`);
    expect(text).toContain(`${METRIC.lastSuccess}{flow="stock"} ${Date.parse('2026-11-29T10:00:00Z') / 1000}`);
    expect(text).not.toContain(`${METRIC.lastSuccess}{flow="products"}`);
    expect(text).toContain(`${METRIC.flowErrors}{flow="products"} 1`);
    expect((await fetch(server.url.replace('/metrics', '/other'))).status).toBe(404);
  });
});
