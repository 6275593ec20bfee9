import type { MaplineConfig } from '../../runtime/config/config.js';
import { authorizeSandboxConnections } from '../../runtime/config/sandbox-auth.js';
import { notifySettingsOf } from '../../runtime/housekeeping.js';
import { MaplineMetrics, serveMetrics, type MetricsServer } from '../../runtime/metrics/index.js';
import { createWatchCycle, parseDuration, watchLoop, type CycleReport } from '../../runtime/watch/index.js';

export interface WatchCommandOptions {
  readonly interval?: string;
  readonly metricsPort?: string;
  readonly cycles?: string;
  readonly flow?: string[];
}

/**
 * `mapline run --watch`: cycles until Ctrl-C or SIGTERM, which stop it after the cycle in progress (a second
 * signal exits at once). One line per cycle on stdout; problems on stderr. Exit code 0 after a clean stop.
 */
export async function watchCommand(config: MaplineConfig, files: string[], options: WatchCommandOptions): Promise<number> {
  const intervalMs = parseDuration(options.interval ?? '5m');
  if (intervalMs === undefined || intervalMs <= 0) return usage(`--interval: "${options.interval}" is not a duration (use e.g. 30s, 5m, 1h)`);
  const port = options.metricsPort === undefined ? undefined : Number(options.metricsPort);
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port < 65536)) return usage(`--metrics-port: "${options.metricsPort}" is not a port number`);
  const maxCycles = options.cycles === undefined ? undefined : Number(options.cycles);
  if (maxCycles !== undefined && !(Number.isInteger(maxCycles) && maxCycles > 0)) return usage(`--cycles: "${options.cycles}" is not a positive whole number`);

  const metrics = new MaplineMetrics();
  let server: MetricsServer | undefined;
  if (port !== undefined) {
    try {
      server = await serveMetrics(metrics.registry, port);
    } catch (error) {
      return usage(`--metrics-port ${port}: cannot listen (${error instanceof Error ? error.message : String(error)})`);
    }
  }
  const controller = new AbortController();
  const stop = (signal: string): void => {
    if (controller.signal.aborted) {
      process.stderr.write(`mapline run --watch: ${signal} again, exiting now\n`);
      process.exit(130);
    }
    process.stderr.write(`mapline run --watch: ${signal}, stopping after the current cycle\n`);
    controller.abort();
  };
  const onInt = (): void => stop('SIGINT');
  const onTerm = (): void => stop('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);

  const out = (line: string): boolean => process.stdout.write(`${line}\n`);
  out(`Watching: a cycle every ${options.interval ?? '5m'}${server ? `; metrics at ${server.url}` : ''}${config.notify ? `; failures notified by ${[config.notify.webhook ? 'webhook' : '', config.notify.email ? 'e-mail' : ''].filter(Boolean).join(' and ')}` : ''}. Ctrl-C stops after the current cycle.`);
  const cycle = createWatchCycle({
    config,
    request: { files, ...(options.flow ? { flows: options.flow } : {}), prepareConnections: authorizeSandboxConnections },
    metrics,
    ...(config.notify ? { notify: notifySettingsOf(config) } : {}),
  });
  try {
    await watchLoop({
      intervalMs,
      signal: controller.signal,
      ...(maxCycles !== undefined ? { maxCycles } : {}),
      cycle: async (n) => {
        const report = await cycle(n);
        out(describeCycle(report));
        for (const warning of report.warnings) process.stderr.write(`mapline run --watch: ${warning}\n`);
      },
    });
    out('Stopped.');
    return 0;
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
    await server?.close();
  }
}

/** `2026-11-29T18:40:00.000Z cycle 3 ok: orders read 4 created 2 skipped 2 failed 0 calls 9` */
export function describeCycle(report: CycleReport): string {
  const head = `${report.at.toISOString()} cycle ${report.n} ${report.ok ? 'ok' : 'FAILED'}`;
  if (report.failure !== undefined) return `${head}: ${report.failure}`;
  if (report.outcome?.kind !== 'ran') return head;
  const parts = report.outcome.result.flows.map(({ flow, summary: s }) => `${flow} read ${s.read} created ${s.created} updated ${s.updated} skipped ${s.skipped} failed ${s.failed} calls ${s.calls}`);
  for (const error of report.outcome.result.errors) parts.push(`! ${error.message}`);
  return `${head}: ${parts.join('; ')}`;
}

function usage(message: string): number {
  process.stderr.write(`mapline run: ${message}\n`);
  return 2;
}
