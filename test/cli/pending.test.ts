import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEnv, type Env } from '../runtime/engine/helpers.js';
import { runCliAsync } from '../helpers/cli.js';
import { createdRecords } from '../helpers/created.js';

/**
 * orders.map's quotes (document = "quotes") have no `identify by` (eAccounting quotes take no reference): a create whose answer is lost cannot be
 * looked up, so its record is blocked rather than risk a second quote. `mapline pending` is how a person unblocks
 * it after looking in eAccounting.
 */
let env: Env;

beforeAll(async () => {
  env = await startEnv(['mappings/orders.map'], { settings: { document: 'quotes' }, sandbox: { sizes: { orders: 12, customers: 6, products: 8 } } });
});
afterAll(async () => env?.close());

const pending = (...args: string[]) => runCliAsync(['pending', '--state', env.config.state, ...args]);

describe('mapline pending', () => {
  it('lists the creates a run could not settle, and settles them as created (linked) or not created (made by the replay)', async () => {
    const ea = env.sandboxes.eaccounting.control;
    // The first quote is made but its answer lost; the second never reaches eAccounting.
    ea.injectFaults([
      { kind: 'lost-response', method: 'POST', pathPrefix: '/v2/quotes' },
      { kind: 'drop', method: 'POST', pathPrefix: '/v2/quotes' },
    ]);
    const first = await env.sync();
    const failures = first.flows[0]!.records.filter((r) => r.action === 'fail');
    expect(failures).toHaveLength(2);
    for (const f of failures) expect(f.reason).toMatch(/may or may not have happened.*it is not sent again; look in the target, then settle it with `mapline pending`/);
    const [lost, dropped] = failures.map((f) => f.sourceId);
    const quotesAfterFirst = ea.records('quotes').length;

    // A rerun does not send them again.
    const blocked = await env.sync();
    expect(blocked.flows[0]!.records.filter((r) => r.action === 'fail').map((r) => r.sourceId).sort()).toEqual([lost, dropped].sort());
    expect(ea.records('quotes')).toHaveLength(quotesAfterFirst);

    const list = await pending();
    expect(list.status).toBe(0);
    const rows = list.stdout.split('\n').filter((line) => /^\d+ /.test(line));
    expect(rows).toHaveLength(2);
    const idFor = (sourceId: string | undefined): string => /^(\d+) /.exec(rows.find((r) => r.includes(`record ${sourceId} `))!)![1]!;
    expect(rows[0]).toMatch(/quotes +record \d+ +-> eaccounting\.quotes \(no key to look it up by\)/);

    // The person finds the lost one in eAccounting (the first quote made) and says the other is not there.
    const made = createdRecords(ea, 'quotes')[0]!;
    const linked = await pending('--resolve', idFor(lost), '--created', String(made.Id));
    expect(linked.stdout).toContain(`is linked to eaccounting.quotes ${String(made.Id)}`);
    const cleared = await pending('--resolve', idFor(dropped), '--not-created');
    expect(cleared.stdout).toContain('or now with: mapline run --retry-failed --flow quotes');
    expect((await pending()).stdout).toContain('No pending creates.');

    const after = await env.sync({ retryFailed: true });
    expect(after.flows[0]!.summary.failed).toBe(0);
    expect(after.flows[0]!.records.map((r) => r.sourceId)).toEqual([dropped]); // the linked one left quarantine
    expect(after.flows[0]!.records.find((r) => r.sourceId === dropped)?.action).toBe('create');
    expect(ea.records('quotes')).toHaveLength(quotesAfterFirst + 1);
    // Neither is left in quarantine: one is linked by hand, the other made by the run.
    const failed = await runCliAsync(['logs', '--failed', '--state', env.config.state]);
    expect(failed.stdout).toContain('No records in quarantine.');
    // And the linked one stays linked: a run that reads it again skips it.
    const again = await env.sync({ since: new Date(0) });
    expect(again.flows[0]!.records.find((r) => r.sourceId === lost)?.action).toBe('skip');
    expect(ea.records('quotes')).toHaveLength(quotesAfterFirst + 1);
  });

  it('refuses an unclear answer and an unknown id, naming the fix', async () => {
    const both = await pending('--resolve', '1');
    expect(both.status).toBe(2);
    expect(both.stderr).toContain('--resolve needs exactly one of --created <targetId> (it happened) or --not-created (it did not)');
    const unknown = await pending('--resolve', '999', '--not-created');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('no pending create has id 999 (list them with: mapline pending)');
  });
});
