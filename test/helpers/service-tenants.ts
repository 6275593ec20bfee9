import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSandboxes, type RunningSandboxes } from '../../connectors/sandbox/index.js';
import { sandboxConnections } from '../../runtime/config/sandbox-connections.js';
import { addIntegration } from '../../runtime/service/add-integration.js';
import type { MaplineDatabase } from '../../runtime/service/database.js';
import type { Integration } from '../../runtime/service/registry.js';
import { PgStateStore } from '../../runtime/state/pg-store.js';
import { accountingEmails, auditBooks, expectedBooks, type Expectation } from '../proofs/harness/books.js';
import { repoRoot } from './cli.js';
import { createdRecords } from './created.js';

/**
 * Tenants for the service tests and `npm run soak:service`: each its own pair of sandboxes (its own shop and
 * accounting company, seeded differently, with its own secrets), added as an integration with the default
 * customers and orders maps.
 */
export interface Tenant {
  readonly name: string;
  readonly sandboxes: RunningSandboxes;
  readonly integration: Integration;
  /** What a correct sync leaves in this tenant's company, computed from its shop alone (as the shop is now). */
  expected(): Expectation;
}

export async function startTenant(
  db: MaplineDatabase,
  dir: string,
  index: number,
  options: { readonly orders: number; readonly schedule?: object; readonly env: Readonly<Record<string, string | undefined>> },
): Promise<Tenant> {
  const name = `tenant-${index}`;
  const sandboxes = await startSandboxes({
    seed: `service-${index}`,
    sizes: { orders: options.orders, customers: Math.max(3, Math.ceil(options.orders / 3)), products: 8 },
    rateLimits: { enabled: false },
    ccvshop: { secret: `ccv-secret-${name}-5b1e` },
    eaccounting: { clientSecret: `ea-secret-${name}-9d27` },
    ccvPort: 0,
    eaccountingPort: 0,
  });
  const configFile = writeShopConfig(join(dir, name), sandboxes, { config: options.schedule ? { schedule: options.schedule } : {} });
  const added = await addIntegration(db, { name, configFile, replace: false, env: options.env });
  if (added.kind !== 'added') throw new Error(`${name} not added: ${JSON.stringify(added)}`);
  const customersBefore = accountingEmails(sandboxes);
  return { name, sandboxes, integration: added.integration, expected: () => expectedBooks(sandboxes, customersBefore) };
}

/**
 * Everything wrong with a tenant's books (empty = right): `auditBooks` (each eligible order once, none lost, each
 * customer once, no create left pending) plus isolation: every order and customer the runs created in this
 * tenant's company comes from this tenant's shop.
 */
export async function auditTenant(db: MaplineDatabase, tenant: Tenant): Promise<string[]> {
  const store = PgStateStore.open(db.pool, tenant.integration);
  try {
    const problems = auditBooks(tenant.sandboxes, tenant.expected(), { quarantine: await store.listQuarantine(), pendingWrites: (await store.listPendingWrites()).length });
    const shopEmails = new Set(tenant.sandboxes.ccvshop.control.records('orders').map((o) => String((o.customer as { email?: unknown } | null)?.email ?? '').toLowerCase()));
    for (const customer of createdRecords(tenant.sandboxes.eaccounting.control, 'customers')) {
      const email = String(customer.EmailAddress ?? '').toLowerCase();
      if (!shopEmails.has(email)) problems.push(`${tenant.name}: customer ${email} is not a customer of this tenant's shop`);
    }
    return problems.map((p) => (p.startsWith(tenant.name) ? p : `${tenant.name}: ${p}`));
  } finally {
    await store.close();
  }
}

/** Places `count` paid orders in the tenant's shop, as its customers would (more work for the workers). */
export function placePaidOrders(tenant: Tenant, count: number): void {
  const products = tenant.sandboxes.ccvshop.control.records('products');
  for (let i = 0; i < count; i++) {
    tenant.sandboxes.ccvshop.merchant.placeOrder({ rows: [{ product_id: Number(products[i % products.length]!.id), count: 1 + (i % 3) }], paid: true });
  }
}

/** How many of the tenant's eligible orders are booked (any number of times). */
export function bookedOrders(tenant: Tenant): number {
  const booked = new Set(createdRecords(tenant.sandboxes.eaccounting.control, 'orders').map((o) => String(o.YourReference)));
  return [...tenant.expected().mustBook].filter((n) => booked.has(n)).length;
}

/** A `mapline worker` child process, its JSON lines collected as they come. */
export interface WorkerProcess {
  readonly child: ChildProcess;
  readonly lines: Record<string, unknown>[];
  readonly stderr: () => string;
  /** Resolves with the exit code and signal when the process ends. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts `mapline worker --json ARGS`. With `hostname`, the worker runs in its own UTS namespace under that host name
 * (`unshare --uts`, root only), as if on another machine; it is still the child itself (`exec`), so killing the
 * child kills the worker.
 */
export function spawnWorker(cli: string, args: readonly string[], env: NodeJS.ProcessEnv, options: { readonly hostname?: string } = {}): WorkerProcess {
  const argv = [process.execPath, cli, 'worker', '--json', ...args];
  const [command, ...rest] = options.hostname === undefined ? argv : ['unshare', '--uts', 'sh', '-c', 'hostname "$0" && exec "$@"', options.hostname, ...argv];
  const child = spawn(command!, rest, { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: Record<string, unknown>[] = [];
  let pending = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    let newline: number;
    while ((newline = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        lines.push({ event: 'text', line });
      }
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return { child, lines, stderr: () => stderr, exited };
}

/** Waits until `condition` holds, polling; fails after `timeoutMs` (generous: a condition, never a timing). */
export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string, pollMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/**
 * A config folder for one shop: its mapline.config.json (the sandboxes' connections, limits off, the customers and
 * orders flows, plus `config`'s fields) and copies of the default customers and orders maps, each replaced by its
 * text in `maps` when given. Returns the config file.
 */
export function writeShopConfig(
  folder: string,
  sandboxes: RunningSandboxes,
  { maps = {}, config = {} }: { readonly maps?: Readonly<Record<string, string>>; readonly config?: object } = {},
): string {
  mkdirSync(join(folder, 'mappings'), { recursive: true });
  for (const map of ['customers.map', 'orders.map']) copyFileSync(join(repoRoot, 'mappings', map), join(folder, 'mappings', map));
  for (const [map, text] of Object.entries(maps)) writeFileSync(join(folder, 'mappings', map), text);
  const file = join(folder, 'mapline.config.json');
  writeFileSync(
    file,
    JSON.stringify({
      connections: sandboxConnections(sandboxes, { rateLimits: false }),
      flows: [{ file: 'mappings/customers.map' }, { file: 'mappings/orders.map' }],
      ...config,
    }),
  );
  return file;
}
