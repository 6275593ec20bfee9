import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlaygroundServer, type RunningPlayground } from '../../playground/server/server.js';
import { SqliteStateStore } from '../../runtime/state/sqlite-store.js';

/** `mapline serve`'s HTTP side over loopback: static files, the read-only activity API, localhost only. */
let dir: string;
let store: SqliteStateStore;
let server: RunningPlayground;
let runId: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mapline-serve-'));
  const dist = join(dir, 'dist');
  mkdirSync(dist);
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>playground</title>');
  writeFileSync(join(dir, 'secret.txt'), 'outside dist');
  store = SqliteStateStore.open(join(dir, 'state.sqlite'));
  runId = await store.startRun({ flows: ['orders'], dryRun: false });
  const base = { runId, flow: 'orders', dryRun: false, targetId: null, payload: null, response: null, durationMs: 1, lineage: null };
  await store.logActivity({ ...base, sourceId: '1', action: 'create', reason: 'created', sourceRecord: { id: 1 } });
  await store.logActivity({ ...base, sourceId: '2', action: 'fail', reason: 'orders.map:93:16: no eaccounting.articles with Number = "KORTING"', sourceRecord: { id: 2 } });
  await store.logActivity({ ...base, flow: 'customers', sourceId: '3', action: 'skip', reason: 'filter is false', sourceRecord: { id: 3 } });
  server = await startPlaygroundServer({ dist, port: 0, store });
});

afterAll(async () => {
  await server.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function get(path: string, options: { method?: string; host?: string } = {}): Promise<{ status: number; body: string }> {
  const url = new URL(path, server.url);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.host ? { host: options.host } : {} }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('mapline serve', () => {
  it('binds to 127.0.0.1 by default and serves the built page', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('playground');
  });

  it('never serves files outside dist', async () => {
    expect((await get('/../secret.txt')).status).toBe(404);
    expect((await get('/%2e%2e/secret.txt')).status).toBe(404);
  });

  it('lists activity filtered by flow and action, newest first', async () => {
    const failed = JSON.parse((await get('/api/activity?actions=fail')).body) as { sourceId: string; reason: string }[];
    expect(failed.map((a) => a.sourceId)).toEqual(['2']);
    expect(failed[0]!.reason).toContain('KORTING');
    const orders = JSON.parse((await get('/api/activity?flow=orders')).body) as { sourceId: string }[];
    expect(orders.map((a) => a.sourceId)).toEqual(['2', '1']);
    const runs = JSON.parse((await get('/api/runs')).body) as { id: string }[];
    expect(runs.map((r) => r.id)).toEqual([runId]);
  });

  it('is read-only and answers localhost names only', async () => {
    expect((await get('/api/activity', { method: 'POST' })).status).toBe(405);
    expect((await get('/api/activity', { method: 'DELETE' })).status).toBe(405);
    expect((await get('/api/status', { host: 'evil.example:80' })).status).toBe(403);
    expect(JSON.parse((await get('/api/status', { host: 'localhost' })).body)).toEqual({ state: true });
  });
});
