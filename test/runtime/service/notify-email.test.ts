import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addIntegration } from '../../../runtime/service/add-integration.js';
import { IntegrationRegistry } from '../../../runtime/service/registry.js';
import { runIntegration } from '../../../runtime/service/run-integration.js';
import { PgStateStore } from '../../../runtime/state/pg-store.js';
import { postgresForTests, useServiceDatabase } from '../../helpers/postgres.js';
import { loopbackCertificate, startSmtpReceiver, type SmtpReceiver } from '../notify/smtp-receiver.js';

const postgres = await postgresForTests(import.meta.filename);
const certificate = loopbackCertificate();
const PASSWORD = 'svc-smtp-PASSWORD-90af13';
const key = randomBytes(32).toString('base64');
const repoRoot = join(import.meta.dirname, '../../..');

describe.skipIf(!postgres || !certificate)('service mode e-mail notifications name the integration', () => {
  const service = useServiceDatabase();
  let smtp: SmtpReceiver;
  let dir: string;

  beforeAll(async () => {
    smtp = await startSmtpReceiver({ tls: certificate!, login: { user: 'mapline', password: PASSWORD } });
    dir = mkdtempSync(join(tmpdir(), 'mapline-svc-email-'));
    const config = join(dir, 'mapline.config.json');
    writeFileSync(
      config,
      JSON.stringify({
        // Nothing listens on port 9: the run fails as a whole, as with an API that is down.
        connections: {
          ccvshop: { baseUrl: 'http://127.0.0.1:9/api/rest/v1', publicKey: 'k', secret: 's' },
          eaccounting: { baseUrl: 'http://127.0.0.1:9/v2', identityUrl: 'http://127.0.0.1:9', clientId: 'c', clientSecret: 's' },
        },
        flows: [{ file: join(repoRoot, 'mappings', 'orders.map') }],
        notify: {
          email: { host: '127.0.0.1', port: smtp.port, security: 'starttls', user: 'mapline', password: PASSWORD, from: 'mapline@example.com', to: ['ops@example.com'], caFile: join(dir, 'ca.pem') }, // a file on the worker's machine: absolute in service mode
          attempts: 1,
        },
      }),
    );
    writeFileSync(join(dir, 'ca.pem'), certificate!.cert);
    const added = await addIntegration(service.db, { name: 'shop-12', configFile: config, env: { MAPLINE_SECRET_KEY: key } });
    if (added.kind !== 'added') throw new Error('the test integration does not compile');
    expect(added.sealed).toContain('notify.email.password');
  });
  afterAll(async () => {
    await smtp?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a run of shop-12 mails its failed run and its failed record, with the integration run command as the fix', async () => {
    const integration = await new IntegrationRegistry(service.db).require('shop-12');
    expect(JSON.stringify(integration.config)).not.toContain(PASSWORD);
    const store = PgStateStore.open(service.db.pool, integration);
    await store.quarantine({ runId: null, flow: 'orders', sourceId: '1003', reason: 'ccvshop.orders 1003: mappings/orders.map:142:19: no eaccounting.articles with Number = "X"', sourceRecord: { id: 1003 }, payload: null, response: null });
    await store.close();

    const report = await runIntegration(service.db, { name: 'shop-12', env: { MAPLINE_SECRET_KEY: key } });
    expect(report.failure ?? report.outcome).toBeDefined();
    expect(report.housekeeping?.warnings).toEqual([]);
    expect(report.housekeeping?.notifications).toMatchObject({ sent: 2, failed: 0 });
    expect(smtp.received.map((m) => m.subject)).toEqual(['[Mapline] shop-12: the run failed', '[Mapline] shop-12: orders record 1003 failed']);
    const [run, record] = smtp.received as [(typeof smtp.received)[0], (typeof smtp.received)[0]];
    expect(run.text).toContain('Integration: shop-12\n');
    expect(run.text).toContain('Retry: mapline integrations run shop-12\n');
    expect(record.text).toContain('Where: mappings/orders.map:142:19');
    expect(record.text).toContain('Retry: mapline integrations run shop-12 --retry-failed --flow orders');
    expect(smtp.logins).toEqual([{ user: 'mapline', password: PASSWORD, ok: true }, { user: 'mapline', password: PASSWORD, ok: true }]);

    // The service ledger remembers: a second run mails nothing new.
    await runIntegration(service.db, { name: 'shop-12', env: { MAPLINE_SECRET_KEY: key } });
    expect(smtp.received).toHaveLength(2);
  });
});
