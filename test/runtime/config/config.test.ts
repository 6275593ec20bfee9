import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CompiledFlow } from '../../../compiler/artifact.js';
import { ConfigError, loadConfig, parseConfig } from '../../../runtime/config/load.js';
import { configSchema } from '../../../runtime/config/schema.js';
import { applySettingOverrides } from '../../../runtime/config/settings.js';
import { DEMO_MAPPINGS } from '../../../cli/commands/demo.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mapline-config-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(content: unknown): string {
  const file = join(dir, 'mapline.config.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

const minimal = {
  connections: { ccvshop: { baseUrl: 'http://127.0.0.1:1/api/rest/v1', publicKey: 'pk' }, eaccounting: { clientId: 'c' } },
  flows: [{ file: 'mappings/orders.map', flows: ['orders'], settings: { only_paid: false } }],
};

describe('loadConfig', () => {
  it('resolves paths against the config file and takes secrets from the environment over the file', () => {
    const file = write({ ...minimal, connections: { ...minimal.connections, ccvshop: { ...minimal.connections.ccvshop, secret: 'from-file' } } });
    const config = loadConfig(file, { MAPLINE_CCVSHOP_SECRET: 'from-env', MAPLINE_EACCOUNTING_CLIENT_SECRET: 'cs' });
    expect(config.state).toBe(join(dir, 'mapline.state.sqlite'));
    expect(config.retentionDays).toBe(30);
    expect(config.flows).toEqual([{ file: join(dir, 'mappings/orders.map'), flows: ['orders'], settings: { only_paid: false } }]);
    expect(config.connections.ccvshop).toMatchObject({ connector: 'ccvshop', secret: 'from-env', publicKey: 'pk' });
    expect(config.connections.eaccounting).toMatchObject({ connector: 'eaccounting', clientId: 'c', clientSecret: 'cs' });
  });

  it('reads a secret written as env:NAME from that variable, and says which one is missing', () => {
    const file = write({ ...minimal, connections: { ...minimal.connections, ccvshop: { ...minimal.connections.ccvshop, secret: 'env:SHOP1_CCV' } } });
    expect(loadConfig(file, { SHOP1_CCV: 'from-ref' }).connections.ccvshop?.secret).toBe('from-ref');
    expect(() => loadConfig(file, {})).toThrow(`${file}: connections.ccvshop.secret refers to the environment variable SHOP1_CCV, which is not set`);
    // Service mode: the reference is kept when adding, and the one-shop variables are not applied.
    const kept = parseConfig(JSON.parse(readFileSync(file, 'utf8')), file, { MAPLINE_CCVSHOP_SECRET: 'global' }, { oneShopEnv: false, resolveReferences: false });
    expect(kept.connections.ccvshop?.secret).toBe('env:SHOP1_CCV');
  });

  it('names the file and the field of every problem', () => {
    const file = write({ connections: { ccvshop: { baseUrl: 1, secrte: 'x' } }, flows: [{}] });
    let message = '';
    try {
      loadConfig(file, {});
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    expect(message).toContain(file);
    expect(message).toContain('connections.ccvshop: must NOT have additional properties "secrte"');
    expect(message).toContain('connections.ccvshop.baseUrl: must be string');
    expect(message).toContain("flows.0: must have required property 'file'");
  });

  it('reports a missing file and broken JSON as config errors', () => {
    expect(() => loadConfig(join(dir, 'nope.json'), {})).toThrow(/no such config file/);
    expect(() => loadConfig(write('{ "connections": '), {})).toThrow(/not valid JSON/);
  });

  it('accepts the committed default config and keeps the published schema file equal to the source', () => {
    const root = join(import.meta.dirname, '../../..');
    const published = JSON.parse(readFileSync(join(root, 'mapline.config.schema.json'), 'utf8')) as unknown;
    expect(published).toEqual(JSON.parse(JSON.stringify(configSchema)));
    const config = loadConfig(join(root, 'mapline.config.json'), {});
    expect(config.connections.ccvshop?.baseUrl).toBe('http://127.0.0.1:8081/api/rest/v1');
    // `mapline sandbox` + `mapline run` with it run what `npm start` runs.
    expect(config.flows.map((f) => relative(root, f.file))).toEqual([...DEMO_MAPPINGS]);
    expect(parseConfig(minimal, join(dir, 'x.json')).flows).toHaveLength(1);
  });
});

describe('applySettingOverrides', () => {
  const location = { file: 'orders.map', range: { start: 0, end: 1 } };
  const flow = {
    name: 'orders',
    location,
    settings: {
      only_paid: { value: true, type: 'boolean', location },
      statuses: { value: [1, 2], type: 'array', location },
      default_customer: { value: null, type: 'null', location },
    },
  } as unknown as CompiledFlow;
  const locate = (): string => 'orders.map:3:3';

  it('overrides defaults with values of the same type; a null default takes anything', () => {
    const { settings, errors } = applySettingOverrides(flow, { only_paid: false, default_customer: '1001' }, locate, 'cfg.json');
    expect(errors).toEqual([]);
    expect(settings).toEqual({ only_paid: false, statuses: [1, 2], default_customer: '1001' });
  });

  it('rejects a value of another type and an unknown setting, naming the default place', () => {
    const { errors } = applySettingOverrides(flow, { only_paid: 'yes', statusses: [1] }, locate, 'cfg.json');
    expect(errors).toEqual([
      'cfg.json: setting "only_paid" must be a boolean like its default at orders.map:3:3, not a string',
      'cfg.json: setting "statusses" does not exist in orders.map (its settings: only_paid, statuses, default_customer)',
    ]);
  });
});
