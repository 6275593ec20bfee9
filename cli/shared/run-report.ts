import type { FlowResult, RunResult } from '../../runtime/engine/index.js';
import { summaryTable } from './summary.js';

/** What `mapline run` prints after a run: the dry run's per-record list, the summary table, the failures. */
export function renderRun(result: RunResult, dryRun: boolean): string {
  const lines: string[] = [];
  if (dryRun) {
    for (const flow of result.flows) lines.push(...renderDryRun(flow));
  }
  // A refused run (lock held, credentials refused) has no table: print only its error, no empty frame.
  const table = summaryTable(result);
  if (dryRun) lines.push('Dry run: nothing was written.');
  else if (table.length > 0) lines.push(`Run ${result.runId}`);
  lines.push(...table);
  for (const flow of result.flows) {
    const failures = flow.records.filter((r) => r.action === 'fail');
    const failed = flow.summary.failed;
    if (failed === 0) continue;
    lines.push('', `${flow.flow}: ${failed} failed${dryRun ? '' : ' (quarantined; see `mapline logs --failed`, replay with `mapline run --retry-failed`)'}:`);
    for (const failure of failures.slice(0, 20)) lines.push(`  ${failure.reason}`);
    if (failed > Math.min(20, failures.length)) lines.push(`  ... and ${failed - Math.min(20, failures.length)} more`);
  }
  for (const error of result.errors) lines.push(...(lines.length > 0 ? [''] : []), `error: ${error.message}`);
  return `${lines.join('\n')}\n`;
}

function renderDryRun(flow: FlowResult): string[] {
  const lines = [`flow ${flow.flow}:`];
  for (const record of flow.records) {
    lines.push(`  ${record.action.padEnd(6)} ${record.sourceId}: ${record.reason}`);
    for (const upsert of record.upserts) {
      if (upsert.action !== 'unchanged') lines.push(`         and ${upsert.action} ${upsert.entity} ${upsert.key} = ${JSON.stringify(upsert.value)}`);
    }
    if ((record.action === 'create' || record.action === 'update') && record.payload !== null) {
      lines.push(...JSON.stringify(record.payload, null, 2).split('\n').map((l) => `         ${l}`));
    }
  }
  if (flow.omitted > 0) lines.push(`  ... and ${flow.omitted} more records not listed here (the activity log has them all: mapline logs)`);
  lines.push('');
  return lines;
}

/** `mapline run --json`: the counts per flow, the flows that could not run, and in a dry run every record. */
export function runJson(result: RunResult, dryRun: boolean): Record<string, unknown> {
  const flows: Record<string, unknown> = {};
  for (const f of result.flows) {
    const { read, created, updated, skipped, failed, calls } = f.summary;
    flows[f.flow] = { read, created, updated, skipped, failed, calls };
  }
  return {
    flows,
    ...(result.errors.length > 0 ? { errors: result.errors } : {}),
    ...(result.stopped ? { stopped: true } : {}),
    ...(dryRun ? { records: Object.fromEntries(result.flows.map((f) => [f.flow, f.records])) } : {}),
  };
}

