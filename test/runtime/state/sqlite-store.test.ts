import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../../runtime/state/migrations.js';
import { SqliteStateStore } from '../../../runtime/state/sqlite-store.js';

let dir: string;
let file: string;
const opened: SqliteStateStore[] = [];

function open(now?: () => Date): SqliteStateStore {
  const store = SqliteStateStore.open(file, now ? { now } : {});
  opened.push(store);
  return store;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mapline-state-'));
  file = join(dir, 'nested', 'state.sqlite');
});

afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('SqliteStateStore', () => {
  it('creates the file in WAL mode at the latest schema version, and reopening keeps the data', async () => {
    const store = open();
    expect(store.schemaVersion).toBe(MIGRATIONS.length);
    await store.saveLink({ flow: 'orders', sourceId: '42', targetId: 'abc', key: 'WEB-42', contentHash: 'h1' });
    await store.saveCursor('orders', '2026-01-01T00:00:00Z');
    await store.close();

    const raw = new Database(file, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();

    const again = open();
    expect(await again.getLink('orders', '42')).toMatchObject({ targetId: 'abc', key: 'WEB-42', contentHash: 'h1' });
    expect(await again.getCursor('orders')).toBe('2026-01-01T00:00:00Z');
  });

  it('upgrades a file of an older schema version in place, keeping its data', async () => {
    const raw = new Database(file.replace('nested/', ''));
    raw.exec(MIGRATIONS[0]!);
    raw.pragma('user_version = 1');
    raw.prepare("INSERT INTO links VALUES ('orders', '1', 'T1', 'WEB-1', 'h', '2026-01-01T00:00:00Z')").run();
    raw.close();
    file = file.replace('nested/', '');
    const store = open();
    expect(store.schemaVersion).toBe(MIGRATIONS.length);
    expect(await store.getLink('orders', '1')).toMatchObject({ targetId: 'T1' });
    expect(await store.acquireLock('flow:orders', { id: 'r', host: 'h', pid: process.pid }, 1000)).toEqual({ acquired: true });
  });

  it('refuses a state file written by a newer schema', async () => {
    (await open().close());
    const raw = new Database(file);
    raw.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    raw.close();
    expect(() => SqliteStateStore.open(file)).toThrow(/newer than this Mapline/);
  });

  it('replaces a link and keeps links per flow apart', async () => {
    const store = open();
    await store.saveLink({ flow: 'orders', sourceId: '1', targetId: 'a', key: null, contentHash: 'h1' });
    await store.saveLink({ flow: 'orders', sourceId: '1', targetId: 'a', key: null, contentHash: 'h2' });
    await store.saveLink({ flow: 'customers', sourceId: '1', targetId: 'z', key: null, contentHash: null });
    expect((await store.getLink('orders', '1'))?.contentHash).toBe('h2');
    expect((await store.getLink('customers', '1'))?.targetId).toBe('z');
    expect(await store.listLinks('orders')).toHaveLength(1);
    expect(await store.getLink('orders', '2')).toBeUndefined();
  });

  it('keeps a pending write across a crash until it is completed together with its link', async () => {
    const store = open();
    const id = await store.addPendingWrite({
      flow: 'orders',
      sourceId: '7',
      targetEntity: 'eaccounting.orders',
      keyField: 'YourReference',
      keyValue: 'WEB-7',
      contentHash: 'h',
    });
    await store.close(); // "crash" after the intent was recorded

    const after = open();
    const pending = await after.listPendingWrites('orders');
    expect(pending).toEqual([expect.objectContaining({ id, sourceId: '7', keyField: 'YourReference', keyValue: 'WEB-7' })]);
    expect(await after.listPendingWrites('customers')).toEqual([]);

    await after.completePendingWrite(id, { flow: 'orders', sourceId: '7', targetId: 'T7', key: 'WEB-7', contentHash: 'h' });
    expect(await after.listPendingWrites()).toEqual([]);
    expect((await after.getLink('orders', '7'))?.targetId).toBe('T7');

    const other = await after.addPendingWrite({ flow: 'orders', sourceId: '8', targetEntity: 'x.y', keyField: null, keyValue: null, contentHash: null });
    await after.clearPendingWrite(other);
    expect(await after.listPendingWrites()).toEqual([]);
  });

  it('stores tokens per connection and a second connection sees the saved token', async () => {
    const store = open();
    await store.saveToken('eaccounting', { access_token: 'a1', refresh_token: 'r1', expires_at: 1 });
    await store.saveToken('eaccounting', { access_token: 'a2', refresh_token: 'r2', expires_at: 2 });
    const reader = open();
    expect(await reader.loadToken('eaccounting')).toEqual({ access_token: 'a2', refresh_token: 'r2', expires_at: 2 });
    expect(await reader.loadToken('other')).toBeUndefined();
  });

  it('quarantines a failing record once, counts attempts, and resolves it', async () => {
    const store = open();
    const base = { runId: 'r1', flow: 'orders', sourceId: '9', sourceRecord: { id: 9 }, payload: { Rows: [] }, response: null };
    const first = await store.quarantine({ ...base, reason: 'order 9: no eaccounting.articles with Number = "SKU-1"' });
    const second = await store.quarantine({ ...base, runId: 'r2', reason: 'order 9: still missing', response: { ErrorCode: 4000 } });
    expect(second).toBe(first);
    const [entry] = await store.listQuarantine({ flow: 'orders' });
    expect(entry).toMatchObject({ attempts: 2, runId: 'r2', reason: 'order 9: still missing', response: { ErrorCode: 4000 }, resolved: false });
    expect(entry?.sourceRecord).toEqual({ id: 9 });

    await store.resolveQuarantine('orders', '9');
    expect(await store.listQuarantine()).toEqual([]);
    expect(await store.listQuarantine({ includeResolved: true })).toEqual([expect.objectContaining({ resolved: true })]);

    // A later failure of the same record opens a fresh entry instead of reviving the resolved one.
    const third = await store.quarantine({ ...base, reason: 'again' });
    expect(third).not.toBe(first);
  });

  it('logs activity with lineage and filters it by flow, record and action', async () => {
    const store = open();
    const runId = await store.startRun({ flows: ['orders'], dryRun: false });
    const entry = {
      runId,
      flow: 'orders',
      sourceId: '1',
      action: 'create' as const,
      reason: 'no link and no target with YourReference = "WEB-1"',
      dryRun: false,
      targetId: 'T1',
      sourceRecord: { id: 1 },
      payload: { YourReference: 'WEB-1' },
      response: { Id: 'T1' },
      durationMs: 12.5,
      lineage: { YourReference: 'orders.map:20' },
    };
    await store.logActivity(entry);
    await store.logActivity({ ...entry, sourceId: '2', action: 'fail', reason: 'boom', targetId: null });
    await store.finishRun(runId, { orders: { created: 1, failed: 1 } });

    const all = await store.listActivity({ flow: 'orders' });
    expect(all.map((a) => a.sourceId)).toEqual(['2', '1']); // newest first
    expect(all[1]).toMatchObject({ payload: { YourReference: 'WEB-1' }, lineage: { YourReference: 'orders.map:20' }, durationMs: 12.5 });
    expect((await store.listActivity({ actions: ['fail'] })).map((a) => a.sourceId)).toEqual(['2']);
    expect((await store.listActivity({ sourceId: '1' })).map((a) => a.action)).toEqual(['create']);
    expect(await store.getRun(runId)).toMatchObject({ flows: ['orders'], summary: { orders: { created: 1, failed: 1 } } });
    expect((await store.listRuns(5)).map((r) => r.id)).toEqual([runId]);
  });

  it('purges old activity, runs and resolved quarantine, but never open quarantine', async () => {
    let clock = new Date('2026-01-01T00:00:00Z');
    const store = open(() => clock);
    const runId = await store.startRun({ flows: ['orders'], dryRun: false });
    const activity = {
      runId, flow: 'orders', sourceId: 'old', action: 'skip' as const, reason: 'unchanged', dryRun: false,
      targetId: null, sourceRecord: null, payload: null, response: null, durationMs: 1, lineage: null,
    };
    await store.logActivity(activity);
    await store.finishRun(runId, {});
    const q = { runId, flow: 'orders', reason: 'x', sourceRecord: {}, payload: null, response: null };
    await store.quarantine({ ...q, sourceId: 'resolved-old' });
    await store.resolveQuarantine('orders', 'resolved-old');
    await store.quarantine({ ...q, sourceId: 'open-old' });

    clock = new Date('2026-03-01T00:00:00Z');
    await store.logActivity({ ...activity, sourceId: 'new' });
    await store.quarantine({ ...q, sourceId: 'resolved-new' });
    await store.resolveQuarantine('orders', 'resolved-new');

    const counts = await store.purge(new Date('2026-02-01T00:00:00Z'));
    expect(counts).toEqual({ activity: 1, runs: 1, quarantine: 1 });
    expect((await store.listActivity()).map((a) => a.sourceId)).toEqual(['new']);
    const left = (await store.listQuarantine({ includeResolved: true })).map((e) => e.sourceId).sort();
    expect(left).toEqual(['open-old', 'resolved-new']);
  });
});

describe('locks', () => {
  it('keeps a flow lock for a live holder, hands it over when the holder is gone or its lease ran out', async () => {
    let clock = new Date('2026-01-01T00:00:00Z');
    const store = open(() => clock);
    const me = { id: 'run-1', host: 'here', pid: process.pid };
    expect(await store.acquireLock('flow:orders', me, 60_000)).toEqual({ acquired: true });
    // Another run on this host while this process lives: refused, with who holds it.
    const other = { id: 'run-2', host: 'here', pid: process.pid };
    expect(await store.acquireLock('flow:orders', other, 60_000)).toMatchObject({ acquired: false, holder: { id: 'run-1', pid: process.pid } });
    expect(await store.acquireLock('flow:customers', other, 60_000)).toEqual({ acquired: true });
    // Released: free again.
    await store.releaseLock('flow:orders', 'run-1');
    expect(await store.acquireLock('flow:orders', other, 60_000)).toEqual({ acquired: true });
    // A holder whose process is gone (a crashed run) loses the lock at once.
    await store.releaseLock('flow:orders', 'run-2');
    await store.acquireLock('flow:orders', { id: 'crashed', host: 'here', pid: 2 ** 22 + 12345 }, 60_000);
    expect(await store.acquireLock('flow:orders', me, 60_000)).toEqual({ acquired: true });
    // On another host the pid cannot be checked: the lease decides.
    await store.releaseLock('flow:orders', 'run-1');
    await store.acquireLock('flow:orders', { id: 'remote', host: 'elsewhere', pid: 1 }, 60_000);
    expect((await store.acquireLock('flow:orders', me, 60_000)).acquired).toBe(false);
    clock = new Date('2026-01-01T00:02:00Z');
    expect(await store.acquireLock('flow:orders', me, 60_000)).toEqual({ acquired: true });
  });
});

describe('tokenStoreFor', () => {
  it('gives the HTTP client a per-connection TokenStore that survives reopening the file', async () => {
    const { tokenStoreFor } = await import('../../../runtime/state/token-store.js');
    const store = open();
    const tokens = tokenStoreFor(store, 'eaccounting');
    expect(await tokens.load()).toBeUndefined();
    await tokens.save({ accessToken: 'a', refreshToken: 'r', expiresAt: 123, scope: 'ea:api' });
    expect(await tokenStoreFor(store, 'other').load()).toBeUndefined();
    await store.close();
    expect(await tokenStoreFor(open(), 'eaccounting').load()).toEqual({ accessToken: 'a', refreshToken: 'r', expiresAt: 123, scope: 'ea:api' });
  });
});
