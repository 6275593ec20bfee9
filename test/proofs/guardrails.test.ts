import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fragment } from '../../compiler/artifact.js';
import type { RunResult } from '../../runtime/engine/index.js';
import { startProofEnv, type CliResult, type ProofEnv } from './harness/env.js';
import { compileMap, runArtifact } from './harness/run-artifact.js';

/**
 * JSONata guardrails end to end. `.map` has no recursion and no ranges, so no mapping compiles to a runaway
 * expression today; the runtime must still survive one (a future construct, a hand-edited artifact). The
 * customers flow's compiled payload is wrapped so that two marked records run away (unbounded recursion, a
 * 10-million-item range): those fail with a clear error naming the record and the `.map` place, the process
 * lives, and the other records are written. A deeply nested `.map` expression is refused readably by `check`.
 */
const RUNAWAY = `(
  $runaway := customer.kvk = "LOOP" ? ($f := function($n) { $f($n + 1) + 1 }; $f(0))
    : customer.kvk = "HUGE" ? $count([1..10000000])
    : 0;
  $runaway = 0 ? (PAYLOAD) : (PAYLOAD)
)`;

/** A mapping with one expression nested `depth` calls deep. */
function deepMap(depth: number): string {
  return `flow deep: ccvshop.orders -> eaccounting.customers {
  identify by EmailAddress = customer.email
  on existing: skip
  on missing: create
  EmailAddress = customer.email
  Name = truncate(${'upper('.repeat(depth)}customer.email${')'.repeat(depth)}, 50)
}
`;
}

let env: ProofEnv;
let result: RunResult;
let failed: CliResult;
let loop: string;
let huge: string;
let deepCheck: CliResult;

beforeAll(async () => {
  env = await startProofEnv({ sandbox: { seed: 'guardrails', sizes: { orders: 12, customers: 8, products: 10 } } });
  // The newest completed order of two customers: the customers flow reads newest first, and an older order of a
  // customer is settled by the newest one (one write per customer per run) without being evaluated.
  const newestFirst = env.sandboxes.ccvshop.control
    .records('orders')
    .filter((o) => o.is_completed === true)
    .sort((a, b) => String(b.create_date).localeCompare(String(a.create_date)) || Number(b.id) - Number(a.id));
  const emailOf = (o: Record<string, unknown>): unknown => (o.customer as Record<string, unknown>).email;
  const orders = newestFirst.filter((o, i) => newestFirst.findIndex((p) => emailOf(p) === emailOf(o)) === i);
  const mark = (order: Record<string, unknown>, kvk: string) => {
    const copy = structuredClone(order);
    (copy.customer as Record<string, unknown>).kvk = kvk;
    env.sandboxes.ccvshop.control.putRecords('orders', [copy]);
    return String(order.id);
  };
  loop = mark(orders[0]!, 'LOOP');
  huge = mark(orders[1]!, 'HUGE');

  const { artifact, texts } = compileMap('mappings/customers.map');
  const wrap = (fragment: Fragment | null): Fragment | null => fragment && { ...fragment, jsonata: RUNAWAY.replaceAll('PAYLOAD', fragment.jsonata), segments: [] };
  const flows = artifact.flows.map((flow) => ({ ...flow, payload: { create: wrap(flow.payload.create), update: wrap(flow.payload.update) } }));
  result = await runArtifact(env, { ...artifact, flows }, texts);
  failed = await env.cli(['logs', '--failed']);
  const deepFile = join(env.dir, 'deep.map');
  writeFileSync(deepFile, deepMap(120));
  deepCheck = await env.cli(['check', deepFile]);
}, 90_000);
afterAll(async () => {
  await env.close();
});

describe('guardrails: a runaway expression fails its record, not the process', () => {
  it('the run ends normally with exactly the two runaway records failed', () => {
    expect(result.errors).toEqual([]);
    const failures = result.flows[0]!.records.filter((r) => r.action === 'fail').map((r) => r.sourceId);
    expect(failures.sort()).toEqual([loop, huge].sort());
  });

  it.each([
    ['unbounded recursion', () => loop, /too deep|depth|ran too long/i],
    ['a 10-million-item range', () => huge, /too long|sequence|ran too long/i],
  ])('%s: quarantined with a clear reason naming the record and the .map place', (_, id, words) => {
    const line = failed.stdout.split('\n').find((l) => l.includes(`ccvshop.orders ${id()}:`));
    expect(line, failed.stdout).toMatch(/customers\.map:\d+:\d+: /);
    expect(line).toMatch(words);
    expect(line!.length).toBeLessThan(400);
  });

  it('the other records are written', () => {
    expect(env.sandboxes.eaccounting.control.created().filter((c) => c.entity === 'customers').length).toBeGreaterThan(2);
  });

  it('an expression nested 120 calls deep is refused with a diagnostic, not an internal error', () => {
    // .map has no recursion, so only nesting can go deep; the parser must refuse it readably.
    expect(deepCheck.signal).toBeNull();
    expect(deepCheck.status).toBe(1);
    expect(deepCheck.stderr + deepCheck.stdout).toMatch(/deep\.map:\d+:\d+/);
    expect(deepCheck.stderr + deepCheck.stdout).not.toMatch(/internal|bug in Mapline/);
  });
});
