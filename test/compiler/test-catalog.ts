import type { ConnectorDefinition, EntityDefinition } from '../../connectors/definition.js';
import type { JsonSchema } from '../../connectors/json-schema.js';
import { connectors } from '../../connectors/registry.js';

/** A small connector for compiler tests: typed fields of every kind, an unconstrained `value` to inspect. */
const item: JsonSchema = { type: 'object', properties: { x: { type: 'number' }, y: { type: 'string' } } };
const read: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer', readOnly: true },
    s: { type: ['string', 'null'] },
    t: { type: 'string' },
    n: { type: 'number' },
    i: { type: 'integer' },
    b: { type: 'boolean' },
    obj: { type: 'object', properties: { a: { type: 'string' }, deep: { type: 'object', properties: { z: { type: 'number' } } } } },
    list: { type: 'array', items: item },
    tags: { type: 'array', items: { type: 'string' } },
  },
};
const row: JsonSchema = { type: 'object', required: ['LineNumber'], properties: { LineNumber: { type: 'integer' }, Text: { type: 'string' }, Amount: { type: 'number' } } };
const write: JsonSchema = {
  type: 'object',
  required: ['Name'],
  properties: {
    Name: { type: 'string' },
    Count: { type: 'integer' },
    Price: { type: 'number' },
    Active: { type: 'boolean' },
    Kind: { type: 'string', enum: ['a', 'b'] },
    Address: { type: 'object', properties: { City: { type: 'string' }, Zip: { type: 'string' } } },
    Rows: { type: 'array', items: row },
    value: {},
    values: { type: 'array' },
  },
};
const outRead: JsonSchema = { ...write, required: [], properties: { ...write.properties, Id: { type: 'string', readOnly: true }, Total: { type: 'number', readOnly: true } } };

const entity = (name: string, schemas: EntityDefinition['schemas'], extra: Partial<EntityDefinition> = {}): EntityDefinition => ({
  name,
  idField: 'id',
  list: { method: 'GET', path: `/${name}` },
  ...(schemas.create ? { create: { method: 'POST', path: `/${name}` } } : {}),
  ...(schemas.update ? { update: { method: 'PUT', path: `/${name}/{id}`, semantics: 'replace' } } : {}),
  schemas,
  ...extra,
});

export const testConnector: ConnectorDefinition = {
  name: 't',
  title: 'Test',
  defaultBaseUrl: 'http://127.0.0.1:1',
  auth: { type: 'none' },
  paging: { style: 'none', itemsField: 'items' },
  rateLimits: [],
  errors: { codeField: 'code', messageField: 'message', defaultRetryAfterMs: 1000 },
  entities: {
    things: entity('things', { read }),
    out: entity('out', { read: outRead, create: write, update: { ...write, required: [] } }),
    createonly: entity('createonly', { read: outRead, create: write }),
    readonly: entity('readonly', { read: outRead }),
    partial: entity('partial', { read: outRead, create: write, update: { ...write, required: [], properties: { Name: { type: 'string' } } } }),
  },
};

export const testCatalog = { ...connectors, t: testConnector };
