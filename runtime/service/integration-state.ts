import { PgNotificationLedger } from '../notify/pg-ledger.js';
import type { SecretBox } from '../secrets/secret-box.js';
import type { StateLocation } from '../state-location.js';
import { PgStateStore, type IntegrationRef } from '../state/pg-store.js';
import type { MaplineDatabase } from './database.js';

/** Where an integration's state lives in service mode: its rows in the service database. */
export function integrationState(db: MaplineDatabase, integration: IntegrationRef, secrets: SecretBox | undefined): StateLocation {
  return {
    openStore: async () => PgStateStore.open(db.pool, integration, { secrets }),
    openLedger: async () => new PgNotificationLedger(db.pool, integration),
  };
}
