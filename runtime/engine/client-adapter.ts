import type { Json } from '../../compiler/artifact.js';
import type { ConnectorClient as HttpClient } from '../../connectors/client/index.js';
import type { ConnectorClient } from './ports.js';

/**
 * The engine's port over the real HTTP client (`connectors/client`): pages gathered, values typed as JSON.
 * `explain` may turn a client error into one the user can act on (credentials refused: which setting holds them).
 */
export function adaptClient(client: HttpClient, explain: (error: unknown) => unknown = (error) => error): ConnectorClient {
  const guard = async <T>(call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (error) {
      throw explain(error);
    }
  };
  const all = async (pages: AsyncGenerator<{ readonly items: readonly unknown[] }>): Promise<Json[]> => {
    const records: Json[] = [];
    for await (const page of pages) records.push(...(page.items as Json[]));
    return records;
  };
  return {
    connector: client.definition.name,
    list: (entity) => guard(async () => (await client.listAll(entity)) as Json[]),
    listSince: (entity, since) => guard(() => all(client.listSince(entity, since))),
    async *pages(entity, since, newestFirst = false) {
      try {
        for await (const page of since ? client.listSince(entity, since, { newestFirst }) : client.list(entity, { newestFirst })) yield page.items as Json[];
      } catch (error) {
        throw explain(error);
      }
    },
    get: (entity, id) => guard(async () => (await client.get(entity, id)) as Json),
    children: (entity, parentId, child) => guard(async () => (await client.children(entity, parentId, child)) as Json[]),
    search: (entity, field, value) =>
      guard(async () => {
        if (value === null || typeof value === 'object') throw new Error(`cannot search ${entity} by ${field} for a non-scalar value`);
        return (await client.search(entity, field, value)) as Json[];
      }),
    create: (entity, payload) => guard(async () => ((await client.create(entity, payload)) ?? {}) as Json),
    update: (entity, id, payload) => guard(async () => (await client.update(entity, id, payload)) as Json | undefined),
    callCount: () => client.calls().reduce((sum, c) => sum + c.count, 0),
  };
}
