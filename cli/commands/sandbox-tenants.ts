import { resolve } from 'node:path';
import type { SandboxesOptions } from '../../connectors/sandbox/index.js';
import { startTenantSandboxes, tenantCredential, type RunningTenantSandboxes } from '../../connectors/sandbox/tenants.js';
import { writeTenantConfigs } from '../../runtime/config/tenant-configs.js';
import { packageRoot } from '../shared/package-root.js';
import { textTable } from '../shared/text-table.js';
import { DEMO_MAPPINGS } from './demo.js';
import { summary, waitForStopSignal } from './sandbox.js';

/** `mapline sandbox --tenants N [--config-dir DIR]`: a fleet of independent shops and companies until Ctrl-C. */
export async function runTenantSandboxes(options: SandboxesOptions, tenants: number, configDir: string | undefined): Promise<number> {
  const { ccvshop: _ccv, eaccounting, data: _data, dataOnly: _dataOnly, clock: _clock, ...shared } = options;
  let fleet: RunningTenantSandboxes;
  try {
    fleet = await startTenantSandboxes({
      ...shared,
      tenants,
      ...(eaccounting?.rotateRefreshTokens !== undefined ? { eaccounting: { rotateRefreshTokens: eaccounting.rotateRefreshTokens } } : {}),
    });
  } catch (error) {
    process.stderr.write(`mapline sandbox: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  let written: string[] = [];
  if (configDir !== undefined) {
    const windowMs = options.rateLimits?.windowMs ?? 60_000;
    try {
      written = writeTenantConfigs(resolve(configDir), fleet.tenants, {
        mappingsRoot: packageRoot(),
        mappings: DEMO_MAPPINGS,
        ...(windowMs !== 60_000 ? { timeScale: windowMs / 60_000 } : {}),
      });
    } catch (error) {
      process.stderr.write(`mapline sandbox: --config-dir ${configDir}: ${error instanceof Error ? error.message : String(error)}\n`);
      await fleet.close();
      return 1;
    }
  }
  process.stdout.write(describeFleet(fleet, options, configDir, written.length));
  await waitForStopSignal();
  process.stdout.write('\nstopping sandboxes...\n');
  await fleet.close();
  return 0;
}

function describeFleet(fleet: RunningTenantSandboxes, options: SandboxesOptions, configDir: string | undefined, written: number): string {
  const rows = fleet.tenants.map((t) => [t.name, tenantCredential(t.index), t.ccvshop.baseUrl, t.eaccounting.baseUrl, t.eaccounting.origin]);
  const first = fleet.tenants[0];
  const lines = [
    `${fleet.tenants.length} tenants, each a shop and an accounting company with its own data, credentials and rate limits`,
    ...textTable(['tenant', 'credentials', 'CCV Shop', 'eAccounting API', 'eAccounting identity'], rows, () => false),
    '  (CCV public key = secret = the credential; eAccounting client id = client secret = the credential)',
    ...(first ? [`records of ${first.name}: ${summary(first.ccvshop.control.counts())}; control API at <origin>/__sandbox`] : []),
    `rate limits ${options.rateLimits?.enabled === false ? 'off' : 'on'}`,
    ...(configDir !== undefined
      ? [
          `wrote ${written} configs under ${configDir}; add them all with`,
          `  for d in ${configDir}/*/; do mapline integrations add $(basename $d) --config $d/mapline.config.json; done`,
        ]
      : []),
    'press Ctrl-C to stop',
    '',
  ];
  return lines.join('\n');
}
