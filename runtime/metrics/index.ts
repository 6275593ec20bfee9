export { MetricsRegistry, type Labels } from './registry.js';
export { MaplineMetrics, METRIC } from './mapline-metrics.js';
export { serveMetrics, type MetricsServer } from './server.js';
