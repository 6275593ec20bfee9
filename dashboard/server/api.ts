import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ActivityAction, ActivityEntry, StateStore } from '../../runtime/state/store.js';
import { DashboardError, type DashboardBackend, type DashboardIntegration } from './backend.js';
import { compress, encodingFor } from './assets.js';
import { failureView } from './failures.js';
import type { JobView } from './job-view.js';
import { integrationRow } from './overview.js';
import { sameSecret } from './passwords.js';
import { clearedCookie, sessionCookie, sessionIdOf, type Sessions } from './sessions.js';
import type { UserDirectory, Viewer } from './users.js';

const ACTIONS: readonly ActivityAction[] = ['create', 'update', 'skip', 'fail', 'write-back', 'upsert-create', 'upsert-update'];
const PAGE_DEFAULT = 50;
const PAGE_MAX = 200;
const BODY_MAX = 64 * 1024;

export interface ApiContext {
  readonly backend: DashboardBackend;
  readonly jobs: JobView;
  readonly sessions: Sessions;
  /** `MAPLINE_DASHBOARD_TOKEN`: whoever has it sees every integration. */
  readonly token?: string;
  readonly users?: UserDirectory;
  /** Set the cookie's Secure flag (served over HTTPS, or behind a proxy that is). */
  readonly secureCookie: boolean;
  readonly now: () => Date;
}

interface Call {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  readonly url: URL;
  readonly context: ApiContext;
}

/**
 * The dashboard's JSON API. Everything but `login` needs a session; every change (POST) needs the session's CSRF
 * token in `x-mapline-csrf` and, when the browser sends one, an Origin of this server. A user sees only the
 * integrations they have access to: any other name is answered as if it did not exist. No response carries a
 * config or a secret: integrations are described by name, state and flows only.
 */
export async function handleApi(request: IncomingMessage, response: ServerResponse, url: URL, context: ApiContext): Promise<void> {
  const call = { request, response, url, context };
  try {
    await route(call);
  } catch (error) {
    if (error instanceof DashboardError) return send(call, error.status, { error: error.message });
    // The runtime's refusals (paused, no key, config problem) are the asker's to fix, not a server fault.
    if (error instanceof Error && ['RegistryError', 'SecretKeyError', 'ConfigError'].includes(error.name)) return send(call, 409, { error: error.message });
    throw error;
  }
}

