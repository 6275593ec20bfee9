import type { Json } from '../../compiler/artifact.js';
import type { ConnectorClient as HttpClient } from '../../connectors/client/index.js';
import type { ConnectorClient } from './ports.js';

/** The engine's port over the real HTTP client (`connectors/client`): pages gathered, values typed as JSON. */
export function adaptClient(client: HttpClient): ConnectorClient {
  const all = async (pages: AsyncGenerator<{ readonly items: readonly unknown[] }>): Promise<Json[]> => {
    const records: Json[] = [];
    for await (const page of pages) records.push(...(page.items as Json[]));
    return records;
  };
  return {
    connector: client.definition.name,
    list: async (entity) => (await client.listAll(entity)) as Json[],
    listSince: (entity, since) => all(client.listSince(entity, since)),
    async *pages(entity, since) {
      for await (const page of since ? client.listSince(entity, since) : client.list(entity)) yield page.items as Json[];
    },
    get: async (entity, id) => (await client.get(entity, id)) as Json,
    children: async (entity, parentId, child) => (await client.children(entity, parentId, child)) as Json[],
    search: async (entity, field, value) => {
      if (value === null || typeof value === 'object') throw new Error(`cannot search ${entity} by ${field} for a non-scalar value`);
      return (await client.search(entity, field, value)) as Json[];
    },
    create: async (entity, payload) => ((await client.create(entity, payload)) ?? {}) as Json,
    update: async (entity, id, payload) => (await client.update(entity, id, payload)) as Json | undefined,
    callCount: () => client.calls().reduce((sum, c) => sum + c.count, 0),
  };
}
