import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnWorker, type WorkerProcess } from '../../test/helpers/service-tenants.js';

/** One job as `mapline worker --json` reported it. */
export interface ReportedJob {
  readonly integrationId: string;
  readonly flow: string;
  readonly pickupMs: number;
  readonly durationMs: number;
  readonly outcome: { created?: number; failed?: number; more?: boolean; busy?: boolean; handedBack?: boolean; error?: string; skipped?: string };
}

/** A `mapline worker --json` process of the installed CLI (`bin/mapline.js`), as an operator runs it. */
export function startWorkerProcess(options: { databaseUrl: string; concurrency: number; env: Record<string, string> }): WorkerProcess {
  const bin = join(import.meta.dirname, '..', '..', 'bin', 'mapline.js');
  return spawnWorker(bin, ['--database', options.databaseUrl, '--concurrency', String(options.concurrency), '--poll-seconds', '0.5'], options.env);
}

export function jobsOf(worker: WorkerProcess): ReportedJob[] {
  return worker.lines.filter((line) => line.event === 'job') as unknown as ReportedJob[];
}

/** Peak resident memory (VmHWM) and CPU time used so far by a running process, from /proc (Linux). */
export function usageOf(pid: number): { peakRssMiB: number; cpuMs: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // After the command in parentheses, utime and stime are the 12th and 13th fields, in clock ticks (100 a second).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { peakRssMiB: Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024, cpuMs: (Number(fields[11]) + Number(fields[12])) * 10 };
}
