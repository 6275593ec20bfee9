import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError, createClient, type ConnectorClient } from '../../../connectors/client/index.js';
import { NOTES_API_KEY, notesDefinition, type NotesServer, startNotesServer } from './notes-connector.js';

/** A third API, defined only in this test folder, works through the unchanged client core. */
describe('a test-only third connector (api-key auth, page paging)', () => {
  let server: NotesServer;
  let client: ConnectorClient;

  beforeEach(async () => {
    server = await startNotesServer(7);
    client = createClient(notesDefinition, { baseUrl: `${server.url}/api`, credentials: { apiKey: NOTES_API_KEY }, timeScale: 0.001 });
  });
  afterEach(async () => {
    await client.close();
    await server.close();
  });

  it('lists every record page by page with its own paging parameters', async () => {
    const pages = [];
    for await (const page of client.list('notes')) pages.push(page.items.map((note) => note.id));
    expect(pages).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
    expect(server.requests.map((request) => request.url)).toEqual([
      '/api/notes?page=0&per_page=3',
      '/api/notes?page=1&per_page=3',
      '/api/notes?page=2&per_page=3',
    ]);
  });

  it('gets, creates, updates (PUT), searches, reads children and reads incrementally', async () => {
    expect(await client.get('notes', 2)).toMatchObject({ id: 2, title: 'note 2' });
    const created = await client.create('notes', { title: "Bob's note" });
    expect(created).toMatchObject({ id: 8, title: "Bob's note" });
    expect(await client.update('notes', 8, { title: 'renamed' })).toMatchObject({ id: 8, title: 'renamed' });
    expect(server.notes[7]?.title).toBe('renamed');
    expect((await client.search('notes', 'title', 'note 3')).map((note) => note.id)).toEqual([3]);
    expect(await client.children('notes', 5, 'comments')).toEqual([{ id: 1, text: 'first on 5' }]);
    const since = await client.listAll('notes', { since: '2026-01-06T00:00:01Z' });
    // overlapMs (1 s) moves the cursor back, so the record stamped exactly at the cursor minus 1 s comes too.
    expect(since.map((note) => note.id)).toEqual([6, 7, 8]);
    expect(server.requests.at(-1)?.url).toBe('/api/notes?updated_after=2026-01-06T00:00:00Z&page=0&per_page=3');
  });

  it('sends the API key and counts calls per endpoint and method', async () => {
    await client.get('notes', 1);
    await client.get('notes', 2);
    await client.create('notes', { title: 'x' });
    expect(server.requests.every((request) => request.headers['x-api-key'] === NOTES_API_KEY)).toBe(true);
    expect(client.calls()).toEqual([
      { connector: 'notes', endpoint: '/notes', method: 'POST', count: 1 },
      { connector: 'notes', endpoint: '/notes/{id}', method: 'GET', count: 2 },
    ]);
  });

  it('reports API errors as typed values with the API fields and no key anywhere', async () => {
    const bad = createClient(notesDefinition, { baseUrl: `${server.url}/api`, credentials: { apiKey: 'wrong-key-abcdef' } });
    const error = await bad.get('notes', 1).catch((caught: unknown) => caught);
    await bad.close();
    expect(error).toBeInstanceOf(ApiError);
    const apiError = error as ApiError;
    expect(apiError).toMatchObject({ kind: 'api', status: 401, code: 'E_KEY', request: { method: 'GET', path: '/api/notes/1' } });
    // The server echoed the key it got; the client masks it in every rendering of the error.
    for (const text of [apiError.message, apiError.stack ?? '', JSON.stringify(apiError), inspect(apiError, { depth: 5 })]) {
      expect(text).not.toContain('wrong-key-abcdef');
    }
    expect(apiError.developerMessage).toBe('bad key [redacted]');

    const invalid = await client.create('notes', { title: 42, apiKey: NOTES_API_KEY }).catch((caught: unknown) => caught);
    expect(invalid).toMatchObject({ kind: 'api', status: 422, code: 'E_TITLE', request: { body: { title: 42, apiKey: '[redacted]' } } });
    expect(JSON.stringify(invalid)).not.toContain(NOTES_API_KEY);
  });
});
