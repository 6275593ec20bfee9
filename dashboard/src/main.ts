import { encodeState } from '../../playground/src/share.js';
import { ApiError, get, post, setCsrf } from './api.js';
import { el, json, sparkline } from './dom.js';

interface Counts { created: number; updated: number; skipped: number; failed: number }
interface FlowRow {
  flow: string; health: string; healthReason: string; nextRun: string | null; quarantined: number;
  lastRun: { finishedAt: string | null; startedAt: string } | null; day: Counts; week: Counts; series: number[];
}
interface IntegrationRow { name: string; state: string; problem?: string; flows: FlowRow[] }
interface Overview { at: string; mode: string; scheduler: string | null; integrations: IntegrationRow[] }
interface Failure {
  id: number; flow: string; sourceId: string; reason: string; attempts: number; updatedAt: string;
  sourceRecord: unknown; payload: unknown; response: unknown; location: { file: string; line: number; column: number } | null;
}
interface JobRow { id: string; integration: string | null; flow: string; reason: string; state: string; worker: string | null; startedAt: string | null; runAfter: string }
interface ActivitySummary { id: number; at: string; flow: string; sourceId: string; action: string; reason: string; targetId: string | null }

const view = document.getElementById('view')!;
const nav = document.querySelector('header nav') as HTMLElement;
let integrations: IntegrationRow[] = [];
let scheduler: string | null = null;

const counts = (c: Counts): string => `${c.created} / ${c.updated} / ${c.skipped} / ${c.failed}`;
const when = (iso: string | null | undefined): string => (iso ? new Date(iso).toLocaleString() : '—');

async function start(): Promise<void> {
  try {
    const session = await get<{ user: string; csrf: string; scheduler: string | null }>('session');
    loggedIn(session);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return showLogin();
    throw error;
  }
}

function loggedIn(session: { user: string; csrf: string; scheduler?: string | null }): void {
  setCsrf(session.csrf);
  scheduler = session.scheduler ?? null;
  (document.getElementById('login') as HTMLFormElement).hidden = true;
  nav.hidden = false;
  const logout = el('button', { type: 'button' }, 'Log out');
  logout.addEventListener('click', () => void post('logout').then(() => location.reload()));
  document.getElementById('who')!.replaceChildren(session.user, ' ', logout);
  window.addEventListener('hashchange', () => void route());
  void route();
}

function showLogin(): void {
  const form = document.getElementById('login') as HTMLFormElement;
  form.hidden = false;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const token = String(data.get('token') ?? '');
    const body = token ? { token } : { user: String(data.get('user') ?? ''), password: String(data.get('password') ?? '') };
    post<{ user: string; csrf: string }>('login', body).then(
      (session) => loggedIn(session),
      (error: Error) => (document.getElementById('login-error')!.textContent = error.message),
    );
  });
}

