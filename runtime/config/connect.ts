import { createClient, type ConnectorClient as HttpClient } from '../../connectors/client/index.js';
import type { ClientLogger } from '../../connectors/client/logger.js';
import type { RateBudgetFactory } from '../../connectors/client/rate-budget.js';
import { connectors } from '../../connectors/registry.js';
import { adaptClient } from '../engine/client-adapter.js';
import type { ConnectorClient } from '../engine/ports.js';
import { tokenStoreFor } from '../state/token-store.js';
import type { StateStore } from '../state/store.js';
import type { MaplineConfig } from './config.js';
import { explainRefusal } from './credentials-refused.js';
import { ConfigError } from './load.js';

export interface Connections {
  /** The engine's clients, keyed by connector name (what flows name). */
  readonly clients: Record<string, ConnectorClient>;
  close(): Promise<void>;
}

/** One HTTP client per configured connection; OAuth tokens live in the state store under the connection name. */
export interface ConnectionOptions {
  readonly logger?: ClientLogger;
  /** Where the clients' rate budgets come from (service mode: shared by every worker); in-process when absent. */
  readonly rateBudget?: RateBudgetFactory;
}

export function openConnections(config: MaplineConfig, store: StateStore, options: ConnectionOptions = {}): Connections {
  const clients: Record<string, ConnectorClient> = {};
  const http: HttpClient[] = [];
  for (const [name, connection] of Object.entries(config.connections)) {
    const definition = Object.hasOwn(connectors, connection.connector) ? connectors[connection.connector] : undefined;
    if (!definition) {
      throw new ConfigError(`${config.path}: connections.${name}: unknown connector "${connection.connector}" (known: ${Object.keys(connectors).join(', ')})`);
    }
    if (clients[definition.name]) throw new ConfigError(`${config.path}: two connections use connector "${definition.name}"`);
    // What is not about where or how fast to connect is the credentials (ConnectionConfig extends Credentials).
    const { connector: _connector, baseUrl, rateLimits, timeScale, ...credentials } = connection;
    const client = createClient(definition, {
      ...(baseUrl !== undefined ? { baseUrl } : {}),
      credentials,
      tokenStore: tokenStoreFor(store, name),
      ...(rateLimits !== undefined ? { rateLimits } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.rateBudget ? { rateBudget: options.rateBudget } : {}),
      ...(timeScale !== undefined ? { timeScale } : {}),
    });
    http.push(client);
    clients[definition.name] = adaptClient(client, explainRefusal(config, name, definition));
  }
  return {
    clients,
    async close() {
      await Promise.all(http.map((c) => c.close()));
    },
  };
}
