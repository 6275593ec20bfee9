import { byId, el, json } from './dom.js';

interface ActivityRow {
  readonly id: number;
  readonly at: string;
  readonly runId: string;
  readonly flow: string;
  readonly sourceId: string;
  readonly action: string;
  readonly reason: string;
  readonly targetId: string | null;
  readonly sourceRecord: unknown;
  readonly payload: unknown;
  readonly response: unknown;
  readonly lineage: Record<string, string> | null;
}

interface RunRow {
  readonly id: string;
  readonly flows: string[];
  readonly startedAt: string;
  readonly dryRun: boolean;
}

/**
 * The activity log of `mapline serve --state FILE`: what was synced and why something failed or was skipped,
 * read from the server's read-only JSON API.
 */
export class ActivityView {
  async start(): Promise<boolean> {
    const status = await fetchJson<{ state: boolean }>('api/status');
    if (!status?.state) return false;
    const runs = (await fetchJson<RunRow[]>('api/runs')) ?? [];
    const runSelect = byId<HTMLSelectElement>('activity-run');
    const flowSelect = byId<HTMLSelectElement>('activity-flow');
    for (const run of runs) runSelect.append(el('option', { value: run.id }, `${run.startedAt} ${run.flows.join(', ')}${run.dryRun ? ' (dry run)' : ''}`));
    for (const flow of new Set(runs.flatMap((r) => r.flows))) flowSelect.append(el('option', { value: flow }, flow));
    for (const id of ['activity-run', 'activity-flow', 'activity-failed', 'activity-skipped']) byId(id).addEventListener('change', () => void this.refresh());
    await this.refresh();
    return true;
  }

  async refresh(): Promise<void> {
    const query = new URLSearchParams();
    const flow = byId<HTMLSelectElement>('activity-flow').value;
    const run = byId<HTMLSelectElement>('activity-run').value;
    if (flow) query.set('flow', flow);
    if (run) query.set('run', run);
    const actions = [byId<HTMLInputElement>('activity-failed').checked ? 'fail' : '', byId<HTMLInputElement>('activity-skipped').checked ? 'skip' : ''].filter(Boolean);
    if (actions.length) query.set('actions', actions.join(','));
    const rows = (await fetchJson<ActivityRow[]>(`api/activity?${query}`)) ?? [];
    const table = byId<HTMLTableElement>('activity-table');
    table.replaceChildren(el('tr', {}, ...['time', 'flow', 'record', 'action', 'reason'].map((h) => el('th', {}, h))));
    for (const row of rows) {
      const tr = el('tr', { class: `field ${row.action}`, 'data-activity': String(row.id) }, el('td', {}, row.at), el('td', {}, row.flow), el('td', {}, row.sourceId), el('td', {}, row.action), el('td', {}, row.reason));
      tr.addEventListener('click', () => this.show(row));
      table.append(tr);
    }
    if (rows.length === 0) table.append(el('tr', {}, el('td', { colspan: '5' }, 'No activity matches.')));
  }

  private show(row: ActivityRow): void {
    byId('activity-detail').replaceChildren(
      el('h3', {}, `${row.flow} · record ${row.sourceId} · ${row.action}`),
      el('p', { 'data-testid': 'activity-reason' }, row.reason),
      ...(row.targetId ? [el('p', {}, `target record ${row.targetId}`)] : []),
      el('h4', {}, 'Source record'), json(row.sourceRecord),
      el('h4', {}, 'Sent payload'), json(row.payload),
      el('h4', {}, 'Target response'), json(row.response),
      ...(row.lineage ? [el('h4', {}, 'Fields and their rules'), json(row.lineage)] : []),
    );
  }
}

async function fetchJson<T>(path: string): Promise<T | undefined> {
  try {
    const response = await fetch(path);
    return response.ok ? ((await response.json()) as T) : undefined;
  } catch {
    return undefined; // opened from a static host without the API: no activity view
  }
}