async function route(): Promise<void> {
  const [name = 'overview', integration, ...rest] = location.hash.replace(/^#/, '').split('/').map(decodeURIComponent);
  for (const link of nav.querySelectorAll('a')) link.classList.toggle('active', link.dataset.view === name);
  document.body.dataset.ready = 'false';
  try {
    if (name === 'failures') await failures(integration);
    else if (name === 'activity') await activity(integration, new URLSearchParams(rest.join('/')));
    else if (name === 'control') await control();
    else await overview();
  } catch (error) {
    view.replaceChildren(el('p', { class: 'error', role: 'alert' }, (error as Error).message));
  }
  document.body.dataset.ready = 'true';
}

async function loadIntegrations(): Promise<IntegrationRow[]> {
  const data = await get<Overview>('overview');
  integrations = data.integrations;
  scheduler = data.scheduler;
  return integrations;
}

// --- overview -------------------------------------------------------------------------------------------
async function overview(): Promise<void> {
  const rows = await loadIntegrations();
  const table = el('table', { id: 'overview' },
    el('thead', {}, el('tr', {}, ...['', 'Integration', 'Flow', 'Status', 'Last run', 'Next run', '24 h: created / updated / skipped / failed', '7 d', 'Synced, 7 d'].map((h) => el('th', {}, h)))));
  const body = el('tbody');
  for (const integration of rows) {
    if (integration.flows.length === 0) {
      body.append(el('tr', { 'data-integration': integration.name }, el('td', {}, light('red')), el('td', {}, integration.name), el('td', { colspan: '7', class: 'error' }, integration.problem ?? 'no flows')));
    }
    for (const flow of integration.flows) {
      const link = el('a', { href: `#failures/${encodeURIComponent(integration.name)}` }, flow.healthReason);
      body.append(
        el('tr', { 'data-integration': integration.name, 'data-flow': flow.flow, 'data-health': flow.health },
          el('td', {}, light(flow.health)),
          el('td', {}, el('a', { href: `#activity/${encodeURIComponent(integration.name)}` }, integration.name), integration.state === 'paused' ? el('span', { class: 'muted' }, ' (paused)') : null),
          el('td', {}, flow.flow),
          el('td', {}, flow.quarantined > 0 ? link : flow.healthReason),
          el('td', {}, when(flow.lastRun?.finishedAt ?? flow.lastRun?.startedAt)),
          el('td', {}, flow.nextRun ? when(flow.nextRun) : el('span', { class: 'muted', title: 'no scheduler is configured' }, scheduler ? '—' : 'no scheduler')),
          el('td', { class: 'num' }, counts(flow.day)),
          el('td', { class: 'num' }, counts(flow.week)),
          el('td', {}, sparkline(flow.series)),
        ),
      );
    }
  }
  table.append(body);
  view.replaceChildren(el('h2', {}, `${rows.length} integration${rows.length === 1 ? '' : 's'}`), rows.length === 0 ? el('p', {}, 'No integrations you can see.') : table);
}

function light(health: string): HTMLElement {
  return el('span', { class: `light ${health}`, role: 'img', 'aria-label': health, title: health });
}

// --- failures -------------------------------------------------------------------------------------------
async function integrationPicker(current: string | undefined, target: string): Promise<{ picker: HTMLElement; name: string | undefined }> {
  if (integrations.length === 0) await loadIntegrations();
  const name = current ?? integrations[0]?.name;
  const select = el('select', { 'aria-label': 'integration', id: 'integration' });
  for (const i of integrations) select.append(el('option', i.name === name ? { value: i.name, selected: '' } : { value: i.name }, i.name));
  select.addEventListener('change', () => (location.hash = `#${target}/${encodeURIComponent(select.value)}`));
  return { picker: el('label', {}, 'Integration ', select), name };
}

async function failures(current: string | undefined): Promise<void> {
  const { picker, name } = await integrationPicker(current, 'failures');
  if (!name) return view.replaceChildren(el('p', {}, 'No integrations you can see.'));
  const data = await get<{ failures: Failure[] }>(`integrations/${encodeURIComponent(name)}/failures`);
  const status = el('p', { id: 'failures-status', role: 'status' });
  const retryAll = el('button', { type: 'button', id: 'retry-all' }, 'Retry all');
  retryAll.addEventListener('click', () => void act(status, () => post(`integrations/${encodeURIComponent(name)}/failures/retry-all`)));
  const list = el('div', { id: 'failures' });
  for (const failure of data.failures) list.append(await failureCard(name, failure, status));
  view.replaceChildren(
    el('div', { class: 'filters' }, picker, data.failures.length > 0 ? retryAll : null),
    status,
    data.failures.length === 0 ? el('p', {}, 'Nothing in quarantine.') : list,
  );
}

async function failureCard(integration: string, failure: Failure, status: HTMLElement): Promise<HTMLElement> {
  const base = `integrations/${encodeURIComponent(integration)}/failures/${failure.id}`;
  const retry = el('button', { type: 'button', class: 'retry' }, 'Retry');
  retry.addEventListener('click', () => void act(status, () => post(`${base}/retry`)));
  const note = el('input', { placeholder: 'why dismiss (kept with the entry)', 'aria-label': 'note' });
  const dismiss = el('button', { type: 'button', class: 'dismiss' }, 'Dismiss');
  dismiss.addEventListener('click', () => void act(status, () => post(`${base}/dismiss`, { note: note.value })));
  let place: Node = el('span', { class: 'muted' }, 'no .map place in the reason');
  if (failure.location) {
    const { file, line, column } = failure.location;
    place = el('a', { class: 'map-place', href: '#', target: '_blank' }, `${file}:${line}`);
    const map = await get<{ text: string }>(`integrations/${encodeURIComponent(integration)}/maps/${file.split('/').map(encodeURIComponent).join('/')}`).catch(() => undefined);
    if (map) (place as HTMLAnchorElement).href = `playground/#s=${await encodeState({ file, text: map.text, flow: failure.flow, pasted: JSON.stringify(failure.sourceRecord, null, 2), line, column })}`;
  }
  return el('div', { class: 'failure', 'data-source-id': failure.sourceId, 'data-flow': failure.flow },
    el('div', {}, el('strong', {}, `${failure.flow} record ${failure.sourceId}`), ' ', place, el('span', { class: 'muted' }, `  attempts ${failure.attempts}, last ${when(failure.updatedAt)}`)),
    el('p', { class: 'reason' }, failure.reason),
    el('details', {}, el('summary', {}, 'Source record'), json(failure.sourceRecord)),
    el('details', {}, el('summary', {}, 'Request sent'), json(failure.payload)),
    el('details', {}, el('summary', {}, 'Response'), json(failure.response)),
    el('div', {}, retry, ' ', note, ' ', dismiss),
  );
}

async function act(status: HTMLElement, work: () => Promise<unknown>): Promise<void> {
  status.textContent = 'Working…';
  try {
    const result = (await work()) as { fixed?: boolean; errors?: string[]; flows?: { flow: string; failed: number; created: number; updated: number }[]; queued?: { flow: string; queued: boolean }[] };
    const flows = (result.flows ?? []).map((f) => `${f.flow}: ${f.created} created, ${f.updated} updated, ${f.failed} failed`).join('; ');
    // With a scheduler, "Run now" is a job a worker picks up: say so rather than "Done".
    const queued = (result.queued ?? []).map((q) => (q.queued ? `${q.flow}: queued for a worker` : `${q.flow}: a run is already waiting`)).join('; ');
    const outcome = result.queued ? 'Asked.' : result.fixed === true ? 'Fixed.' : result.fixed === false ? 'Still failing.' : 'Done.';
    status.textContent = [outcome, queued, flows, ...(result.errors ?? [])].filter(Boolean).join(' ');
  } catch (error) {
    status.textContent = (error as Error).message;
  }
  const keep = status.textContent;
  await route();
  const again = document.getElementById(status.id);
  if (again) again.textContent = keep;
}

// --- activity -------------------------------------------------------------------------------------------
async function activity(current: string | undefined, params: URLSearchParams): Promise<void> {
  const { picker, name } = await integrationPicker(current, 'activity');
  if (!name) return view.replaceChildren(el('p', {}, 'No integrations you can see.'));
  const form = el('form', { class: 'filters', id: 'activity-filters' },
    picker,
    el('label', {}, 'Search ', el('input', { name: 'search', placeholder: 'order number, e-mail, SKU', value: params.get('search') ?? '' })),
    el('label', {}, 'Status ', statusSelect(params.get('action') ?? '')),
    el('label', {}, 'From ', el('input', { name: 'since', type: 'date', value: params.get('since') ?? '' })),
    el('label', {}, 'To ', el('input', { name: 'until', type: 'date', value: params.get('until') ?? '' })),
    el('button', { type: 'submit' }, 'Search'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const [key, value] of new FormData(form)) if (value && key !== 'integration') next.set(key, String(value));
    location.hash = `#activity/${encodeURIComponent(name)}/${next.toString()}`;
  });
  const query = new URLSearchParams();
  for (const key of ['search', 'action', 'before']) if (params.get(key)) query.set(key, params.get(key)!);
  if (params.get('since')) query.set('since', new Date(`${params.get('since')}T00:00:00`).toISOString());
  if (params.get('until')) query.set('until', new Date(new Date(`${params.get('until')}T00:00:00`).getTime() + 86_400_000).toISOString());
  const page = await get<{ entries: ActivitySummary[]; next: number | null }>(`integrations/${encodeURIComponent(name)}/activity?${query.toString()}`);
  const body = el('tbody');
  for (const entry of page.entries) {
    const row = el('tr', { 'data-id': String(entry.id) },
      el('td', {}, when(entry.at)), el('td', {}, entry.flow), el('td', {}, entry.sourceId), el('td', {}, entry.action), el('td', {}, entry.targetId ?? ''), el('td', {}, entry.reason));
    row.addEventListener('click', () => void showEntry(name, entry.id, row));
    body.append(row);
  }
  const pager = el('p', { class: 'pager' });
  if (params.get('before')) {
    const first = el('a', { href: `#activity/${encodeURIComponent(name)}/${withParam(params, 'before', null)}` }, 'Newest');
    pager.append(first, ' ');
  }
  if (page.next !== null) pager.append(el('a', { href: `#activity/${encodeURIComponent(name)}/${withParam(params, 'before', String(page.next))}`, id: 'older' }, 'Older →'));
  view.replaceChildren(form,
    el('table', { id: 'activity' }, el('thead', {}, el('tr', {}, ...['At', 'Flow', 'Record', 'Status', 'Target', 'Reason'].map((h) => el('th', {}, h)))), body),
    page.entries.length === 0 ? el('p', { id: 'no-entries' }, 'No entries match.') : pager);
}

