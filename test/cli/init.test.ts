import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandboxes } from '../../connectors/sandbox/index.js';
import { loadConfig } from '../../runtime/config/load.js';
import { CCV_SECRET, EA_SECRET, cliArgv, run, startInitEnv } from './init-env.js';
import { createdRecords } from '../helpers/created.js';

/** `mapline init` without a terminal: every answer from flags (and defaults), against both sandboxes. */
let sandboxes: RunningSandboxes;
let dir: string;

beforeAll(async () => {
  ({ sandboxes, dir } = await startInitEnv());
});
afterAll(async () => {
  await sandboxes.close();
});

const TERMS_30_DAYS = '30 dagen';

/** A customer the eAccounting sandbox has, to book every order on. */
const customerNumber = (): string => String(sandboxes.eaccounting.control.records('customers')[0]!.CustomerNumber);

function flags(): string[] {
  return [
    'init',
    '--ccv-url', sandboxes.ccvshop.baseUrl,
    '--ccv-public-key', 'pk-merchant',
    '--ea-client-id', 'mapline-client',
    '--ea-url', sandboxes.eaccounting.baseUrl,
    '--ea-identity-url', sandboxes.eaccounting.origin,
    '--flows', 'orders,stock,products',
    '--document', 'invoice-drafts',
    '--statuses', '2,5',
    '--default-customer', customerNumber(),
    '--update-products', 'yes',
    '--stock-calculation', 'available_floored',
    '--terms', `manual_banktransfer=${TERMS_30_DAYS},paypal_paypal=6`,
  ];
}
const secretsFromEnv = { MAPLINE_CCVSHOP_SECRET: CCV_SECRET, MAPLINE_EACCOUNTING_CLIENT_SECRET: EA_SECRET };

describe('mapline init with flags only', () => {
  it('tests both connections, writes the config and the filled terms table, and ends with a dry run', async () => {
    const result = await run(cliArgv(flags()), dir, secretsFromEnv);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Connection test: CCV Shop answered (6 payment methods)');
    expect(result.stdout).toContain('Connection test: eAccounting answered (6 terms of payment)');
    expect(result.stdout).toMatch(new RegExp(`Customer ${customerNumber()}: \\S`));
    expect(result.stdout).toMatch(/Dry run \(reads everything, writes nothing\):\n  invoicedrafts: read \d+, would create [1-9]\d*, update 0, skip \d+, fail 0\n/);
    expect(result.stdout).toMatch(/  stock: read \d+, would create 0, update \d+/);
    expect(result.stdout).not.toContain(CCV_SECRET);
    expect(result.stdout).not.toContain(EA_SECRET);
    expect(createdRecords(sandboxes.eaccounting.control, 'customerinvoicedrafts')).toHaveLength(0); // a dry run

    const configPath = join(dir, 'mapline.config.json');
    expect(statSync(configPath).mode & 0o777).toBe(0o600);
    const config = loadConfig(configPath, {});
    expect(config.connections.ccvshop).toMatchObject({ baseUrl: sandboxes.ccvshop.baseUrl, publicKey: 'pk-merchant', secret: CCV_SECRET });
    expect(config.connections.eaccounting).toMatchObject({ clientId: 'mapline-client', clientSecret: EA_SECRET, identityUrl: sandboxes.eaccounting.origin });
    expect(config.flows.map((f) => [f.file.replace(/.*\/(mapline-maps|mappings)\//, '$1/'), f.settings])).toEqual([
      ['mapline-maps/orders.map', { document: 'invoicedrafts', statuses: [2, 5], default_customer: customerNumber() }],
      ['mappings/stock.map', { calculation: 'available_floored' }],
      ['mappings/categories.map', { update_existing: true }],
      ['mappings/products.map', { update_existing: true, link_categories: true }],
    ]);

    const terms = sandboxes.eaccounting.control.records('termsofpayments') as { Id: string; Name: string }[];
    const idOf = (name: string) => terms.find((t) => t.Name === name)!.Id;
    const map = readFileSync(join(dir, 'mapline-maps/orders.map'), 'utf8');
    expect(map).toContain(`"manual_banktransfer"          => "${idOf(TERMS_30_DAYS)}"   # Bankoverschrijving -> 30 dagen`);
    expect(map).toContain(`"paypal_paypal"                => "${idOf('Betaald via webshop (PSP)')}"`);
    expect(map).toMatch(/^flow orders: ccvshop\.orders -> documents\[settings\.document\] \{/m);
  });

  it('says which flag is missing, refuses a bad answer, and never replaces a config without --force', async () => {
    const missing = await run(cliArgv(['init', '--config', 'other.json', '--ccv-public-key', 'pk']), dir, secretsFromEnv);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/--ccv-url is needed/);

    const bad = await run(cliArgv([...flags(), '--config', 'bad.json', '--stock-calculation', 'lots']), dir, secretsFromEnv);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--stock-calculation: "lots" is not one of available, balance, available_floored');

    const noCustomer = await run(cliArgv([...flags(), '--config', 'nocustomer.json', '--default-customer', '99999']), dir, secretsFromEnv);
    expect(noCustomer.status).toBe(2);
    expect(noCustomer.stderr).toContain('--default-customer: eAccounting has no customer with number 99999');

    const wrongKey = await run(cliArgv([...flags(), '--config', 'wrong.json']), dir, { ...secretsFromEnv, MAPLINE_CCVSHOP_SECRET: 'not-the-secret' });
    expect(wrongKey.status).toBe(2);
    expect(wrongKey.stderr).toMatch(/CCV Shop connection test failed/);
    expect(wrongKey.stderr).not.toContain('not-the-secret');

    writeFileSync(join(dir, 'mapline.config.json'), '{"kept": true}');
    const again = await run(cliArgv(flags()), dir, secretsFromEnv);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('exists; pass --force to replace it');
    expect(readFileSync(join(dir, 'mapline.config.json'), 'utf8')).toBe('{"kept": true}');
  });
});
