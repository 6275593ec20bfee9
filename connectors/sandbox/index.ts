import { createCcvShopSandbox } from '../ccvshop/sandbox/app.js';
import { createEaccountingSandbox } from '../eaccounting/sandbox/app.js';
import type { IdentityServer } from '../eaccounting/sandbox/identity.js';
import type { EaCompanySettings } from '../eaccounting/sandbox/entities/vat.js';
import { SandboxClock } from './clock.js';
import type { SandboxControl } from './control.js';
import { loadDataFile, type SandboxData } from './data-file.js';
import type { FaultSettings } from './faults.js';
import { listen, type RunningSandbox } from './host.js';
import type { RateLimitSettings } from './rate-limit.js';
import { buildSeedPlan, type SeedPlan, type SeedSizes } from './seed-plan.js';

export interface SandboxesOptions {
  /** Defaults to 127.0.0.1. */
  readonly host?: string;
  /** 0 (the default here) picks a free port; the CLI defaults to 8081. */
  readonly ccvPort?: number;
  /** 0 (the default here) picks a free port; the CLI defaults to 8082. */
  readonly eaccountingPort?: number;
  readonly seed?: string | number;
  readonly sizes?: Partial<SeedSizes>;
  /** The instant seeded dates count back from (ISO); defaults to the start of today, UTC. */
  readonly anchor?: string;
  /** Records to load, or the path of a JSON data file (see docs/sandbox.md). */
  readonly data?: SandboxData | string;
  /** Serve only the data file's records, no generated seed. */
  readonly dataOnly?: boolean;
  readonly ccvshop?: { readonly publicKey?: string; readonly secret?: string };
  readonly eaccounting?: {
    readonly clientId?: string;
    readonly clientSecret?: string;
    readonly rotateRefreshTokens?: boolean;
    readonly accessTokenSeconds?: number;
    /** Company settings that change how documents are priced (`ShowPricesExclVatPC`, off by default). */
    readonly companySettings?: Partial<EaCompanySettings>;
  };
  readonly rateLimits?: Partial<RateLimitSettings>;
  /** Faults for both servers; `ccvshopFaults` / `eaccountingFaults` override per server. */
  readonly faults?: Partial<FaultSettings>;
  readonly ccvshopFaults?: Partial<FaultSettings>;
  readonly eaccountingFaults?: Partial<FaultSettings>;
  /** One clock for both servers; a new one when absent. */
  readonly clock?: SandboxClock;
}

export interface RunningSandboxes {
  readonly ccvshop: {
    /** Base URL of the API, e.g. `http://127.0.0.1:8081/api/rest/v1`. */
    readonly baseUrl: string;
    readonly origin: string;
    readonly publicKey: string;
    readonly secret: string;
    readonly control: SandboxControl;
  };
  readonly eaccounting: {
    /** Base URL of the API, e.g. `http://127.0.0.1:8082/v2`. */
    readonly baseUrl: string;
    readonly origin: string;
    readonly authorizeUrl: string;
    readonly tokenUrl: string;
    readonly clientId: string;
    readonly clientSecret: string;
    readonly control: SandboxControl;
    readonly identity: IdentityServer;
  };
  readonly clock: SandboxClock;
  readonly plan: SeedPlan;
  close(): Promise<void>;
}

export const SANDBOX_DEFAULTS = {
  host: '127.0.0.1',
  ccvPort: 8081,
  eaccountingPort: 8082,
  seed: 'mapline',
  ccvPublicKey: 'demo',
  ccvSecret: 'demo',
  eaClientId: 'demo',
  eaClientSecret: 'demo',
} as const;

