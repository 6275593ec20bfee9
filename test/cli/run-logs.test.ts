import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retireMostOrderedArticle, startEnv, type Env } from '../runtime/engine/helpers.js';
import { repoRoot, runCliAsync } from '../helpers/cli.js';
import { createdRecords } from '../helpers/created.js';

const cli = runCliAsync;

let env: Env;
let configFile: string;

beforeAll(async () => {
  env = await startEnv(['mappings/orders.map']);
  retireMostOrderedArticle(env); // some orders fail, whatever the seed
  configFile = join(env.dir, 'mapline.config.json');
  // The secret comes from the environment, as a merchant would set it; the file holds none.
  const { ccvshop, eaccounting } = env.sandboxes;
  writeFileSync(
    configFile,
    JSON.stringify({
      state: env.config.state,
      connections: {
        ccvshop: { baseUrl: ccvshop.baseUrl, publicKey: ccvshop.publicKey, rateLimits: false },
        eaccounting: { baseUrl: eaccounting.baseUrl, identityUrl: eaccounting.origin, clientId: eaccounting.clientId, clientSecret: eaccounting.clientSecret },
      },
      flows: [{ file: join(repoRoot, 'mappings/orders.map'), flows: ['orders'], settings: { our_reference: 'CLI test' } }],
    }),
  );
});
afterAll(async () => {
  await env.close();
});

describe('mapline run and mapline logs', () => {
  it('dry run prints what it would do with payloads, writes nothing, exits 1 when records would fail', async () => {
    const result = await cli(['run', '--dry-run', '--config', configFile], { MAPLINE_CCVSHOP_SECRET: env.sandboxes.ccvshop.secret });
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/create +\d+: would create: no eaccounting\.orders had YourReference = "WEB-\d+"/);
    expect(result.stdout).toContain('"OurReference": "CLI test"');
    expect(result.stdout).toMatch(/Dry run: nothing was written\.\nflow +read +created +updated +skipped +failed +calls\n/);
    expect(result.status).toBe(1);
    expect(createdRecords(env.sandboxes.eaccounting.control, 'orders')).toHaveLength(0);
  });

  it('run --json prints the summary per flow; logs --failed and --record explain what happened', async () => {
    const run = await cli(['run', '--json', '--config', configFile], { MAPLINE_CCVSHOP_SECRET: env.sandboxes.ccvshop.secret });
    const summary = JSON.parse(run.stdout) as { flows: Record<string, Record<string, number>> };
    expect(Object.keys(summary.flows)).toEqual(['orders']);
    expect(Object.keys(summary.flows.orders!).sort()).toEqual(['calls', 'created', 'failed', 'read', 'skipped', 'updated']);
    expect(summary.flows.orders!.created).toBe(createdRecords(env.sandboxes.eaccounting.control, 'orders').length);
    expect(summary.flows.orders!.failed).toBeGreaterThan(0);
    expect(run.status).toBe(1);

    const failed = await cli(['logs', '--failed', '--config', configFile]);
    expect(failed.status).toBe(0);
    const lines = failed.stdout.trim().split('\n');
    expect(lines).toHaveLength(summary.flows.orders!.failed!);
    expect(lines[0]).toMatch(/ orders +\d+ +\(1 attempt\) +ccvshop\.orders \d+: .*no eaccounting\.articles with Number = "/);

    const orderId = /ccvshop\.orders (\d+):/.exec(lines[0]!)![1]!;
    const record = await cli(['logs', '--failed', '--record', orderId, '--config', configFile]);
    expect(record.stdout).toContain('source record:');

    const created = createdRecords(env.sandboxes.eaccounting.control, 'orders')[0]!;
    const activity = await cli(['logs', '--flow', 'orders', '--json', '--limit', '500', '--config', configFile]);
    const entries = JSON.parse(activity.stdout) as { sourceId: string; targetId: string | null }[];
    const sourceId = entries.find((e) => e.targetId === created.Id)!.sourceId;
    const history = await cli(['logs', '--record', sourceId, '--config', configFile]);
    expect(history.stdout).toMatch(new RegExp(`orders +${sourceId} +create -> ${created.Id as string}`));
    expect(history.stdout).toMatch(/fields from:\n(.*\n)*? +YourReference +<- +.*orders\.map:\d+/);
    expect(history.stdout).not.toContain(env.sandboxes.ccvshop.secret);
  });

  it('rejects a setting override of the wrong type with exit 2, naming the setting and its default', async () => {
    const bad = join(env.dir, 'bad.config.json');
    writeFileSync(bad, JSON.stringify({ connections: {}, flows: [{ file: join(repoRoot, 'mappings/orders.map'), settings: { only_paid: 'yes' } }] }));
    const result = await cli(['run', '--config', bad]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/setting "only_paid" must be a boolean like its default at mappings\/orders\.map:\d+:\d+, not a string/);
  });
});
