import { textTable } from './text-table.js';
import type { IntegrationDetails, IntegrationStatus } from '../../runtime/service/status.js';

/** `mapline integrations list`: one row per integration and flow. */
export function renderStatusTable(statuses: readonly IntegrationStatus[]): string {
  const header = ['integration', 'state', 'flow', 'flow state', 'last run', 'created', 'updated', 'failed', 'next run'];
  const rows: string[][] = [];
  for (const status of statuses) {
    if (status.flows.length === 0) rows.push([status.name, status.state, '-', '-', '-', '', '', '', '']);
    for (const flow of status.flows) {
      const run = flow.lastRun;
      rows.push([
        status.name,
        status.state,
        flow.flow,
        flow.state,
        run ? `${run.finishedAt ?? run.startedAt}${run.error ? ' (could not run)' : ''}` : 'never',
        run ? String(run.created) : '',
        run ? String(run.updated) : '',
        run ? String(run.failed) : '',
        flow.nextRun ?? '-',
      ]);
    }
  }
  return `${textTable(header, rows, (column) => column >= 5 && column <= 7).map((line) => line.trimEnd()).join('\n')}\n`;
}

/** `mapline integrations show NAME`. */
export function renderDetails(details: IntegrationDetails): string {
  const lines = [
    `Integration ${details.name} (${details.state})`,
    `  id ${details.id}, added ${details.createdAt}, changed ${details.updatedAt}`,
    `  open quarantine entries: ${details.openQuarantine}; creates with unknown outcome: ${details.pendingCreates}`,
    '',
    ...renderStatusTable([details]).trimEnd().split('\n').map((l) => `  ${l}`),
    '',
    'Files:',
    ...details.files.map((f) => `  ${f.file} (${f.bytes} bytes)`),
    '',
    `Secrets stored encrypted: ${details.secrets.sealed.join(', ') || '(none)'}`,
    `Secrets from the environment: ${Object.entries(details.secrets.fromEnvironment).map(([path, variable]) => `${path} <- $${variable}`).join(', ') || '(none)'}`,
    '',
    'Config:',
    ...JSON.stringify(details.config, null, 2).split('\n').map((l) => `  ${l}`),
  ];
  return `${lines.join('\n')}\n`;
}
