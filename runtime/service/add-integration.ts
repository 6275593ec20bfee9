import { resolve } from 'node:path';
import type { Diagnostic } from '../../language/diagnostic.js';
import { parseConfig, readConfigFile } from '../config/load.js';
import { SecretBox } from '../secrets/secret-box.js';
import { prepareRun, readMapSources } from '../sync.js';
import type { MaplineDatabase } from './database.js';
import { splitSecrets, type RawConfig } from './integration-config.js';
import { IntegrationRegistry, type Integration } from './registry.js';

export interface AddIntegrationRequest {
  readonly name: string;
  /** A `mapline.config.json`; the `.map` files it names are read relative to it. */
  readonly configFile: string;
  /** Give an existing integration of this name the new config and files, keeping its state. */
  readonly replace?: boolean;
  /** Where `MAPLINE_SECRET_KEY` is read (process.env by default). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export type AddIntegrationOutcome =
  | { readonly kind: 'compile-errors'; readonly diagnostics: readonly Diagnostic[]; readonly texts: Readonly<Record<string, string>> }
  | {
      readonly kind: 'added';
      readonly integration: Integration;
      readonly replaced: boolean;
      /** Config paths of the secrets stored sealed. */
      readonly sealed: readonly string[];
      readonly diagnostics: readonly Diagnostic[];
    };

/**
 * `mapline integrations add`: reads a config and the `.map` files it names, checks them exactly as a run would
 * (compile, flow selection, setting overrides; a problem stores nothing), and stores the integration: the config
 * without its literal secrets, the files' texts, the secrets sealed. `env:NAME` references stay references,
 * resolved from the environment of whichever worker runs the integration. The one-shop variables
 * (`MAPLINE_CCVSHOP_SECRET`, ...) are not read: they belong to one process, not to one integration.
 */
export async function addIntegration(db: MaplineDatabase, request: AddIntegrationRequest): Promise<AddIntegrationOutcome> {
  const raw = readConfigFile(request.configFile) as RawConfig;
  const config = parseConfig(raw, resolve(request.configFile), {}, { oneShopEnv: false, resolveReferences: false });
  const sources = readMapSources(config);
  const prepared = prepareRun(config, sources);
  if (prepared.kind === 'compile-errors') return prepared;
  const { config: stored, secrets } = splitSecrets(raw);
  // `readMapSources(config)` reads the config's flows in order, so source i is the file of raw.flows[i].
  const maps = (raw.flows ?? []).map((entry, i) => ({ file: entry.file, text: sources[i]!.text }));
  const { integration, replaced } = await new IntegrationRegistry(db).add(
    { name: request.name, config: stored, flows: prepared.flows, maps, secrets },
    SecretBox.fromEnv(request.env ?? process.env),
    { replace: request.replace ?? false },
  );
  return { kind: 'added', integration, replaced, sealed: [...secrets.keys()], diagnostics: prepared.diagnostics };
}
