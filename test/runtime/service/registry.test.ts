import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SecretBox } from '../../../runtime/secrets/secret-box.js';
import { joinSecrets, splitSecrets } from '../../../runtime/service/integration-config.js';
import { IntegrationRegistry } from '../../../runtime/service/registry.js';
import { PgStateStore } from '../../../runtime/state/pg-store.js';
import { postgresForTests, useServiceDatabase } from '../../helpers/postgres.js';

const postgres = await postgresForTests(import.meta.filename);

describe('splitSecrets', () => {
  it('takes literal secrets out (connection credentials, webhook), keeps env: references and everything else', () => {
    const raw = {
      $schema: './mapline.config.schema.json',
      state: 'x.sqlite',
      connections: { ccvshop: { baseUrl: 'http://shop', publicKey: 'pk', secret: 'env:SHOP1_SECRET' }, eaccounting: { clientId: 'cid', clientSecret: 'cs' } },
      flows: [{ file: 'orders.map' }],
      notify: { webhook: 'https://hooks/x?token=t', attempts: 2 },
    };
    const { config, secrets } = splitSecrets(raw);
    expect([...secrets]).toEqual([
      ['connections.ccvshop.publicKey', 'pk'],
      ['connections.eaccounting.clientSecret', 'cs'],
      ['notify.webhook', 'https://hooks/x?token=t'],
    ]);
    expect(config).toEqual({
      connections: { ccvshop: { baseUrl: 'http://shop', secret: 'env:SHOP1_SECRET' }, eaccounting: { clientId: 'cid' } },
      flows: [{ file: 'orders.map' }],
      notify: { attempts: 2 },
    });
    expect(raw.connections.ccvshop.publicKey).toBe('pk'); // the input is left alone
    expect(joinSecrets(config, secrets)).toEqual({ ...raw, $schema: undefined, state: undefined } as never);
  });
});

describe.skipIf(!postgres)('IntegrationRegistry', () => {
  const service = useServiceDatabase();

  it('refuses a bad name and literal secrets without a key; --replace keeps the state', async () => {
    const registry = new IntegrationRegistry(service.db);
    const input = { name: 'shop-1', config: { connections: {}, flows: [] }, flows: ['orders'], maps: [{ file: 'orders.map', text: 'x' }], secrets: new Map() };
    await expect(registry.add({ ...input, name: 'no spaces' }, undefined)).rejects.toThrow('"no spaces" is not a valid integration name');
    await expect(registry.add({ ...input, secrets: new Map([['connections.ccvshop.secret', 's']]) }, undefined)).rejects.toThrow(
      /^MAPLINE_SECRET_KEY is not set: the config of shop-1 holds secrets \(connections\.ccvshop\.secret\)/,
    );
    const { integration } = await registry.add(input, undefined);
    await PgStateStore.open(service.db.pool, integration).saveCursor('orders', 'kept');
    const { integration: replaced, replaced: wasReplaced } = await registry.add({ ...input, flows: ['orders', 'stock'], maps: [{ file: 'orders.map', text: 'y' }] }, undefined, { replace: true });
    expect(wasReplaced).toBe(true);
    expect(replaced).toMatchObject({ id: integration.id, flows: ['orders', 'stock'] });
    expect(await registry.maps(replaced)).toEqual([{ file: 'orders.map', text: 'y' }]);
    expect(await PgStateStore.open(service.db.pool, replaced).getCursor('orders')).toBe('kept');
  });

  it('rekey re-seals every secret and token under the new key; afterwards the old key is not needed', async () => {
    const registry = new IntegrationRegistry(service.db);
    const oldKey = randomBytes(32);
    const oldBox = new SecretBox(oldKey);
    const { integration } = await registry.add(
      { name: 'shop-2', config: { connections: {}, flows: [] }, flows: [], maps: [], secrets: new Map([['connections.ccvshop.secret', 'ccv-s3cret']]) },
      oldBox,
    );
    await PgStateStore.open(service.db.pool, integration, { secrets: oldBox }).saveToken('eaccounting', { accessToken: 'a-t0ken' });
    const newKey = randomBytes(32);
    const rotating = new SecretBox(newKey, [oldKey]);
    expect(await registry.rekey(rotating)).toEqual({ secrets: 1, tokens: 1 });
    expect(await registry.rekey(rotating)).toEqual({ secrets: 0, tokens: 0 });
    const newOnly = new SecretBox(newKey);
    expect(await registry.secrets(integration, newOnly)).toEqual(new Map([['connections.ccvshop.secret', 'ccv-s3cret']]));
    expect(await PgStateStore.open(service.db.pool, integration, { secrets: newOnly }).loadToken('eaccounting')).toEqual({ accessToken: 'a-t0ken' });
    await expect(registry.secrets(integration, oldBox)).rejects.toThrow(/integration shop-2: connections\.ccvshop\.secret was encrypted with another key/);
  });
});
