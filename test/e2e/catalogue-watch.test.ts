import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MaplineMetrics, METRIC, serveMetrics } from '../../runtime/metrics/index.js';
import { authorizeSandboxConnections } from '../../runtime/config/sandbox-auth.js';
import { createWatchCycle } from '../../runtime/watch/index.js';
import { startWebhookReceiver, type WebhookReceiver } from '../runtime/notify/webhook-receiver.js';
import { runCliAsync } from '../helpers/cli.js';
import { putProduct, repoRoot, startCatalogueEnv, type CatalogueEnv, type FlowFile } from './catalogue-env.js';

/** Watch cycles over the sandboxes: failure and recovery, notifications, metrics, retention; and the CLI's stop. */
const flows: FlowFile[] = [{ file: 'mappings/stock.map' }, { file: 'mappings/products-to-accounting.map' }];

let env: CatalogueEnv;
let receiver: WebhookReceiver;

/** A shop product eAccounting cannot take (article numbers are at most 40 characters): one failed record per cycle. */
function putBadProduct(): void {
  putProduct(env, { productnumber: `E2E-${'X'.repeat(40)}`, name: 'Too long a number' });
}

beforeAll(async () => {
  env = await startCatalogueEnv(flows);
  receiver = await startWebhookReceiver();
});
afterAll(async () => {
  await receiver.close();
  await env.close();
});

describe('watch cycles against the sandboxes', () => {
  it('a cycle that fails (eAccounting answers 500 to everything) is followed by one that succeeds; the webhook hears both, metrics count it all', async () => {
    const metrics = new MaplineMetrics();
    const server = await serveMetrics(metrics.registry, 0);
    const cycle = createWatchCycle({
      config: env.configWith(flows),
      request: { prepareConnections: authorizeSandboxConnections },
      metrics,
      notify: { webhook: receiver.url, summaryThreshold: 3, delivery: { attempts: 2, backoffMs: 1 } },
    });
    try {
      expect((await cycle(1)).ok).toBe(true);

      env.sandboxes.eaccounting.control.setFaults({ errorRate: 1, errorStatus: 500 });
      const failed = await cycle(2);
      env.sandboxes.eaccounting.control.setFaults({ errorRate: 0 });
      expect(failed.ok).toBe(false);
      // stock cannot read its source; shop_products still runs: its records are all linked, it needs no eAccounting call.
      expect(failed.outcome?.kind === 'ran' && failed.outcome.result.errors.map((e) => e.flow)).toEqual(['stock']);

      putBadProduct();
      const recovered = await cycle(3);
      expect(recovered.ok).toBe(true);
      const kinds = receiver.received.map((m) => (m as { kind: string }).kind);
      // The outage: one message for the cycle, one summary for the 40 shop products that could not be matched.
      expect(kinds).toEqual(['cycle-failed', 'records-failed', 'cycle-recovered', 'record-failed']);
      expect(receiver.received[1]).toMatchObject({ count: 40, byFlow: { shop_products: 40 } });
      expect(receiver.received[3]).toMatchObject({ flow: 'shop_products', recordId: expect.any(String), reason: expect.stringMatching(/Number/), log: { command: expect.stringMatching(/^mapline logs --flow shop_products --record /) } });

      await cycle(4); // the same record fails again: no second message
      expect(receiver.received).toHaveLength(4);

      const text = await (await fetch(server.url)).text();
      expect(text).toMatch(new RegExp(`${METRIC.apiCalls}\\{connector="eaccounting"\\} [1-9]`));
      expect(text).toMatch(new RegExp(`${METRIC.apiCalls}\\{connector="ccvshop"\\} [1-9]`));
      expect(text).toContain(`${METRIC.records}{action="fail",flow="shop_products"} 42`);
      expect(text).toContain(`${METRIC.flowErrors}{flow="stock"} 1`);
      expect(text).toContain(`${METRIC.cycles}{outcome="failed"} 1`);
      expect(text).toContain(`${METRIC.cycles}{outcome="ok"} 3`);
      expect(text).toMatch(new RegExp(`${METRIC.lastSuccess}\\{flow="stock"\\} \\d{10}\\n`));
    } finally {
      await server.close();
    }
  });

  it('purges activity older than the retention, and resolved quarantine, but keeps open quarantine (a cycle on a clock 31 days on)', async () => {
    const config = env.configWith(flows);
    putBadProduct();
    await createWatchCycle({ config, request: { prepareConnections: authorizeSandboxConnections } })(1);
    let store = env.state();
    // A failure that has since gone through: resolved, so the retention may purge it.
    await store.quarantine({ runId: null, flow: 'stock', sourceId: 'resolved-1', reason: 'was down', sourceRecord: {}, payload: null, response: null });
    await store.resolveQuarantine('stock', 'resolved-1');
    const before = await store.listActivity({ limit: 10_000 });
    const open = await store.listQuarantine();
    const all = await store.listQuarantine({ includeResolved: true });
    await store.close();
    expect(before.length).toBeGreaterThan(0);
    expect(open.length).toBeGreaterThan(0);
    expect(all.length).toBeGreaterThan(open.length);

    const aged = () => new Date(Date.now() + 31 * 86_400_000);
    const report = await createWatchCycle({ config, request: { prepareConnections: authorizeSandboxConnections }, now: aged })(2);
    expect(report.purged!.activity).toBeGreaterThanOrEqual(before.length);
    store = env.state();
    try {
      expect(await store.listActivity({ limit: 10_000 })).toEqual([]);
      expect((await store.listQuarantine({ includeResolved: true })).map((e) => e.id)).toEqual(open.map((e) => e.id));
    } finally {
      await store.close();
    }
  });
});