/** Starts both sandboxes from one shared seed plan, so their data agree. */
export async function startSandboxes(options: SandboxesOptions = {}): Promise<RunningSandboxes> {
  const clock = options.clock ?? new SandboxClock();
  const plan = buildSeedPlan({
    seed: options.seed ?? SANDBOX_DEFAULTS.seed,
    ...(options.sizes ? { sizes: options.sizes } : {}),
    ...(options.anchor ? { anchor: options.anchor } : {}),
  });
  const data = typeof options.data === 'string' ? loadDataFile(options.data) : (options.data ?? {});
  const host = options.host ?? SANDBOX_DEFAULTS.host;
  const credentials = { publicKey: options.ccvshop?.publicKey ?? SANDBOX_DEFAULTS.ccvPublicKey, secret: options.ccvshop?.secret ?? SANDBOX_DEFAULTS.ccvSecret };
  const client = { clientId: options.eaccounting?.clientId ?? SANDBOX_DEFAULTS.eaClientId, clientSecret: options.eaccounting?.clientSecret ?? SANDBOX_DEFAULTS.eaClientSecret };
  const faultsFor = (specific?: Partial<FaultSettings>) => ({ ...options.faults, ...specific });

  const ccv = createCcvShopSandbox({
    plan,
    credentials,
    clock,
    ...(data.ccvshop ? { data: data.ccvshop } : {}),
    ...(options.dataOnly ? { dataOnly: true } : {}),
    faults: faultsFor(options.ccvshopFaults),
    ...(options.rateLimits ? { rateLimits: options.rateLimits } : {}),
  });
  const ea = createEaccountingSandbox({
    plan,
    client,
    clock,
    ...(options.eaccounting?.rotateRefreshTokens !== undefined ? { rotateRefreshTokens: options.eaccounting.rotateRefreshTokens } : {}),
    ...(options.eaccounting?.accessTokenSeconds ? { accessTokenSeconds: options.eaccounting.accessTokenSeconds } : {}),
    ...(options.eaccounting?.companySettings ? { companySettings: options.eaccounting.companySettings } : {}),
    ...(data.eaccounting ? { data: data.eaccounting } : {}),
    ...(options.dataOnly ? { dataOnly: true } : {}),
    faults: faultsFor(options.eaccountingFaults),
    ...(options.rateLimits ? { rateLimits: options.rateLimits } : {}),
  });

  const started: RunningSandbox[] = [];
  try {
    started.push(await listen(ccv.app, ccv.services, { host, port: options.ccvPort ?? 0 }));
    started.push(await listen(ea.app, ea.services, { host, port: options.eaccountingPort ?? 0 }));
  } catch (error) {
    await Promise.all(started.map((server) => server.close()));
    throw error;
  }
  const [ccvServer, eaServer] = started as [RunningSandbox, RunningSandbox];
  return {
    ccvshop: { baseUrl: `${ccvServer.url}/api/rest/v1`, origin: ccvServer.url, ...credentials, control: ccvServer.control },
    eaccounting: {
      baseUrl: `${eaServer.url}/v2`,
      origin: eaServer.url,
      authorizeUrl: `${eaServer.url}/connect/authorize`,
      tokenUrl: `${eaServer.url}/connect/token`,
      ...client,
      control: eaServer.control,
      identity: ea.identity,
    },
    clock,
    plan,
    close: async () => {
      await Promise.all(started.map((server) => server.close()));
    },
  };
}

export interface SandboxTokens {
  readonly access_token: string;
  readonly refresh_token: string;
  readonly expires_in: number;
  readonly token_type: string;
  readonly scope: string;
}

/**
 * Runs the authorization-code flow against the eAccounting sandbox over HTTP (the sandbox approves without a
 * login page), for the demo and tests that need a token without a browser.
 */
export async function connectEaccountingSandbox(
  sandboxes: Pick<RunningSandboxes, 'eaccounting'>,
  redirectUri = 'http://127.0.0.1/callback',
): Promise<SandboxTokens> {
  const { authorizeUrl, tokenUrl, clientId, clientSecret } = sandboxes.eaccounting;
  const authorize = new URL(authorizeUrl);
  authorize.search = new URLSearchParams({ client_id: clientId, redirect_uri: redirectUri, response_type: 'code', scope: 'ea:api offline_access ea:sales ea:accounting', state: 'sandbox' }).toString();
  const redirect = await fetch(authorize, { redirect: 'manual' });
  const location = redirect.headers.get('location');
  const code = location ? new URL(location).searchParams.get('code') : null;
  if (!code) throw new Error(`eAccounting sandbox authorize did not redirect with a code (status ${redirect.status})`);
  const response = await fetch(tokenUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri }).toString(),
  });
  if (!response.ok) throw new Error(`eAccounting sandbox token exchange failed with status ${response.status}`);
  return (await response.json()) as SandboxTokens;
}
