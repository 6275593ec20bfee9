import { SandboxClock } from './clock.js';
import { startSandboxes, type RunningSandboxes, type SandboxesOptions } from './index.js';

/** What `startTenantSandboxes` takes: one set of options for every tenant, plus how many there are. */
export interface TenantSandboxesOptions extends Omit<SandboxesOptions, 'ccvshop' | 'eaccounting' | 'clock' | 'data' | 'dataOnly'> {
  /** Number of tenants, 1 or more. */
  readonly tenants: number;
  /** OAuth settings shared by every tenant's eAccounting (the client id and secret are the tenant's own). */
  readonly eaccounting?: Omit<NonNullable<SandboxesOptions['eaccounting']>, 'clientId' | 'clientSecret'>;
  readonly clock?: SandboxClock;
}

/** One tenant: a shop and its accounting company, with their own credentials, data, limits, log and faults. */
export interface RunningTenant extends RunningSandboxes {
  /** 1-based. */
  readonly index: number;
  /** `tenant-1`, ... (also the folder name `--config-dir` writes). */
  readonly name: string;
}

export interface RunningTenantSandboxes {
  readonly tenants: readonly RunningTenant[];
  /** One clock for every tenant's servers, so scaled rate-limit windows line up across the fleet. */
  readonly clock: SandboxClock;
  close(): Promise<void>;
}

/** Tenant `index`'s credentials: `demo1`/`demo1`, `demo2`/`demo2`, ... for both the shop and the accounting. */
export function tenantCredential(index: number): string {
  return `demo${index}`;
}

/** Tenant `index`'s seed: the fleet's seed plus the tenant, so every tenant's data differ and stay reproducible. */
export function tenantSeed(seed: string | number, index: number): string {
  return `${String(seed)}-tenant-${index}`;
}

/**
 * Starts `tenants` independent sandbox pairs. Each tenant is its own pair of servers (a CCV shop has its own
 * domain, so its own base URL is what a real fleet looks like; see docs/sandbox.md for why eAccounting is too):
 * its own seeded data, credentials, rate-limit windows, request log and faults, and no route of one reaches
 * another's records. A non-zero port is the first tenant's; tenant k listens on port + 2(k-1), so the default
 * 8081/8082 go on as 8083/8084, ...
 */
export async function startTenantSandboxes(options: TenantSandboxesOptions): Promise<RunningTenantSandboxes> {
  if (!Number.isInteger(options.tenants) || options.tenants < 1) throw new Error(`tenants must be a whole number of 1 or more, not ${options.tenants}`);
  const { tenants: count, eaccounting, seed = 'mapline', ...shared } = options;
  const clock = options.clock ?? new SandboxClock();
  const portOf = (base: number | undefined, index: number) => (base ? base + 2 * (index - 1) : 0);
  const started: RunningTenant[] = [];
  try {
    for (let index = 1; index <= count; index++) {
      const credential = tenantCredential(index);
      const sandboxes = await startSandboxes({
        ...shared,
        seed: tenantSeed(seed, index),
        clock,
        ccvPort: portOf(options.ccvPort, index),
        eaccountingPort: portOf(options.eaccountingPort, index),
        ccvshop: { publicKey: credential, secret: credential },
        eaccounting: { ...eaccounting, clientId: credential, clientSecret: credential },
      });
      started.push({ ...sandboxes, index, name: `tenant-${index}` });
    }
  } catch (error) {
    await Promise.all(started.map((tenant) => tenant.close()));
    throw error;
  }
  return {
    tenants: started,
    clock,
    close: async () => {
      await Promise.all(started.map((tenant) => tenant.close()));
    },
  };
}