/** A config file as a merchant writes it: both sandboxes, the two flows, failures notified to the receiver. */
function writeNotifyingConfig(name: string): string {
  const configFile = join(env.dir, `${name}.config.json`);
  const { ccvshop, eaccounting } = env.sandboxes;
  writeFileSync(
    configFile,
    JSON.stringify({
      state: join(env.dir, `${name}-state.sqlite`),
      connections: {
        ccvshop: { baseUrl: ccvshop.baseUrl, publicKey: ccvshop.publicKey, secret: ccvshop.secret, rateLimits: false },
        eaccounting: { baseUrl: eaccounting.baseUrl, identityUrl: eaccounting.origin, clientId: eaccounting.clientId, clientSecret: eaccounting.clientSecret, rateLimits: false },
      },
      flows: [{ file: join(repoRoot, 'mappings/stock.map') }, { file: join(repoRoot, 'mappings/products-to-accounting.map') }],
      notify: { webhook: receiver.url },
    }),
  );
  return configFile;
}

describe('mapline run once (from cron)', () => {
  it('notifies the configured webhook of a failed record, once: the next run does not repeat it', async () => {
    putBadProduct();
    receiver.received.length = 0;
    const configFile = writeNotifyingConfig('cron');
    const first = await runCliAsync(['run', '--config', configFile]);
    expect(first.status).toBe(1);
    expect(first.stdout).toMatch(/shop_products: 1 failed/);
    expect(receiver.received).toEqual([expect.objectContaining({ kind: 'record-failed', flow: 'shop_products' })]);

    const second = await runCliAsync(['run', '--config', configFile]);
    expect(second.status).toBe(1); // still failing, still quarantined
    expect(receiver.received).toHaveLength(1);
  });
});

describe('mapline run --watch', () => {
  it('runs cycles until SIGTERM, then stops after the current cycle and exits 0; notifies the configured webhook', async () => {
    putBadProduct();
    receiver.received.length = 0;
    const configFile = writeNotifyingConfig('watch');
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'cli/entry.ts'), 'run', '--watch', '--interval', '1h', '--metrics-port', '0', '--config', configFile], { cwd: repoRoot });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (c: Buffer) => {
        stdout += c.toString();
        if (/cycle 1 /.test(stdout)) resolve();
      });
      child.on('close', () => resolve());
    });
    const metricsUrl = /metrics at (\S+?)[;.]? /.exec(stdout)?.[1];
    expect(metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect(await (await fetch(metricsUrl!)).text()).toContain(`${METRIC.cycles}{outcome="ok"} 1`);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stdout).toMatch(/cycle 1 ok: stock read \d+ .*; shop_products read \d+ .* failed 1 /);
    expect(stdout).toContain('Stopped.');
    expect(stderr).toContain('SIGTERM, stopping after the current cycle');
    expect(stdout).toContain('failures notified by webhook');
    expect(receiver.received).toEqual([expect.objectContaining({ kind: 'record-failed', flow: 'shop_products' })]);
  });
});
