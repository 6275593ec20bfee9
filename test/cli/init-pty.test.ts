import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandboxes } from '../../connectors/sandbox/index.js';
import { loadConfig } from '../../runtime/config/load.js';
import { CCV_SECRET, EA_SECRET, cliArgv, startInitEnv } from './init-env.js';

/**
 * `mapline init` at a terminal: a pseudo-terminal (Python's `pty`, driven by init-pty.py) shows the prompts and
 * the answers are typed key by key, mistakes included, as a merchant would.
 */
let sandboxes: RunningSandboxes;
let dir: string;

beforeAll(async () => {
  ({ sandboxes, dir } = await startInitEnv());
});
afterAll(async () => {
  await sandboxes.close();
});

/** Runs the driver in a child process without blocking the sandboxes, which answer from this one. */
async function drive(steps: [prompt: string, answer: string][]): Promise<{ status: number | null; transcript: string }> {
  const { spawn } = await import('node:child_process');
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [join(import.meta.dirname, 'init-pty.py'), JSON.stringify({ argv: cliArgv(['init']), cwd: dir, steps })], {
      env: { ...process.env, MAPLINE_CCVSHOP_SECRET: '', MAPLINE_EACCOUNTING_CLIENT_SECRET: '', TERM: 'dumb' },
    });
    let transcript = '';
    child.stdout.on('data', (c: Buffer) => (transcript += c.toString()));
    child.stderr.on('data', (c: Buffer) => (transcript += c.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, transcript }));
  });
}

const hasPython = spawnSync('python3', ['-c', 'import pty'], { encoding: 'utf8' }).status === 0;

describe.runIf(hasPython)('mapline init in a terminal', () => {
  it('asks step by step, hides secrets, asks again after a failed connection test or a wrong answer, and ends with a dry run', async () => {
    const { status, transcript } = await drive([
      ['Webshop \\(ccvshop\\) \\[ccvshop\\]: ', ''],
      ['Accounting system \\(eaccounting\\) \\[eaccounting\\]: ', ''],
      ['Shop API URL[^\\n]*?\\): ', sandboxes.ccvshop.baseUrl],
      ['CCV public key: ', 'pk-merchant'],
      ['CCV secret \\(not shown\\): ', 'a-typo'],
      ['Connection test failed: [^\\n]*\\n[^\\n]*Enter the details again[\\s\\S]*?Shop API URL[^\\n]*?\\): ', sandboxes.ccvshop.baseUrl],
      ['CCV public key: ', 'pk-merchant'],
      ['CCV secret \\(not shown\\): ', CCV_SECRET],
      ['State file[^\\n]*?: ', ''],
      ['eAccounting client id: ', 'mapline-client'],
      ['eAccounting client secret \\(not shown\\): ', EA_SECRET],
      ['eAccounting API URL[^\\n]*?\\]: ', sandboxes.eaccounting.baseUrl],
      ['Identity server[^\\n]*?: ', sandboxes.eaccounting.origin],
      ['Flows to run[^\\n]*?: ', 'orders,stok'],
      ['unknown flow stok[\\s\\S]*?Flows to run[^\\n]*?: ', 'orders,stock'],
      ['Document type[^\\n]*?: ', 'invoices'],
      ['Shop order statuses to send \\[1,2,5,6,7\\]: ', '1,2'],
      ['Book every order on one customer number[^\\n]*?: ', '99999'],
      ['has no customer with number 99999[\\s\\S]*?Book every order on one customer number[^\\n]*?: ', ''],
      ['iDEAL \\(ccvonlinepayments_ideal\\) \\[6\\]: ', ''],
      ['Creditcard \\(ccvonlinepayments_card\\) \\[6\\]: ', '5'],
      ['Bancontact[^\\n]*?: ', ''],
      ['PayPal[^\\n]*?: ', ''],
      ['Bankoverschrijving \\(manual_banktransfer\\) \\[1\\]: ', '30 dagen'],
      ['Betalen bij afhalen[^\\n]*?: ', ''],
      ['Stock figure[^\\n]*?\\[available\\]: ', 'balance'],
    ]);
    expect(transcript).toMatch(/Dry run \(reads everything, writes nothing\):\r?\n  invoices: read \d+, would create [1-9]/);
    expect(status).toBe(0);
    expect(transcript).not.toContain(CCV_SECRET);
    expect(transcript).not.toContain(EA_SECRET);
    expect(transcript).not.toContain('a-typo');

    const config = loadConfig(join(dir, 'mapline.config.json'), {});
    expect(config.flows.map((f) => f.settings)).toEqual([{ document: 'invoices', statuses: [1, 2], default_customer: null }, { calculation: 'balance' }]);
    const terms = sandboxes.eaccounting.control.records('termsofpayments') as { Id: string; Name: string }[];
    const idOf = (name: string) => terms.find((t) => t.Name === name)!.Id;
    const map = readFileSync(join(dir, 'mapline-maps/orders.map'), 'utf8');
    expect(map).toContain(`"ccvonlinepayments_card"       => "${idOf('Pinbetaling')}"`);
    expect(map).toContain(`"manual_banktransfer"          => "${idOf('30 dagen')}"`);
    expect(map).toContain(`"ccvonlinepayments_ideal"      => "${idOf('Betaald via webshop (PSP)')}"`);
  });
});
