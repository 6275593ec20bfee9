import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteNotificationLedger, Notifier, deliver, type NotifySettings } from '../../../runtime/notify/index.js';
import { SqliteStateStore } from '../../../runtime/state/sqlite-store.js';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.js';

let dir: string;
let store: SqliteStateStore;
let ledger: SqliteNotificationLedger;
let receiver: WebhookReceiver;
const fast = { attempts: 3, backoffMs: 1 };

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mapline-notify-'));
  store = SqliteStateStore.open(join(dir, 'state.sqlite'));
  ledger = SqliteNotificationLedger.open(join(dir, 'state.sqlite'));
  receiver = await startWebhookReceiver();
});

afterEach(async () => {
  await ledger.close();
  await store.close();
  await receiver.close();
  rmSync(dir, { recursive: true, force: true });
});

function notifier(extra: Partial<NotifySettings> = {}): Notifier {
  return new Notifier({ webhook: receiver.url, summaryThreshold: 3, delivery: fast, ...extra }, ledger);
}

async function fail(sourceId: string, reason = `no article SKU-${sourceId}`): Promise<void> {
  await store.quarantine({ runId: 'run-1', flow: 'orders', sourceId, reason, sourceRecord: { id: sourceId }, payload: null, response: null });
}

const at = new Date('2026-11-29T12:00:00Z');

describe('Notifier', () => {
  it('posts each failed record once, with flow, record id, reason and where the log is', async () => {
    await fail('41');
    await fail('42');
    const first = await notifier().afterCycle(store, { at, flowErrors: [] });
    expect(first).toMatchObject({ sent: 2, failed: 0 });
    expect(receiver.received).toEqual([
      expect.objectContaining({ kind: 'record-failed', flow: 'orders', recordId: '41', reason: 'no article SKU-41', log: expect.objectContaining({ runId: 'run-1', command: 'mapline logs --flow orders --record 41' }) }),
      expect.objectContaining({ kind: 'record-failed', recordId: '42' }),
    ]);

    await fail('42', 'still failing'); // the same open entry: attempts 2, no new notification
    const second = await notifier().afterCycle(store, { at, flowErrors: [] });
    expect(second.sent).toBe(0);
    expect(receiver.received).toHaveLength(2);
  });

  it('a record that went through and fails again later is a new failure, notified again', async () => {
    await fail('7');
    await notifier().afterCycle(store, { at, flowErrors: [] });
    await store.resolveQuarantine('orders', '7');
    await fail('7', 'fails again');
    await notifier().afterCycle(store, { at, flowErrors: [] });
    expect(receiver.received.map((m) => (m as { reason: string }).reason)).toEqual(['no article SKU-7', 'fails again']);
  });

  it('sends one summary instead of many when more than the threshold fail at once', async () => {
    for (const id of ['1', '2', '3', '4', '5']) await fail(id);
    const report = await notifier().afterCycle(store, { at, flowErrors: [] });
    expect(report.sent).toBe(1);
    expect(receiver.received).toEqual([expect.objectContaining({ kind: 'records-failed', count: 5, byFlow: { orders: 5 } })]);
    expect((receiver.received[0] as { sample: unknown[] }).sample).toHaveLength(5);
    await notifier().afterCycle(store, { at, flowErrors: [] });
    expect(receiver.received).toHaveLength(1);
  });

  it('retries a failing webhook with backoff and delivers', async () => {
    await fail('9');
    receiver.failNext = 2;
    const report = await notifier().afterCycle(store, { at, flowErrors: [] });
    expect(report).toMatchObject({ sent: 1, failed: 0 });
    expect(receiver.hits).toBe(3);
  });

  it('a webhook that stays down does not throw, names no secret, and the message goes out on a later cycle', async () => {
    await fail('9');
    receiver.failNext = 10;
    const report = await notifier().afterCycle(store, { at, flowErrors: [] });
    expect(report.failed).toBe(1);
    expect(report.errors[0]).toMatch(/answered 500, after 3 attempts/);
    expect(report.errors[0]).not.toContain('secret-token');
    receiver.failNext = 0;
    await notifier().afterCycle(store, { at, flowErrors: [] });
    expect(receiver.received).toEqual([expect.objectContaining({ recordId: '9' })]);
  });

  it('announces a failed cycle once per outage, and its recovery', async () => {
    const down = { at, failure: 'connect ECONNREFUSED 127.0.0.1:1', flowErrors: [] };
    await notifier().afterCycle(store, down);
    await notifier().afterCycle(store, down);
    await notifier().afterCycle(store, { at: new Date('2026-11-29T12:10:00Z'), flowErrors: [] });
    expect(receiver.received).toEqual([
      expect.objectContaining({ kind: 'cycle-failed', reason: 'connect ECONNREFUSED 127.0.0.1:1' }),
      expect.objectContaining({ kind: 'cycle-recovered', failedSince: at.toISOString() }),
    ]);
  });
});

describe('deliver', () => {
  it('does not retry a 4xx refusal other than 429, and reports an unreachable receiver', async () => {
    const refused = await deliver('http://127.0.0.1:1/hook', { x: 1 }, fast);
    expect(refused).toMatchObject({ ok: false, attempts: 3 });
    expect(!refused.ok && refused.error).toMatch(/unreachable/);
  });
});
