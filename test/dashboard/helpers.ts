import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DashboardBackend } from '../../dashboard/server/backend.js';
import { NO_SCHEDULER, type JobView } from '../../dashboard/server/job-view.js';
import { startDashboardServer, type RunningDashboard } from '../../dashboard/server/server.js';
import { Sessions } from '../../dashboard/server/sessions.js';
import type { UserDirectory } from '../../dashboard/server/users.js';
import type { ActivityAction, StateStore } from '../../runtime/state/store.js';

export const repoRoot = join(import.meta.dirname, '../..');
export const TOKEN = 'a-long-random-dashboard-token-for-tests';

/** The dashboard server on a free port over `backend` (API only unless `dist` is given). */
export function startDashboard(backend: DashboardBackend, options: { users?: UserDirectory; dist?: string; playgroundDist?: string; jobs?: JobView } = {}): Promise<RunningDashboard> {
  return startDashboardServer({
    dist: options.dist ?? join(repoRoot, 'dashboard', 'dist'),
    ...(options.playgroundDist ? { playgroundDist: options.playgroundDist } : {}),
    backend,
    jobs: options.jobs ?? NO_SCHEDULER,
    sessions: new Sessions(),
    token: TOKEN,
    ...(options.users ? { users: options.users } : {}),
    secureCookie: false,
    now: () => new Date(),
  });
}

/** A client of the API that keeps its session cookie and CSRF token, like the page does. */
export class ApiClient {
  private cookie = '';
  private csrf = '';

  constructor(readonly base: string) {}

  async login(body: Record<string, string>): Promise<Response> {
    const response = await this.call('POST', 'login', body);
    const cookie = response.headers.get('set-cookie');
    if (cookie) this.cookie = cookie.split(';')[0]!;
    if (response.ok) this.csrf = ((await response.clone().json()) as { csrf: string }).csrf;
    return response;
  }

  async get<T>(path: string): Promise<T> {
    const response = await this.call('GET', path);
    if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  async post<T>(path: string, body: unknown = {}): Promise<T> {
    const response = await this.call('POST', path, body);
    if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(`${this.base}api/${path}`, {
      method,
      headers: {
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(method === 'POST' ? { 'content-type': 'application/json', 'x-mapline-csrf': this.csrf } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  }
}

/** A temp folder with a config whose flows are the repository's orders mapping, and its (empty) state file. */
export function localSetup(): { dir: string; config: string; state: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'mapline-dashboard-'));
  const config = join(dir, 'mapline.config.json');
  const state = join(dir, 'state.sqlite');
  writeFileSync(
    config,
    JSON.stringify({
      state,
      connections: {
        ccvshop: { baseUrl: 'http://127.0.0.1:9/api/rest/v1', publicKey: 'k', secret: 's' },
        eaccounting: { baseUrl: 'http://127.0.0.1:9/v2', identityUrl: 'http://127.0.0.1:9', clientId: 'c', clientSecret: 's' },
      },
      flows: [{ file: join(repoRoot, 'mappings', 'orders.map') }],
    }),
  );
  return { dir, config, state, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

const ACTIONS: readonly ActivityAction[] = ['create', 'update', 'skip', 'fail'];

/**
 * `count` activity entries of flow `orders`, one per order `1000+i` with e-mail `customer<i>@example.nl` and SKU
 * `SKU-<i % 97>`, one minute apart and ending at `end`, the actions cycling create/update/skip/fail. `open` gets
 * the clock the store must stamp with.
 */
export async function seedActivity(open: (now: () => Date) => StateStore, count: number, end: Date): Promise<void> {
  let at = new Date(end.getTime() - count * 60_000);
  const store = open(() => at);
  try {
    const runId = await store.startRun({ flows: ['orders'], dryRun: false });
    for (let i = 0; i < count; i++) {
      at = new Date(end.getTime() - (count - 1 - i) * 60_000);
      await store.logActivity({
        runId,
        flow: 'orders',
        sourceId: String(1000 + i),
        action: ACTIONS[i % ACTIONS.length]!,
        reason: `order ${1000 + i}`,
        dryRun: false,
        targetId: `T${i}`,
        sourceRecord: { id: 1000 + i, ordernumber: 1000 + i, customer: { email: `customer${i}@example.nl` }, orderrows: [{ product_number: `SKU-${i % 97}` }] },
        payload: { YourReference: `WEB-${1000 + i}` },
        response: { Id: `T${i}` },
        durationMs: 1,
        lineage: { YourReference: 'mappings/orders.map:40' },
      });
    }
    await store.finishRun(runId, { orders: { read: count, created: count / 4, updated: count / 4, skipped: count / 4, failed: count / 4 } });
  } finally {
    await store.close();
  }
}
