import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../runtime/config/load.js';
import { notifySettingsOf } from '../../../runtime/housekeeping.js';
import { Notifier, SqliteNotificationLedger, type EmailSettings, type NotifySettings } from '../../../runtime/notify/index.js';
import { splitSecrets } from '../../../runtime/service/integration-config.js';
import { SqliteStateStore } from '../../../runtime/state/sqlite-store.js';
import { loopbackCertificate, startSmtpReceiver, type SmtpReceiver } from './smtp-receiver.js';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.js';

const PASSWORD = 'smtp-PASSWORD-4c1e9a77b2';
const certificate = loopbackCertificate();
const fast = { attempts: 3, backoffMs: 1 };
const at = new Date('2026-11-29T12:00:00Z');
const REASON = 'ccvshop.orders 1003: mappings/orders.map:142:19: no eaccounting.articles with Number = "NO-SUCH-ARTICLE"';

let dir: string;
let store: SqliteStateStore;
let ledger: SqliteNotificationLedger;
let smtp: SmtpReceiver;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mapline-email-'));
  store = SqliteStateStore.open(join(dir, 'state.sqlite'));
  ledger = SqliteNotificationLedger.open(join(dir, 'state.sqlite'));
  smtp = await startSmtpReceiver({ ...(certificate ? { tls: certificate } : {}), login: { user: 'mapline', password: PASSWORD } });
});

afterEach(async () => {
  await ledger.close();
  await store.close();
  await smtp.close();
  rmSync(dir, { recursive: true, force: true });
});

function email(extra: Partial<EmailSettings> = {}): EmailSettings {
  return {
    host: '127.0.0.1',
    port: smtp.port,
    security: 'starttls',
    user: 'mapline',
    password: PASSWORD,
    from: 'Mapline <mapline@example.com>',
    to: ['ops@example.com', 'shop-owner@example.com'],
    ...(certificate ? { ca: certificate.cert } : {}),
    ...extra,
  };
}

function notifier(settings: Partial<NotifySettings> = {}): Notifier {
  return new Notifier({
    email: email(),
    summaryThreshold: 3,
    delivery: fast,
    context: { integration: 'shop-12', retryCommand: 'mapline integrations run shop-12 --retry-failed', dashboardUrl: 'https://ops.example.com/' },
    ...settings,
  }, ledger);
}

async function fail(sourceId: string, reason = REASON): Promise<void> {
  await store.quarantine({ runId: 'run-1', flow: 'orders', sourceId, reason, sourceRecord: { id: sourceId }, payload: null, response: null });
}

