import { describe, expect, it } from 'vitest';
import type { ConnectorDefinition, EndpointSpec } from '../../connectors/definition.js';
import { connectors, getEntity } from '../../connectors/registry.js';

const all: [string, ConnectorDefinition][] = Object.entries(connectors);

function endpointsOf(connector: ConnectorDefinition): [string, EndpointSpec][] {
  const result: [string, EndpointSpec][] = [];
  for (const [name, entity] of Object.entries(connector.entities)) {
    for (const kind of ['list', 'get', 'create', 'update', 'delete'] as const) {
      const endpoint = entity[kind];
      if (endpoint) result.push([`${name}.${kind}`, endpoint]);
    }
  }
  return result;
}

describe('connector registry', () => {
  it('holds ccvshop and eaccounting under their own names', () => {
    expect(Object.keys(connectors).sort()).toEqual(['ccvshop', 'eaccounting']);
    for (const [key, connector] of all) expect(connector.name).toBe(key);
  });

  it('finds entities by connector and entity name, and nothing else', () => {
    expect(getEntity('ccvshop', 'orders')?.idField).toBe('id');
    expect(getEntity('eaccounting', 'countries')?.idField).toBe('Code');
    expect(getEntity('eaccounting', 'nope')).toBeUndefined();
    expect(getEntity('nope', 'orders')).toBeUndefined();
    expect(getEntity('ccvshop', 'toString')).toBeUndefined();
  });
});

describe.each(all)('%s definition', (_name, connector) => {
  it('keys every entity by its own name', () => {
    for (const [key, entity] of Object.entries(connector.entities)) expect(entity.name).toBe(key);
  });

  it('references only entities that exist', () => {
    for (const entity of Object.values(connector.entities)) {
      for (const [field, child] of Object.entries(entity.children ?? {})) {
        expect(connector.entities, `${entity.name}.children.${field}`).toHaveProperty(child.entity);
      }
    }
  });

  it('has a base URL without trailing slash and paths that start with a slash', () => {
    expect(connector.defaultBaseUrl).toMatch(/^https:\/\/[^ ]+[^/]$/);
    for (const [where, endpoint] of endpointsOf(connector)) expect(endpoint.path, where).toMatch(/^\/[a-z]/);
  });

  it('puts {id} in single-record paths and never in collection paths', () => {
    for (const entity of Object.values(connector.entities)) {
      for (const kind of ['get', 'update', 'delete'] as const) {
        const endpoint = entity[kind];
        if (endpoint) expect(endpoint.path, `${entity.name}.${kind}`).toMatch(/\{id\}$/);
      }
      if (entity.list) expect(entity.list.path).not.toContain('{id}');
      if (entity.create) expect(entity.create.path).not.toContain('{id}');
    }
  });

  it('names only fields its read schemas have (id, search, cursor, unique)', () => {
    for (const entity of Object.values(connector.entities)) {
      const fields = Object.keys(entity.schemas.read.properties ?? {});
      const named = [
        entity.idField,
        ...(entity.search?.style === 'odata' ? entity.search.fields : Object.keys(entity.search?.fields ?? {})),
        ...(entity.cursor ? [entity.cursor.field] : []),
        ...(entity.unique ?? []),
      ];
      for (const field of named) expect(fields, `${connector.name}.${entity.name}.${field}`).toContain(field);
      for (const field of entity.unique ?? []) expect(entity.schemas.create?.properties ?? {}, field).toHaveProperty(field);
    }
  });

  it('declares a write schema exactly where it declares the write endpoint', () => {
    for (const entity of Object.values(connector.entities)) {
      expect(entity.schemas.create !== undefined, `${entity.name} create`).toBe(entity.create !== undefined);
      expect(entity.schemas.update !== undefined, `${entity.name} update`).toBe(entity.update !== undefined);
    }
  });
});

describe('documented facts', () => {
  const ccv = connectors['ccvshop']!;
  const ea = connectors['eaccounting']!;

  it('CCV signs with HMAC, pages by offset up to 250 and updates by PATCH answering 204', () => {
    expect(ccv.auth).toEqual({ type: 'ccv-hmac', maxClockSkewSeconds: 300 });
    expect(ccv.paging).toMatchObject({ style: 'offset', startParam: 'start', sizeParam: 'size', maxSize: 250, nextField: 'next' });
    expect(ccv.entities['products']!.update).toMatchObject({ method: 'PATCH', semantics: 'merge', successStatus: 204 });
    expect(ccv.entities['paymethods']!.list?.paging).toEqual({ style: 'none', itemsField: 'items' });
    expect(ccv.entities['orders']!.children).toEqual({
      orderrows: { path: '/orders/{parentId}/orderrows', entity: 'orderrows' },
      ordernotes: { path: '/orders/{parentId}/ordernotes', entity: 'ordernotes' },
      ordermessages: { path: '/orders/{parentId}/ordermessages', entity: 'ordermessages' },
    });
    expect(ccv.entities['orders']!.cursor).toMatchObject({ style: 'created-since', field: 'create_date', param: 'min_create_date' });
    expect(ccv.entities['products']!.search).toMatchObject({ style: 'query', fields: { productnumber: 'productnumber', eannumber: 'eannumber' } });
  });

  it('eAccounting uses OAuth2 on Visma identity, numbered pages and PUT replace', () => {
    expect(ea.auth).toMatchObject({
      type: 'oauth2',
      authorizeUrl: 'https://identity.vismaonline.com/connect/authorize',
      tokenUrl: 'https://identity.vismaonline.com/connect/token',
      scopes: ['ea:api', 'offline_access', 'ea:sales', 'ea:accounting'],
      clientAuth: 'basic',
    });
    expect(ea.paging).toMatchObject({ style: 'page', pageParam: '$page', sizeParam: '$pagesize', firstPage: 1, maxSize: 1000 });
    expect(ea.entities['customers']!.update).toMatchObject({ method: 'PUT', semantics: 'replace' });
    expect(ea.entities['customers']!.unique).toEqual(['CustomerNumber']);
    expect(ea.entities['articles']!.unique).toEqual(['Number']);
    expect(ea.entities['orders']!.cursor).toMatchObject({ style: 'odata-modified', field: 'ModifiedUtc' });
    expect(ea.entities['customers']!.cursor).toMatchObject({ style: 'odata-modified', field: 'ChangedUtc' });
  });

  it('eAccounting retry pattern reads the seconds from the documented 429 message', () => {
    const message = 'API calls quota exceeded! maximum admitted 600 per Minute. Try again in 55 seconds.';
    expect(new RegExp(ea.errors.retryAfterPattern!).exec(message)?.[1]).toBe('55');
  });
});
