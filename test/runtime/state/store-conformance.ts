import { describe, expect, it } from 'vitest';
import type { StateStore } from '../../../runtime/state/store.js';

/**
 * The store conformance suite: what every `StateStore` must do, run against each implementation (SQLite in
 * `sqlite-store.test.ts`, PostgreSQL in `pg-store.test.ts`), so the two cannot drift apart. `open` gives another
 * handle on the same state (closing one and opening the next is how a test "crashes"); the hooks of the calling
 * file give every test fresh, empty state and close what it opened.
 */
export function describeStoreConformance(label: string, open: (now?: () => Date) => Promise<StateStore>): void {
  describe(`${label}: the StateStore contract`, () => {
    it('replaces a link and keeps links per flow apart', async () => {
      const store = await open();
      await store.saveLink({ flow: 'orders', sourceId: '1', targetId: 'a', key: null, contentHash: 'h1' });
      await store.saveLink({ flow: 'orders', sourceId: '1', targetId: 'a', key: null, contentHash: 'h2' });
      await store.saveLink({ flow: 'customers', sourceId: '1', targetId: 'z', key: null, contentHash: null });
      expect((await store.getLink('orders', '1'))?.contentHash).toBe('h2');
      expect((await store.getLink('customers', '1'))?.targetId).toBe('z');
      expect(await store.listLinks('orders')).toHaveLength(1);
      expect(await store.getLink('orders', '2')).toBeUndefined();
    });

    it('keeps a pending write across a crash until it is completed together with its link', async () => {
      const store = await open();
      const id = await store.addPendingWrite({
        flow: 'orders',
        sourceId: '7',
        targetEntity: 'eaccounting.orders',
        keyField: 'YourReference',
        keyValue: 'WEB-7',
        contentHash: 'h',
      });
      await store.close(); // "crash" after the intent was recorded

      const after = await open();
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

    it('resolves the quarantine entry of a record in the same step that links it', async () => {
      const store = await open();
      const id = await store.addPendingWrite({ flow: 'customers', sourceId: '5', targetEntity: 'eaccounting.customers', keyField: 'EmailAddress', keyValue: 'a@b.nl', contentHash: 'h' });
      const base = { runId: 'r1', sourceRecord: { id: 5 }, payload: null, response: null, reason: 'customers 5: the create may or may not have happened' };
      await store.quarantine({ ...base, flow: 'customers', sourceId: '5' });
      await store.quarantine({ ...base, flow: 'customers', sourceId: '6' });
      await store.quarantine({ ...base, flow: 'orders', sourceId: '5' });
      await store.completePendingWrite(id, { flow: 'customers', sourceId: '5', targetId: 'C5', key: 'a@b.nl', contentHash: 'h' });
      await store.close(); // a crash right after linking: nothing else runs for this record
      const after = await open();
      expect((await after.listQuarantine()).map((e) => `${e.flow} ${e.sourceId}`).sort()).toEqual(['customers 6', 'orders 5']);
    });

    it('stores tokens per connection and a second connection sees the saved token', async () => {
      const store = await open();
      await store.saveToken('eaccounting', { access_token: 'a1', refresh_token: 'r1', expires_at: 1 });
      await store.saveToken('eaccounting', { access_token: 'a2', refresh_token: 'r2', expires_at: 2 });
      const reader = await open();
      expect(await reader.loadToken('eaccounting')).toEqual({ access_token: 'a2', refresh_token: 'r2', expires_at: 2 });
      expect(await reader.loadToken('other')).toBeUndefined();
    });

    it('quarantines a failing record once, counts attempts, and resolves it', async () => {
      const store = await open();
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
      const store = await open();
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
      const store = await open(() => clock);
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

  describe('locks', () => {
    it('keeps a flow lock for a live holder, hands it over when the holder is gone or its lease ran out', async () => {
      let clock = new Date('2026-01-01T00:00:00Z');
      const store = await open(() => clock);
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

    it('renews a held lease (the heartbeat of a long run), and says so when the lock was lost', async () => {
      let clock = new Date('2026-01-01T00:00:00Z');
      const store = await open(() => clock);
      const remote = { id: 'remote-run', host: 'elsewhere', pid: 1 };
      const me = { id: 'run-1', host: 'here', pid: process.pid };
      expect(await store.acquireLock('flow:orders', remote, 60_000)).toEqual({ acquired: true });
      // Renewed 50 s in, the lease runs to 1:50: at 1:30 the holder still counts as alive.
      clock = new Date('2026-01-01T00:00:50Z');
      expect(await store.renewLock('flow:orders', 'remote-run', 60_000)).toBe(true);
      clock = new Date('2026-01-01T00:01:30Z');
      expect((await store.acquireLock('flow:orders', me, 60_000)).acquired).toBe(false);
      // Not renewed again: past its lease another run takes it, and the old holder's renewal is refused.
      clock = new Date('2026-01-01T00:02:00Z');
      expect(await store.acquireLock('flow:orders', me, 60_000)).toEqual({ acquired: true });
      expect(await store.renewLock('flow:orders', 'remote-run', 60_000)).toBe(false);
      expect(await store.renewLock('flow:customers', 'run-1', 60_000)).toBe(false);
      expect(await store.renewLock('flow:orders', 'run-1', 60_000)).toBe(true);
    });
  });

  describe('tokenStoreFor', () => {
    it('gives the HTTP client a per-connection TokenStore that survives reopening the file', async () => {
      const { tokenStoreFor } = await import('../../../runtime/state/token-store.js');
      const store = await open();
      const tokens = tokenStoreFor(store, 'eaccounting');
      expect(await tokens.load()).toBeUndefined();
      await tokens.save({ accessToken: 'a', refreshToken: 'r', expiresAt: 123, scope: 'ea:api' });
      expect(await tokenStoreFor(store, 'other').load()).toBeUndefined();
      await store.close();
      expect(await tokenStoreFor(await open(), 'eaccounting').load()).toEqual({ accessToken: 'a', refreshToken: 'r', expiresAt: 123, scope: 'ea:api' });
    });
  });

    it('keeps JSON documents exactly: NUL escapes, lone surrogates, key order, nested nulls', async () => {
      const store = await open();
      // What broken shop data brings (the bad-data proof sends both); PostgreSQL's jsonb would refuse them.
      const record = { z: 1, a: 'nul \u0000 here', s: 'lone \ud800 surrogate', nested: { b: null, a: [1, '2', { x: true }] } };
      const runId = await store.startRun({ flows: ['orders'], dryRun: false });
      await store.quarantine({ runId, flow: 'orders', sourceId: 'odd', reason: 'bad data', sourceRecord: record, payload: record, response: null });
      await store.logActivity({
        runId, flow: 'orders', sourceId: 'odd', action: 'fail', reason: 'bad data', dryRun: false, targetId: null,
        sourceRecord: record, payload: null, response: record, durationMs: 1, lineage: null,
      });
      const [entry] = await store.listQuarantine();
      expect(JSON.stringify(entry!.sourceRecord)).toBe(JSON.stringify(record));
      expect(JSON.stringify(entry!.payload)).toBe(JSON.stringify(record));
      const [logged] = await store.listActivity();
      expect(JSON.stringify(logged!.response)).toBe(JSON.stringify(record));
    });

    it('keeps a record id holding a NUL character findable (bad shop data must not fail the statement)', async () => {
      const store = await open();
      await store.saveLink({ flow: 'orders', sourceId: 'a\u0000b', targetId: 'T', key: 'k\u0000', contentHash: null });
      expect((await store.getLink('orders', 'a\u0000b'))?.targetId).toBe('T');
      await store.deleteLink('orders', 'a\u0000b');
      expect(await store.getLink('orders', 'a\u0000b')).toBeUndefined();
    });

    it('forgets a deleted link, keeps cursors per flow, and lists runs newest first', async () => {
      const store = await open();
      await store.saveLink({ flow: 'orders', sourceId: '1', targetId: 'a', key: null, contentHash: null });
      await store.saveLink({ flow: 'orders', sourceId: '2', targetId: 'b', key: null, contentHash: null });
      await store.deleteLink('orders', '1');
      expect((await store.listLinks('orders')).map((l) => l.sourceId)).toEqual(['2']);
      expect(await store.getCursor('orders')).toBeUndefined();
      await store.saveCursor('orders', 'c1');
      await store.saveCursor('orders', 'c2');
      await store.saveCursor('stock', 's1');
      expect(await store.getCursor('orders')).toBe('c2');
      expect(await store.getCursor('stock')).toBe('s1');
      const first = await store.startRun({ flows: ['orders'], dryRun: false });
      const second = await store.startRun({ flows: ['orders', 'stock'], dryRun: true });
      expect((await store.listRuns(10)).map((r) => r.id)).toEqual([second, first]);
      expect(await store.getRun(second)).toMatchObject({ flows: ['orders', 'stock'], dryRun: true, finishedAt: null, summary: null });
      expect(await store.getRun('no-such-run')).toBeUndefined();
    });

    it('gives a flow lock to exactly one of two runs asking at once', async () => {
      const [a, b] = [await open(), await open()];
      const results = await Promise.all([
        a.acquireLock('flow:orders', { id: 'run-a', host: 'here', pid: process.pid }, 60_000),
        b.acquireLock('flow:orders', { id: 'run-b', host: 'here', pid: process.pid }, 60_000),
      ]);
      expect(results.filter((r) => r.acquired)).toHaveLength(1);
    });
  });
}
