import { SecretBox } from '../../secrets/secret-box.js';
import type { MaplineDatabase } from '../database.js';
import { IntegrationRegistry, type Integration } from '../registry.js';

/** Where an integration's webhook registrations are kept: one sealed secret (each holds the shop's key). */
export const WEBHOOKS_SECRET_PATH = 'webhooks.ccvshop';

/** One webhook the shop calls: the address it signs, its key, and the flows a call starts early. */
export interface RegisteredWebhook {
  readonly event: string;
  readonly address: string;
  /** The key the shop made for it (`x-hash` = HMAC-SHA512 of `address|body`); sealed at rest. */
  readonly key: string;
  readonly webhookId: string;
  readonly flows: readonly string[];
}

export async function saveWebhooks(db: MaplineDatabase, integration: Integration, hooks: readonly RegisteredWebhook[], box: SecretBox): Promise<void> {
  await new IntegrationRegistry(db).putSecret(integration, WEBHOOKS_SECRET_PATH, JSON.stringify(hooks), box);
}

/** The integration's registered webhooks; none when it has none (or no key opens them: then no call verifies). */
export async function loadWebhooks(db: MaplineDatabase, integration: Integration, env: Readonly<Record<string, string | undefined>>): Promise<RegisteredWebhook[]> {
  const registry = new IntegrationRegistry(db);
  if (!(await registry.secretPaths(integration)).includes(WEBHOOKS_SECRET_PATH)) return [];
  const sealed = (await registry.secrets(integration, SecretBox.fromEnv(env))).get(WEBHOOKS_SECRET_PATH);
  return sealed === undefined ? [] : (JSON.parse(sealed) as RegisteredWebhook[]);
}
