import type { TokenPair, TokenStore } from '../../connectors/client/token-store.js';
import type { StateStore } from './store.js';

/** The HTTP client's `TokenStore` for one connection, kept in the state store (saved atomically, durably). */
export function tokenStoreFor(store: StateStore, connection: string): TokenStore {
  return {
    async load() {
      const token = await store.loadToken(connection);
      return token === undefined ? undefined : (token as unknown as TokenPair);
    },
    async save(pair) {
      await store.saveToken(connection, JSON.parse(JSON.stringify(pair)));
    },
  };
}