function withParam(params: URLSearchParams, key: string, value: string | null): string {
  const next = new URLSearchParams(params);
  if (value === null) next.delete(key);
  else next.set(key, value);
  return next.toString();
}

function statusSelect(current: string): HTMLSelectElement {
  const select = el('select', { name: 'action' });
  for (const [value, label] of [['', 'any'], ['create', 'created'], ['update', 'updated'], ['skip', 'skipped'], ['fail', 'failed'], ['write-back', 'written back']]) {
    select.append(el('option', value === current ? { value: value!, selected: '' } : { value: value! }, label!));
  }
  return select;
}

async function showEntry(integration: string, id: number, row: HTMLTableRowElement): Promise<void> {
  const existing = row.nextElementSibling;
  if (existing?.classList.contains('entry-detail')) return existing.remove();
  const entry = await get<{ sourceRecord: unknown; payload: unknown; response: unknown; lineage: unknown }>(`integrations/${encodeURIComponent(integration)}/activity/${id}`);
  row.after(el('tr', { class: 'entry-detail' }, el('td', { colspan: '6' },
    el('details', { open: '' }, el('summary', {}, 'Source payload'), json(entry.sourceRecord)),
    el('details', {}, el('summary', {}, 'Target payload'), json(entry.payload)),
    el('details', {}, el('summary', {}, 'Response'), json(entry.response)),
    el('details', {}, el('summary', {}, 'Field lineage (.map file:line per field)'), json(entry.lineage)))));
}

