import type { ConnectorDefinition } from '../../../connectors/definition.js';
import { type Loopback, type LoopbackRequest, sendJson, startLoopback } from './loopback.js';

/**
 * A third, test-only API ("notes"): API-key auth, `page`/`per_page` paging with its own envelope, a query-param
 * search, PUT-replace updates and a datetime `updated_after` cursor. It exists to prove a new API needs only a
 * definition: nothing in `connectors/client/` knows about it.
 */
export const notesDefinition: ConnectorDefinition = {
  name: 'notes',
  title: 'Notes (test only)',
  defaultBaseUrl: 'http://127.0.0.1:1/api',
  auth: { type: 'api-key', header: 'X-Api-Key' },
  paging: {
    style: 'page',
    pageParam: 'page',
    sizeParam: 'per_page',
    firstPage: 0,
    maxSize: 3,
    itemsField: 'results',
    metaField: 'paging',
    currentPageField: 'page',
    totalPagesField: 'last_page',
  },
  rateLimits: [{ scope: 'endpoint', methods: [], limit: 20, windowMs: 60_000 }],
  errors: { codeField: 'error_code', messageField: 'message', retryAfterPattern: 'wait (\\d+)s', defaultRetryAfterMs: 10_000 },
  entities: {
    notes: {
      name: 'notes',
      idField: 'id',
      list: { method: 'GET', path: '/notes' },
      get: { method: 'GET', path: '/notes/{id}' },
      create: { method: 'POST', path: '/notes', successStatus: 201 },
      update: { method: 'PUT', path: '/notes/{id}', semantics: 'replace' },
      search: { style: 'query', fields: { title: 'title' } },
      cursor: { style: 'created-since', field: 'updated_at', param: 'updated_after', format: 'datetime', overlapMs: 1000, repollWindowMs: 0 },
      children: { comments: { path: '/notes/{parentId}/comments', entity: 'comments' } },
      schemas: { read: { type: 'object' } },
    },
  },
};

export const NOTES_API_KEY = 'notes-key-0123456789';

export interface Note {
  id: number;
  title: string;
  updated_at: string;
}

/** What the test wants to happen to one request before the API handles it. */
export type NotesFault = 'none' | '500' | '503' | 'drop' | 'lost-response' | 'hang' | { status: 429; message: string };

export interface NotesServer extends Loopback {
  readonly notes: Note[];
  /** Decides a fault per request (default: none). */
  fault: (request: LoopbackRequest) => NotesFault;
}

export async function startNotesServer(count = 7): Promise<NotesServer> {
  const notes: Note[] = Array.from({ length: count }, (_, index) => ({
    id: index + 1,
    title: `note ${index + 1}`,
    updated_at: new Date(Date.UTC(2026, 0, index + 1)).toISOString(),
  }));
  let server: NotesServer | undefined;
  const loopback = await startLoopback((request, response) => {
    const fault = server?.fault(request) ?? 'none';
    if (fault === 'drop') return void response.socket?.destroy();
    if (fault === 'hang') return; // never answers; the client's headers timeout fires
    if (fault === '500' || fault === '503') return sendJson(response, Number(fault), { error_code: 'E_SERVER', message: 'boom' });
    if (typeof fault === 'object') return sendJson(response, fault.status, { error_code: 'E_RATE', message: fault.message });
    const [status, body] = handle(request, notes);
    // A lost response: the write is applied, then the connection dies before any answer.
    if (fault === 'lost-response') return void response.socket?.destroy();
    sendJson(response, status, body);
  });
  server = Object.assign(loopback, { notes, fault: (): NotesFault => 'none' });
  return server;
}

function handle(request: LoopbackRequest, notes: Note[]): [number, unknown] {
  if (request.headers['x-api-key'] !== NOTES_API_KEY) {
    return [401, { error_code: 'E_KEY', message: `bad key ${String(request.headers['x-api-key'])}` }];
  }
  const url = new URL(request.url, 'http://x');
  const match = /^\/api\/notes(?:\/(\d+))?(\/comments)?$/.exec(url.pathname);
  if (!match) return [404, { error_code: 'E_ROUTE', message: 'no route' }];
  const id = match[1] === undefined ? undefined : Number(match[1]);
  if (match[2] && request.method === 'GET') {
    return [200, { results: [{ id: 1, text: `first on ${id}` }], paging: { page: 0, last_page: 0 } }];
  }
  if (id === undefined && request.method === 'GET') {
    const page = Number(url.searchParams.get('page') ?? 0);
    const size = Number(url.searchParams.get('per_page') ?? 3);
    const title = url.searchParams.get('title');
    const after = url.searchParams.get('updated_after');
    const matching = notes.filter((note) => (title === null || note.title === title) && (after === null || Date.parse(note.updated_at) >= Date.parse(after)));
    const lastPage = Math.max(0, Math.ceil(matching.length / size) - 1);
    return [200, { results: matching.slice(page * size, page * size + size), paging: { page, last_page: lastPage } }];
  }
  if (id === undefined && request.method === 'POST') {
    const input = JSON.parse(request.body) as { title?: unknown };
    if (typeof input.title !== 'string') return [422, { error_code: 'E_TITLE', message: 'title is required' }];
    const note = { id: notes.length + 1, title: input.title, updated_at: new Date().toISOString() };
    notes.push(note);
    return [201, note];
  }
  const note = notes.find((candidate) => candidate.id === id);
  if (!note) return [404, { error_code: 'E_NOT_FOUND', message: `note ${id} not found` }];
  if (request.method === 'GET') return [200, note];
  if (request.method === 'PUT') {
    const input = JSON.parse(request.body) as { title: string };
    note.title = input.title;
    note.updated_at = new Date().toISOString();
    return [200, note];
  }
  return [405, { error_code: 'E_METHOD', message: 'method not allowed' }];
}
