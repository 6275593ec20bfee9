import { resolve } from 'node:path';
import { connectors } from '../../connectors/registry.js';
import type { MaplineConfig } from '../config/config.js';
import { parseConfig } from '../config/load.js';
import { SecretBox } from '../secrets/secret-box.js';
import type { MapSource } from '../sync.js';
import { joinSecrets } from './integration-config.js';
import type { Integration, IntegrationRegistry } from './registry.js';

/** An integration made ready to run: its config with secrets in place, its `.map` texts, its key. */
export interface LoadedIntegration {
  readonly config: MaplineConfig;
  readonly sources: readonly MapSource[];
  readonly secrets: SecretBox | undefined;
}

/**
 * Where an integration's config "lives": a path that is never read, only used to name the integration in config
 * messages (`/integrations/shop-1/mapline.config.json: flow "x" is not in orders.map`) and to resolve its `.map`
 * file names against, the same way when it is added and when it runs.
 */
export function virtualConfigPath(name: string): string {
  return `/integrations/${name}/mapline.config.json`;
}

/**
 * Rebuilds the integration's config: stored config + opened secrets + `env:NAME` references resolved from `env`
 * (the worker's environment). A missing key is a `SecretKeyError` when the integration has sealed secrets or an
 * OAuth connection (whose tokens are kept sealed); a missing variable a `ConfigError` naming the field.
 */
export async function loadIntegration(
  registry: IntegrationRegistry,
  integration: Integration,
  env: Readonly<Record<string, string | undefined>>,
): Promise<LoadedIntegration> {
  const box = SecretBox.fromEnv(env);
  const raw = joinSecrets(integration.config, await registry.secrets(integration, box));
  const path = virtualConfigPath(integration.name);
  const config = parseConfig(raw, path, env, { oneShopEnv: false });
  for (const [name, connection] of Object.entries(config.connections)) {
    const definition = Object.hasOwn(connectors, connection.connector) ? connectors[connection.connector] : undefined;
    if (definition?.auth.type === 'oauth2' && !box) SecretBox.require(`integration ${integration.name} keeps the OAuth tokens of connection ${name} encrypted`, env);
  }
  const folder = resolve(path, '..');
  const sources = (await registry.maps(integration)).map((m) => ({ file: resolve(folder, m.file), name: m.file, text: m.text }));
  return { config, sources, secrets: box };
}
