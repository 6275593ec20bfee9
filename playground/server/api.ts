import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ActivityAction, StateStore } from '../../runtime/state/store.js';

const ACTIONS: readonly ActivityAction[] = ['create', 'update', 'skip', 'fail', 'write-back', 'upsert-create', 'upsert-update'];

/**
 * The playground's read-only JSON API over the runtime's state store: runs, activity (filtered by flow, run,
 * action, source record) and quarantine. Only GET; nothing here changes the state.
 */
export async function handleApi(url: URL, store: StateStore | undefined, response: ServerResponse): Promise<void> {
  const route = url.pathname.replace(/^\/api\//, '');
  const q = url.searchParams;
  if (route === 'status') return send(response, 200, { state: store !== undefined });
  if (!store) return send(response, 404, { error: 'no state file: start `mapline serve --state FILE` to see the activity log' });
  const limit = clampLimit(q.get('limit'));
  switch (route) {
    case 'runs':
      return send(response, 200, await store.listRuns(limit));
    case 'activity': {
      const actions = (q.get('actions') ?? '').split(',').filter((a): a is ActivityAction => (ACTIONS as readonly string[]).includes(a));
      return send(
        response,
        200,
        await store.listActivity({
          limit,
          ...(q.get('flow') ? { flow: q.get('flow')! } : {}),
          ...(q.get('run') ? { runId: q.get('run')! } : {}),
          ...(q.get('source') ? { sourceId: q.get('source')! } : {}),
          ...(actions.length ? { actions } : {}),
        }),
      );
    }
    case 'quarantine':
      return send(response, 200, await store.listQuarantine({ ...(q.get('flow') ? { flow: q.get('flow')! } : {}), includeResolved: q.get('resolved') === '1' }));
    default:
      return send(response, 404, { error: `no API route ${url.pathname}` });
  }
}

function clampLimit(raw: string | null): number {
  const n = Number(raw ?? 200);
  return Number.isInteger(n) && n > 0 ? Math.min(n, 1000) : 200;
}

export function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
}

export type { IncomingMessage };