async function route(call: Call): Promise<void> {
  const { request, url, context } = call;
  const path = url.pathname.replace(/^\/api\//, '').split('/').map(decodeURIComponent);
  const post = request.method === 'POST';
  if (post) checkOrigin(request);
  if (path[0] === 'login' && post) return login(call);

  const session = context.sessions.find(sessionIdOf(request.headers.cookie));
  if (!session) return send(call, 401, { error: 'log in first' });
  if (post && !sameSecret(String(request.headers['x-mapline-csrf'] ?? ''), session.csrf)) return send(call, 403, { error: 'missing or wrong CSRF token: reload the page' });
  const viewer = session.viewer;

  if (path[0] === 'session' && !post) return send(call, 200, { user: viewer.name, csrf: session.csrf, mode: context.backend.mode, scheduler: context.jobs.scheduler });
  if (path[0] === 'logout' && post) {
    context.sessions.end(session.id);
    call.response.setHeader('set-cookie', clearedCookie());
    return send(call, 200, { ok: true });
  }
  if (path[0] === 'overview' && !post) return overview(call, viewer);
  if (path[0] === 'jobs' && !post) {
    return send(call, 200, { scheduler: context.jobs.scheduler, jobs: await context.jobs.jobs(await visible(context.backend, viewer)) });
  }
  if (path[0] !== 'integrations' || !path[1]) throw new DashboardError(404, `no API route ${url.pathname}`);
  const integration = await allowed(context.backend, viewer, path[1]);
  const [, , what, id, verb] = path;

  if (what === 'pause' || what === 'resume') {
    if (!post) throw new DashboardError(405, 'POST only');
    await context.backend.setState(integration.name, what === 'pause' ? 'paused' : 'active');
    return send(call, 200, { name: integration.name, state: what === 'pause' ? 'paused' : 'active' });
  }
  if (what === 'run' && post) {
    const body = await readJson(request);
    const flows = Array.isArray(body.flows) ? body.flows.filter((f): f is string => typeof f === 'string' && integration.flows.includes(f)) : undefined;
    // With a scheduler, a worker runs it (the dashboard's process only asks); without one, it runs here.
    if (context.jobs.enqueue) {
      if (integration.state === 'paused') throw new DashboardError(409, `integration ${integration.name} is paused: resume it to run it`);
      return send(call, 202, await context.jobs.enqueue(integration, flows && flows.length > 0 ? flows : integration.flows));
    }
    return send(call, 200, await context.backend.run(integration.name, flows && flows.length > 0 ? { flows } : {}));
  }
  if (what === 'maps' && id && !post) {
    const text = await context.backend.mapText(integration.name, path.slice(3).join('/'));
    if (text === undefined) throw new DashboardError(404, `${integration.name} has no .map file ${path.slice(3).join('/')}`);
    return send(call, 200, { file: path.slice(3).join('/'), text });
  }
  if (what === 'failures') return failures(call, viewer, integration, id, verb, post);
  if (what === 'activity' && !post) return activity(call, integration, id);
  throw new DashboardError(404, `no API route ${url.pathname}`);
}

async function login(call: Call): Promise<void> {
  const { context } = call;
  const body = await readJson(call.request);
  let viewer: Viewer | undefined;
  if (typeof body.token === 'string' && context.token && sameSecret(body.token, context.token)) viewer = { name: 'operator (token)', integrations: null };
  else if (typeof body.user === 'string' && typeof body.password === 'string' && context.users) viewer = await context.users.authenticate(body.user, body.password);
  if (!viewer) return send(call, 401, { error: 'wrong name, password or token' });
  const session = context.sessions.start(viewer);
  call.response.setHeader('set-cookie', sessionCookie(session.id, context.secureCookie));
  return send(call, 200, { user: viewer.name, csrf: session.csrf });
}

async function overview(call: Call, viewer: Viewer): Promise<void> {
  const { backend, jobs, now } = call.context;
  const at = now();
  const rows = await Promise.all(
    (await visible(backend, viewer)).map((integration) => withStore(backend, integration.name, (store) => integrationRow(integration, store, jobs, at))),
  );
  return send(call, 200, { at: at.toISOString(), mode: backend.mode, scheduler: jobs.scheduler, integrations: rows });
}

async function failures(call: Call, viewer: Viewer, integration: DashboardIntegration, id: string | undefined, verb: string | undefined, post: boolean): Promise<void> {
  const { backend } = call.context;
  if (!post) {
    const entries = await withStore(backend, integration.name, (store) => store.listQuarantine());
    return send(call, 200, { integration: integration.name, failures: entries.map(failureView) });
  }
  if (id === 'retry-all') {
    const body = await readJson(call.request);
    const flows = typeof body.flow === 'string' ? [body.flow] : undefined;
    return send(call, 200, await backend.run(integration.name, { retryFailed: true, ...(flows ? { flows } : {}) }));
  }
  const entry = (await withStore(backend, integration.name, (store) => store.listQuarantine())).find((e) => String(e.id) === id);
  if (!entry) throw new DashboardError(404, `no open quarantine entry ${id} in ${integration.name}`);
  if (verb === 'retry') {
    const report = await backend.run(integration.name, { flows: [entry.flow], retryFailed: true, retryOnly: [entry.sourceId] });
    const still = (await withStore(backend, integration.name, (store) => store.listQuarantine({ flow: entry.flow }))).find((e) => e.sourceId === entry.sourceId);
    return send(call, 200, { ...report, fixed: !still, ...(still ? { failure: failureView(still) } : {}) });
  }
  if (verb === 'dismiss') {
    const body = await readJson(call.request);
    const note = typeof body.note === 'string' ? body.note.trim() : '';
    if (!note) throw new DashboardError(400, 'say why in a note: it is kept with the entry');
    const dismissed = await withStore(backend, integration.name, (store) => store.dismissQuarantine(entry.id, `${note} (${viewer.name})`));
    return send(call, 200, dismissed ? failureView(dismissed) : { error: 'already resolved' });
  }
  throw new DashboardError(404, `no action ${verb ?? ''} on a failure`);
}

/** A page of the log, newest first, without the documents (those come with one entry); `next` continues it. */
async function activity(call: Call, integration: DashboardIntegration, id: string | undefined): Promise<void> {
  const { backend } = call.context;
  if (id !== undefined) {
    const wanted = Number(id);
    if (!Number.isSafeInteger(wanted)) throw new DashboardError(400, `not an activity id: ${id}`);
    const [entry] = await withStore(backend, integration.name, (store) => store.listActivity({ beforeId: wanted + 1, limit: 1 }));
    if (!entry || entry.id !== wanted) throw new DashboardError(404, `no activity entry ${id} in ${integration.name}`);
    return send(call, 200, entry);
  }
  const q = call.url.searchParams;
  const limit = Math.min(Math.max(Number(q.get('limit') ?? PAGE_DEFAULT) || PAGE_DEFAULT, 1), PAGE_MAX);
  const before = q.get('before');
  const actions = (q.get('action') ?? '').split(',').filter((a): a is ActivityAction => (ACTIONS as readonly string[]).includes(a));
  const instant = (name: string): string | undefined => {
    const raw = q.get(name);
    if (!raw) return undefined;
    const parsed = new Date(raw);
    if (Number.isNaN(parsed.getTime())) throw new DashboardError(400, `${name}: not a date: ${raw}`);
    return parsed.toISOString();
  };
  const since = instant('since');
  const until = instant('until');
  const page = await withStore(backend, integration.name, (store) =>
    store.listActivity({
      limit: limit + 1,
      ...(q.get('flow') ? { flow: q.get('flow')! } : {}),
      ...(q.get('search') ? { search: q.get('search')! } : {}),
      ...(actions.length > 0 ? { actions } : {}),
      ...(since ? { since } : {}),
      ...(until ? { until } : {}),
      ...(before && Number.isSafeInteger(Number(before)) ? { beforeId: Number(before) } : {}),
    }),
  );
  const entries = page.slice(0, limit).map(summaryOf);
  return send(call, 200, { entries, next: page.length > limit ? entries.at(-1)!.id : null });
}

function summaryOf(entry: ActivityEntry): Pick<ActivityEntry, 'id' | 'at' | 'flow' | 'sourceId' | 'action' | 'reason' | 'targetId' | 'runId' | 'dryRun'> {
  return { id: entry.id, at: entry.at, flow: entry.flow, sourceId: entry.sourceId, action: entry.action, reason: entry.reason, targetId: entry.targetId, runId: entry.runId, dryRun: entry.dryRun };
}

async function visible(backend: DashboardBackend, viewer: Viewer): Promise<DashboardIntegration[]> {
  return (await backend.list()).filter((i) => viewer.integrations === null || viewer.integrations.has(i.name));
}

/** The integration when the viewer may see it; otherwise "no such integration", the same as for one that is not there. */
async function allowed(backend: DashboardBackend, viewer: Viewer, name: string): Promise<DashboardIntegration> {
  const integration = viewer.integrations === null || viewer.integrations.has(name) ? await backend.get(name) : undefined;
  if (!integration) throw new DashboardError(404, `no integration named ${name}`);
  return integration;
}

async function withStore<T>(backend: DashboardBackend, name: string, work: (store: StateStore) => Promise<T>): Promise<T> {
  const store = await backend.openStore(name);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/** A change must come from this server's own page: a browser names the page's origin, which must be this host. */
function checkOrigin(request: IncomingMessage): void {
  const origin = request.headers.origin;
  if (origin === undefined) return; // not a browser (curl, the tests' own client); the CSRF token still applies
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    throw new DashboardError(403, 'a request from another site');
  }
  if (host !== request.headers.host) throw new DashboardError(403, 'a request from another site');
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  if (!String(request.headers['content-type'] ?? '').startsWith('application/json')) throw new DashboardError(415, 'send JSON (content-type: application/json)');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > BODY_MAX) throw new DashboardError(413, 'request body too large');
    chunks.push(chunk as Buffer);
  }
  try {
    const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new DashboardError(400, 'the body is not a JSON object');
}

/** A JSON answer, compressed when the client takes it (an overview of 200 integrations shrinks tenfold). */
export function send(call: { request: IncomingMessage; response: ServerResponse }, status: number, body: unknown): void {
  const raw = Buffer.from(JSON.stringify(body));
  const encoding = raw.length > 1024 ? encodingFor(call.request) : undefined;
  call.response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    vary: 'accept-encoding',
    ...(encoding ? { 'content-encoding': encoding } : {}),
  });
  call.response.end(encoding ? compress(raw, encoding, 'fast') : raw);
}