describe.skipIf(!certificate)('e-mail notifications over a real SMTP server (STARTTLS, login)', () => {
  it('mails a failed record naming the integration, flow, record, reason with its .map line, and the fix', async () => {
    await fail('1003');
    const report = await notifier().afterCycle(store, { at, flowErrors: [] });
    expect(report).toEqual({ sent: 1, failed: 0, errors: [] });
    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0]!;
    expect(mail).toMatchObject({ from: 'mapline@example.com', to: ['ops@example.com', 'shop-owner@example.com'], secure: true, user: 'mapline' });
    expect(mail.subject).toBe('[Mapline] shop-12: orders record 1003 failed');
    expect(mail.headers['x-mapline-kind']).toBe('record-failed');
    expect(mail.text).toContain('Integration: shop-12\n');
    expect(mail.text).toContain('Flow: orders\n');
    expect(mail.text).toContain('Record: 1003 (attempt 1,');
    expect(mail.text).toContain(`Reason: ${REASON}\n`);
    expect(mail.text).toContain('Where: mappings/orders.map:142:19\n');
    expect(mail.text).toContain('Fix: Correct mappings/orders.map at line 142 (or record 1003 in its system), then retry the record.');
    expect(mail.text).toContain('Retry: mapline integrations run shop-12 --retry-failed --flow orders');
    expect(mail.text).toContain('Or in the dashboard: https://ops.example.com/#failures/shop-12');
    expect(mail.text).toContain('History: mapline logs --flow orders --record 1003');

    // Once per failure: the same open entry failing again is not mailed again.
    await fail('1003');
    expect((await notifier().afterCycle(store, { at, flowErrors: [] })).sent).toBe(0);
    expect(smtp.received).toHaveLength(1);
  });

  it('many failures at once are one summary mail; a failed run is mailed once, its recovery once', async () => {
    for (const id of ['1', '2', '3', '4']) await fail(id, `ccvshop.orders ${id}: mappings/orders.map:${10 + Number(id)}:5: no customer`);
    await notifier().afterCycle(store, { at, flowErrors: [{ flow: 'customers', message: 'eaccounting refused the credentials (401)' }] });
    expect(smtp.received.map((m) => m.subject)).toEqual(['[Mapline] shop-12: the run failed', '[Mapline] shop-12: 4 records failed']);
    const [failedRun, summary] = smtp.received as [typeof smtp.received[0], typeof smtp.received[0]];
    expect(failedRun.text).toContain('  customers: eaccounting refused the credentials (401)');
    expect(failedRun.text).toContain('Retry: mapline integrations run shop-12\n');
    expect(summary.text).toContain('Failed: 4 in orders');
    expect(summary.text).toContain('Where: mappings/orders.map:14:5');
    expect(summary.text).toContain('Retry: mapline integrations run shop-12 --retry-failed');

    await notifier().afterCycle(store, { at, flowErrors: [{ flow: 'customers', message: 'still refused' }] });
    expect(smtp.received).toHaveLength(2);
    await notifier().afterCycle(store, { at, flowErrors: [] });
    expect(smtp.received.map((m) => m.subject).at(-1)).toBe('[Mapline] shop-12: running again');
  });

  it('a refused login is not retried, names the server but never the password, and the mail goes out once the password is right', async () => {
    await fail('7');
    const wrong = 'wrong-PASSWORD-e3b0c442';
    const report = await notifier({ email: email({ password: wrong }) }).afterCycle(store, { at, flowErrors: [] });
    expect(report.failed).toBe(1);
    expect(report.errors[0]).toMatch(new RegExp(`^e-mail via 127\\.0\\.0\\.1:${smtp.port} answered 535`));
    expect(report.errors.join('\n')).not.toContain(wrong);
    expect(report.errors.join('\n')).not.toContain(PASSWORD);
    expect(smtp.logins.filter((l) => !l.ok)).toHaveLength(1); // a 5yz answer: no second attempt
    expect(smtp.received).toHaveLength(0);

    await notifier().afterCycle(store, { at, flowErrors: [] });
    expect(smtp.received.map((m) => m.subject)).toEqual(['[Mapline] shop-12: orders record 7 failed']);
  });

  it('retries a transient 451 and delivers', async () => {
    await fail('8');
    smtp.failNext = 2;
    expect(await notifier().afterCycle(store, { at, flowErrors: [] })).toMatchObject({ sent: 1, failed: 0 });
    expect(smtp.received).toHaveLength(1);
  });

  it('refuses to send in clear when STARTTLS is required and the server does not offer it', async () => {
    const plain = await startSmtpReceiver();
    try {
      await fail('9');
      const report = await notifier({ email: email({ port: plain.port, user: undefined }) }).afterCycle(store, { at, flowErrors: [] });
      expect(report.failed).toBe(1);
        expect(report.errors[0]).toMatch(/^e-mail via 127\.0\.0\.1:\d+ .*STARTTLS/);
      expect(plain.received).toHaveLength(0);
    } finally {
      await plain.close();
    }
  });

  describe('with the webhook too', () => {
    let webhook: WebhookReceiver;
    beforeEach(async () => {
      webhook = await startWebhookReceiver();
    });
    afterEach(async () => {
      await webhook.close();
    });

    it('a mail server that is down misses nothing and does not make the webhook repeat itself', async () => {
      await fail('21');
      await smtp.close();
      const down = await notifier({ webhook: webhook.url, email: email({ port: 1 }) }).afterCycle(store, { at, flowErrors: [] });
      expect(down).toMatchObject({ sent: 1, failed: 1 });
      expect(webhook.received).toEqual([expect.objectContaining({ kind: 'record-failed', integration: 'shop-12', recordId: '21', location: { file: 'mappings/orders.map', line: 142, column: 19 } })]);

      smtp = await startSmtpReceiver({ ...(certificate ? { tls: certificate } : {}), login: { user: 'mapline', password: PASSWORD } });
      await fail('22');
      const up = await notifier({ webhook: webhook.url }).afterCycle(store, { at, flowErrors: [] });
      expect(up).toMatchObject({ sent: 3, failed: 0 });
      expect(webhook.received.map((m) => (m as { recordId: string }).recordId)).toEqual(['21', '22']);
      expect(smtp.received.map((m) => m.subject)).toEqual(['[Mapline] shop-12: orders record 21 failed', '[Mapline] shop-12: orders record 22 failed']);

      await notifier({ webhook: webhook.url }).afterCycle(store, { at, flowErrors: [] });
      expect(webhook.received).toHaveLength(2);
      expect(smtp.received).toHaveLength(2);
    });
  });
});

