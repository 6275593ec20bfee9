import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClient, type ConnectorClient, NetworkError, OutcomeUnknownError } from '../../../connectors/client/index.js';
import { NOTES_API_KEY, notesDefinition, type NotesServer, startNotesServer } from './notes-connector.js';
import { createRng } from '../../fuzz/mutate.js';

/** Retries, "outcome unknown" and rate limits, over real HTTP against the test-only notes API. */
describe('retries and outcome-unknown writes', () => {
  let server: NotesServer;
  let client: ConnectorClient;

  beforeEach(async () => {
    server = await startNotesServer(30);
    client = createClient(notesDefinition, {
      baseUrl: `${server.url}/api`,
      credentials: { apiKey: NOTES_API_KEY },
      timeScale: 0.001,
      rateLimits: false,
    });
  });
  afterEach(async () => {
    await client.close();
    await server.close();
  });

  it('reads survive 20 % injected 5xx and dropped connections', async () => {
    // Deterministic, so the fault pattern is the same every run.
    const random = createRng(42);
    server.fault = () => {
      const draw = random();
      return draw < 0.1 ? '500' : draw < 0.2 ? 'drop' : 'none';
    };
    const gets = await Promise.all(Array.from({ length: 30 }, (_, index) => client.get('notes', index + 1)));
    expect(gets.map((note) => note.id)).toEqual(Array.from({ length: 30 }, (_, index) => index + 1));
    expect((await client.listAll('notes')).length).toBe(30);
    // Faults really happened: more requests reached the server than the 30 + 10 calls that succeeded.
    expect(server.requests.length).toBeGreaterThan(40);
  });

  it('a create whose response is lost is reported as outcome unknown and never sent twice', async () => {
    server.fault = (request) => (request.method === 'POST' ? 'lost-response' : 'none');
    const error = await client.create('notes', { title: 'once' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OutcomeUnknownError);
    expect(error).toMatchObject({ kind: 'outcome-unknown', request: { method: 'POST', path: '/api/notes', body: { title: 'once' } } });
    expect(server.requests.filter((request) => request.method === 'POST')).toHaveLength(1);
    expect(server.notes.filter((note) => note.title === 'once')).toHaveLength(1);
    // The runtime then looks the record up by its key, and finds the one that was created.
    server.fault = () => 'none';
    expect(await client.search('notes', 'title', 'once')).toHaveLength(1);
  });

  it('a create answered with 500 is outcome unknown (not resent); a 503 is retried', async () => {
    server.fault = (request) => (request.method === 'POST' ? '500' : 'none');
    await expect(client.create('notes', { title: 'five hundred' })).rejects.toMatchObject({ kind: 'outcome-unknown', status: 500 });
    expect(server.requests.filter((request) => request.method === 'POST')).toHaveLength(1);

    let unavailable = 2;
    server.fault = (request) => (request.method === 'POST' && unavailable-- > 0 ? '503' : 'none');
    expect(await client.create('notes', { title: 'after 503' })).toMatchObject({ title: 'after 503' });
    expect(server.notes.filter((note) => note.title === 'after 503')).toHaveLength(1);
  });

  it('a create that surely never left (connection refused) is retried, then reported as not sent', async () => {
    const closed = await startNotesServer(0);
    const port = new URL(closed.url).port;
    await closed.close();
    const refused = createClient(notesDefinition, {
      baseUrl: `http://127.0.0.1:${port}/api`,
      credentials: { apiKey: NOTES_API_KEY },
      timeScale: 0.001,
      retry: { maxAttempts: 3 },
    });
    const error = await refused.create('notes', { title: 'x' }).catch((caught: unknown) => caught);
    await refused.close();
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ code: 'ECONNREFUSED', sent: false, attempts: 3 });
  });

  it('a create that times out waiting for the answer is outcome unknown, a read that times out is retried', async () => {
    const slow = createClient(notesDefinition, {
      baseUrl: `${server.url}/api`,
      credentials: { apiKey: NOTES_API_KEY },
      timeScale: 0.001,
      timeouts: { headersTimeoutMs: 150 },
    });
    server.fault = (request) => (request.method === 'POST' ? 'hang' : 'none');
    await expect(slow.create('notes', { title: 'slow' })).rejects.toMatchObject({ kind: 'outcome-unknown', reason: 'timeout UND_ERR_HEADERS_TIMEOUT' });
    expect(server.requests.filter((request) => request.method === 'POST')).toHaveLength(1);
    let hangs = 1;
    server.fault = (request) => (request.method === 'GET' && hangs-- > 0 ? 'hang' : 'none');
    expect(await slow.get('notes', 4)).toMatchObject({ id: 4 });
    await slow.close();
  });

  it('an update (PUT, same body) whose response is lost is sent again and succeeds', async () => {
    let lose = 1;
    server.fault = (request) => (request.method === 'PUT' && lose-- > 0 ? 'lost-response' : 'none');
    expect(await client.update('notes', 3, { title: 'replaced' })).toMatchObject({ id: 3, title: 'replaced' });
    const puts = server.requests.filter((request) => request.method === 'PUT');
    expect(puts).toHaveLength(2);
    expect(puts[0]?.body).toBe(puts[1]?.body);
  });
});

describe('rate governor', () => {
  let server: NotesServer;
  afterEach(async () => server.close());

  it('a burst of more than two (scaled) minutes of traffic stays at the limit: no 429 at all', async () => {
    server = await startNotesServer(3);
    const timeScale = 0.005; // one minute lasts 300 ms; the definition allows 20 calls per minute per endpoint
    const windowMs = 60_000 * timeScale;
    const perWindow = new Map<number, number>();
    let rejected = 0;
    server.fault = () => {
      // The server enforces the limit with fixed windows, as the sandboxes do.
      const window = Math.floor(performance.now() / windowMs);
      const count = (perWindow.get(window) ?? 0) + 1;
      perWindow.set(window, count);
      if (count > 20) {
        rejected++;
        return { status: 429, message: 'slow down, wait 1s' };
      }
      return 'none';
    };
    const client = createClient(notesDefinition, { baseUrl: `${server.url}/api`, credentials: { apiKey: NOTES_API_KEY }, timeScale });
    const results = await Promise.all(Array.from({ length: 50 }, (_, index) => client.get('notes', (index % 3) + 1)));
    await client.close();
    expect(results).toHaveLength(50);
    expect(rejected).toBe(0);
    expect(Math.max(...perWindow.values())).toBeLessThanOrEqual(20);
    expect(perWindow.size).toBeGreaterThanOrEqual(3); // it really had to spread over three windows
  });

  it('with 429s forced, waits as told and the run still completes', async () => {
    server = await startNotesServer(3);
    let forced = 6;
    server.fault = () => (forced-- > 0 ? { status: 429, message: 'quota exceeded, wait 1s' } : 'none');
    const waits: number[] = [];
    const client = createClient(notesDefinition, {
      baseUrl: `${server.url}/api`,
      credentials: { apiKey: NOTES_API_KEY },
      timeScale: 0.001,
      logger: (event) => {
        if (event.type === 'rate-limited') waits.push(event.waitMs);
      },
    });
    const results = await Promise.all([1, 2, 3, 1, 2, 3].map((id) => client.get('notes', id)));
    await client.close();
    expect(results.map((note) => note.id)).toEqual([1, 2, 3, 1, 2, 3]);
    expect(waits.length).toBe(6);
    // "wait 1s" from the body, taken as told (a server states real time).
    expect(waits).toEqual([1000, 1000, 1000, 1000, 1000, 1000]);
  });
});