// --- control --------------------------------------------------------------------------------------------
async function control(): Promise<void> {
  const rows = await loadIntegrations();
  const status = el('p', { id: 'control-status', role: 'status' });
  const body = el('tbody');
  for (const integration of rows) {
    const toggle = el('button', { type: 'button', class: 'toggle' }, integration.state === 'paused' ? 'Resume' : 'Pause');
    toggle.addEventListener('click', () => void act(status, () => post(`integrations/${encodeURIComponent(integration.name)}/${integration.state === 'paused' ? 'resume' : 'pause'}`)));
    const runs = el('td');
    for (const flow of integration.flows) {
      const run = el('button', { type: 'button', class: 'run', 'data-flow': flow.flow }, `Run ${flow.flow} now`);
      run.addEventListener('click', () => void act(status, () => post(`integrations/${encodeURIComponent(integration.name)}/run`, { flows: [flow.flow] })));
      runs.append(run, ' ');
    }
    body.append(el('tr', { 'data-integration': integration.name }, el('td', {}, integration.name), el('td', {}, integration.state), el('td', {}, toggle), runs));
  }
  const jobs = await get<{ scheduler: string | null; jobs: JobRow[] }>('jobs');
  const queue = jobs.scheduler === null
    ? el('p', { id: 'no-scheduler' }, 'No scheduler is configured: runs happen from cron, `mapline run --watch`, or the buttons above. There is no job queue to show.')
    : jobs.jobs.length === 0
      ? el('p', { id: 'no-jobs' }, 'No run is waiting or running.')
      : el('table', { id: 'jobs' }, el('thead', {}, el('tr', {}, ...['Integration', 'Flow', 'Why', 'State', 'Worker', 'Started', 'Runs after'].map((h) => el('th', {}, h)))),
        el('tbody', {}, ...jobs.jobs.map((j) => el('tr', { 'data-job': j.id, 'data-state': j.state },
          el('td', {}, j.integration ?? '(removed)'), el('td', {}, j.flow), el('td', {}, j.reason), el('td', {}, j.state), el('td', {}, j.worker ?? ''), el('td', {}, when(j.startedAt)), el('td', {}, when(j.runAfter))))));
  view.replaceChildren(status,
    el('table', { id: 'control' }, el('thead', {}, el('tr', {}, ...['Integration', 'State', '', 'Run now'].map((h) => el('th', {}, h)))), body),
    el('h2', {}, `Job queue${jobs.scheduler ? ` (${jobs.scheduler})` : ''}`), queue);
}

void start();
