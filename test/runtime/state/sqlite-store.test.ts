import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../../runtime/state/migrations.js';
import { SqliteStateStore } from '../../../runtime/state/sqlite-store.js';
import { describeStoreConformance } from './store-conformance.js';

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

describe('SqliteStateStore: the file', () => {
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
});

describeStoreConformance('SqliteStateStore', async (now) => open(now));