describe('notify.email in the config', () => {
  const base = { connections: {}, flows: [{ file: 'mappings/orders.map' }] };
  const mail = { host: 'smtp.example.com', user: 'mapline', from: 'mapline@example.com', to: ['ops@example.com'] };

  it('defaults to STARTTLS on 587 (465 with tls); the password comes from the environment or an env: reference', () => {
    expect(parseConfig({ ...base, notify: { email: mail } }, '/x/shop-3/mapline.config.json').notify).toEqual({
      email: { ...mail, port: 587, security: 'starttls' },
      summaryThreshold: 5,
      attempts: 4,
    });
    expect(parseConfig({ ...base, notify: { email: { ...mail, security: 'tls' } } }, '/x/c.json').notify?.email?.port).toBe(465);
    const fromEnv = parseConfig({ ...base, notify: { email: { ...mail, password: 'in-file' } } }, '/x/c.json', { MAPLINE_NOTIFY_SMTP_PASSWORD: 'from-env' });
    expect(fromEnv.notify?.email?.password).toBe('from-env');
    expect(parseConfig({ ...base, notify: { email: { ...mail, password: 'env:SHOP3_SMTP' } } }, '/x/c.json', { SHOP3_SMTP: 'referenced' }).notify?.email?.password).toBe('referenced');
    expect(() => parseConfig({ ...base, notify: { email: { ...mail, password: 'env:NOPE' } } }, '/x/c.json')).toThrow(/notify\.email\.password refers to the environment variable NOPE, which is not set/);
    expect(() => parseConfig({ ...base, notify: { email: { ...mail, to: [] } } }, '/x/c.json')).toThrow(/notify\.email\.to: must NOT have fewer than 1 items/);
    expect(() => parseConfig({ ...base, notify: { email: { ...mail, caFile: 'no-such.pem' } } }, '/x/c.json')).toThrow(/notify\.email\.caFile: no such file \/x\/no-such\.pem/);
  });

  it('one-shop messages name the integration by its folder and retry with its config; service mode seals the password', () => {
    const config = parseConfig({ ...base, notify: { email: mail, dashboardUrl: 'http://127.0.0.1:4174' } }, '/x/shop-3/mapline.config.json');
    expect(notifySettingsOf(config)?.context).toEqual({
      integration: 'shop-3',
      retryCommand: 'mapline run --retry-failed --config /x/shop-3/mapline.config.json',
      dashboardUrl: 'http://127.0.0.1:4174/',
    });
    const { config: stored, secrets } = splitSecrets({ ...base, notify: { email: { ...mail, password: PASSWORD } } });
    expect(secrets.get('notify.email.password')).toBe(PASSWORD);
    expect(JSON.stringify(stored)).not.toContain(PASSWORD);
    const referenced = splitSecrets({ ...base, notify: { email: { ...mail, password: 'env:SHOP3_SMTP' } } });
    expect(referenced.secrets.size).toBe(0);
  });
});

// The CA file is read when the settings are made (a missing one is a config error, above).
it('reads notify.email.caFile into the trusted certificates', () => {
  const folder = mkdtempSync(join(tmpdir(), 'mapline-ca-'));
  try {
    writeFileSync(join(folder, 'ca.pem'), 'PEM TEXT');
    const config = parseConfig({ connections: {}, flows: [], notify: { email: { host: 'h', from: 'f@x', to: ['t@x'], caFile: 'ca.pem' } } }, join(folder, 'c.json'));
    expect(notifySettingsOf(config)?.email?.ca).toBe('PEM TEXT');
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
