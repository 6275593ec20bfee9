import type { Json } from '../../../compiler/artifact.js';
import { openConnections } from '../../config/connect.js';
import { authorizeSandboxConnections } from '../../config/sandbox-auth.js';
import { SecretBox } from '../../secrets/secret-box.js';
import { prepareRun } from '../../sync.js';
import type { MaplineDatabase } from '../database.js';
import { integrationState } from '../integration-state.js';
import { loadIntegration } from '../load-integration.js';
import { IntegrationRegistry, RegistryError } from '../registry.js';
import { saveWebhooks, type RegisteredWebhook } from './registration.js';

/**
 * The shop events that start a run early, by the shop entity they are about: a flow reading that entity from the
 * CCV connection runs. An order placed or paid books it within seconds instead of at the next schedule; a product
 * changed in the shop goes to the flows that read shop products.
 */
export const CCV_WEBHOOK_EVENTS: Readonly<Record<string, readonly string[]>> = {
  orders: ['orders.created', 'orders.updated.ispaid', 'orders.updated.status'],
  products: ['products.created', 'products.updated'],
};

/** The address the shop calls for one integration and event: the receiver knows both from the path. */
export function webhookAddress(receiverUrl: string, integrationId: string, event: string): string {
  return `${receiverUrl.replace(/\/+$/, '')}/webhooks/ccvshop/${integrationId}/${event}`;
}

/**
 * Registers the integration's webhooks in its shop (`POST /webhooks` on its CCV connection), for each event whose
 * entity one of its flows reads, pointing at `receiverUrl` (where `mapline worker --webhooks-port` is reachable
 * from the shop), and keeps each webhook's key sealed with the integration. Returns what it registered.
 */
export async function registerCcvWebhooks(
  db: MaplineDatabase,
  name: string,
  receiverUrl: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<RegisteredWebhook[]> {
  const registry = new IntegrationRegistry(db);
  const integration = await registry.require(name);
  const box = SecretBox.require(`the webhook keys of ${name} are stored encrypted`, env);
  const { config, sources } = await loadIntegration(registry, integration, env);
  const connection = Object.entries(config.connections).find(([, c]) => c.connector === 'ccvshop')?.[0];
  if (!connection) throw new RegistryError(`integration ${name} has no CCV Shop connection to register webhooks with`);
  const prepared = prepareRun(config, sources);
  if (prepared.kind !== 'ready') throw new RegistryError(`integration ${name}: its .map files do not compile`);
  const flowsOf = (entity: string): string[] =>
    prepared.artifact.flows.filter((f) => prepared.flows.includes(f.name) && f.source.connector === connection && f.source.entity === entity).map((f) => f.name);
  const store = await integrationState(db, integration, box).openStore();
  try {
    await authorizeSandboxConnections(config, store);
    const connections = openConnections(config, store);
    try {
      const client = connections.clients[connection]!;
      const hooks: RegisteredWebhook[] = [];
      for (const [entity, events] of Object.entries(CCV_WEBHOOK_EVENTS)) {
        const flows = flowsOf(entity);
        if (flows.length === 0) continue;
        for (const event of events) {
          const address = webhookAddress(receiverUrl, integration.id, event);
          const made = (await client.create('webhooks', { event, address, is_active: true })) as Record<string, Json>;
          hooks.push({ event, address, key: String(made.key), webhookId: String(made.id), flows });
        }
      }
      await saveWebhooks(db, integration, hooks, box);
      return hooks;
    } finally {
      await connections.close();
    }
  } finally {
    await store.close();
  }
}
