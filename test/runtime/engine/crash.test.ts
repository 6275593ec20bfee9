import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sandboxConnections } from '../../../runtime/config/sandbox-connections.js';
import { cliArgv, runProcess } from '../../helpers/cli.js';
import { duplicates, repoRoot, startEnv, valuesOf, type Env } from './helpers.js';
import { createdRecords } from '../../helpers/created.js';

let env: Env | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

/** Starts `mapline run` in a child process and kills it (SIGKILL, no clean-up) once `killWhen` holds. */
async function runAndKill(configFile: string, killWhen: () => boolean): Promise<void> {
  await runProcess(cliArgv(['run', '--config', configFile]), { cwd: repoRoot, killWhen });
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('a crash at any instant', () => {
  it('followed by reruns creates no duplicate and loses no order', async () => {
    env = await startEnv(['mappings/orders.map']);
    const configFile = join(env.dir, 'crash.config.json');
    const { eaccounting } = env.sandboxes;
    writeFileSync(
      configFile,
      JSON.stringify({
        state: env.config.state,
        connections: sandboxConnections(env.sandboxes, { rateLimits: false }),
        flows: [{ file: join(repoRoot, 'mappings/orders.map') }],
      }),
    );
    const orders = (): Record<string, unknown>[] => createdRecords(eaccounting.control, 'orders');
    const plan = (await env.sync({ dryRun: true })).flows[0]!.summary;

    // Twice: the next order create reaches eAccounting and is held there 300 ms; the run dies the moment it
    // arrives (the one-shot fault is used up on arrival), so the create happens after its sender is gone.
    for (let crash = 0; crash < 2; crash++) {
      eaccounting.control.injectFaults([{ kind: 'latency', latencyMs: 300, method: 'POST', pathPrefix: '/v2/orders' }]);
      let landed = Number.POSITIVE_INFINITY;
      await runAndKill(configFile, () => {
        if (eaccounting.control.state().pendingFaults.length > 0) return false;
        landed = Math.min(landed, orders().length + 1);
        return true;
      });
      const state = env.state();
      expect((await state.listPendingWrites('orders')).length).toBe(1);
      await state.close();
      await until(() => orders().length >= landed); // the held create lands after its sender died
    }
    expect(orders().length).toBeGreaterThanOrEqual(2);

    const finish = await env.sync();
    expect(finish.errors).toEqual([]);
    const again = await env.sync();
    expect(again.flows[0]!.summary.created).toBe(0);

    expect(duplicates(valuesOf(orders(), 'YourReference'))).toEqual([]);
    expect(duplicates(valuesOf(eaccounting.control.records('customers'), 'EmailAddress'))).toEqual([]);
    // Every qualifying order made it, and only those: what the dry run said a clean run would create.
    expect(orders()).toHaveLength(plan.created);
    const state = env.state();
    expect(await state.listQuarantine({ flow: 'orders' })).toHaveLength(plan.failed);
    expect(await state.listPendingWrites()).toEqual([]);
    await state.close();
  });
});
