import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandboxes, type RunningSandboxes } from '../../connectors/sandbox/index.js';
import { repoRoot, runProcess, type CliResult } from '../helpers/cli.js';

export const CCV_SECRET = 'ccv-Secret-4711';
export const EA_SECRET = 'ea-Secret-0815';

/** Both sandboxes with secrets of their own (so a test can see they are never echoed), and an empty folder. */
export async function startInitEnv(): Promise<{ sandboxes: RunningSandboxes; dir: string }> {
  const sandboxes = await startSandboxes({
    rateLimits: { enabled: false },
    ccvshop: { publicKey: 'pk-merchant', secret: CCV_SECRET },
    eaccounting: { clientId: 'mapline-client', clientSecret: EA_SECRET },
  });
  return { sandboxes, dir: mkdtempSync(join(tmpdir(), 'mapline-init-')) };
}

export { cliArgv } from '../helpers/cli.js';

/** Runs a child process without blocking this one (the sandboxes answer from here). */
export function run(argv: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return runProcess(argv, { cwd, env });
}
