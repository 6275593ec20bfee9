import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { SecretBox } from '../secrets/secret-box.js';
import { tokenContext, type IntegrationRef } from '../state/pg-store.js';
import { inTransaction } from '../state/pg-transaction.js';
import type { MaplineDatabase } from './database.js';
import type { RawConfig } from './integration-config.js';

export type IntegrationState = 'active' | 'paused';

/** An integration: one shop, its accounting company, its credentials, `.map` files and settings. */
export interface Integration extends IntegrationRef {
  readonly state: IntegrationState;
  /** Its `mapline.config.json` without the literal secrets (those are sealed in `integration_secrets`). */
  readonly config: RawConfig;
  /** The flows it runs, in order (from compiling its `.map` files with its config when it was added). */
  readonly flows: readonly string[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A `.map` file of an integration, under the name its config gives it (`mappings/orders.map`). */
export interface MapText {
  readonly file: string;
  readonly text: string;
}

export interface NewIntegration {
  readonly name: string;
  readonly config: RawConfig;
  readonly flows: readonly string[];
  readonly maps: readonly MapText[];
  /** Literal secrets by config path; sealed with `box` before they are stored. */
  readonly secrets: ReadonlyMap<string, string>;
}

/** Integration names: what an integrator types in `mapline integrations run shop-12`; safe in any message. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

export class RegistryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegistryError';
  }
}

/**
 * The integrations in the service database: adding, listing, pausing, removing. This is the one place that reads
 * across integrations (the list of them); what belongs to one integration (maps, secrets) is always read by its
 * id, and its sync state only through a `PgStateStore` bound to it. Removing an integration removes every row it
 * owns (the foreign keys cascade).
 */
export class IntegrationRegistry {
  constructor(private readonly db: MaplineDatabase) {}

  /**
   * Stores a new integration, or with `replace` gives an existing one new config, maps and secrets while keeping
   * its state (links, cursors, quarantine, activity, tokens). All or nothing: one transaction.
   */
  async add(input: NewIntegration, box: SecretBox | undefined, options: { readonly replace?: boolean } = {}): Promise<{ integration: Integration; replaced: boolean }> {
    checkName(input.name);
    if (input.secrets.size > 0 && !box) {
      SecretBox.require(`the config of ${input.name} holds secrets (${[...input.secrets.keys()].join(', ')}), which are stored encrypted; or write them as env:NAME references`);
    }
    return this.transaction(async (client) => {
      const now = new Date().toISOString();
      const existing = await client.query<{ id: string }>('SELECT id FROM mapline.integrations WHERE name = $1 FOR UPDATE', [input.name]);
      let id = existing.rows[0]?.id;
      if (id && !options.replace) throw new RegistryError(`an integration named ${input.name} exists already (use --replace to give it this config and these .map files, keeping its state)`);
      if (id) {
        await client.query('UPDATE mapline.integrations SET config = $2, flows = $3, updated_at = $4 WHERE id = $1', [id, JSON.stringify(input.config), [...input.flows], now]);
        await client.query('DELETE FROM mapline.integration_maps WHERE integration_id = $1', [id]);
        await client.query('DELETE FROM mapline.integration_secrets WHERE integration_id = $1', [id]);
      } else {
        id = randomUUID();
        await client.query(
          'INSERT INTO mapline.integrations (id, name, state, config, flows, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)',
          [id, input.name, 'active', JSON.stringify(input.config), [...input.flows], now],
        );
      }
      for (const map of input.maps) {
        await client.query('INSERT INTO mapline.integration_maps (integration_id, file, text) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [id, map.file, map.text]);
      }
      for (const [path, value] of input.secrets) {
        await client.query('INSERT INTO mapline.integration_secrets (integration_id, path, sealed) VALUES ($1, $2, $3)', [id, path, box!.seal(value, secretContext(id, path))]);
      }
      const row = (await client.query<IntegrationRow>('SELECT * FROM mapline.integrations WHERE id = $1', [id])).rows[0]!;
      return { integration: toIntegration(row), replaced: existing.rows.length > 0 };
    });
  }

  async list(): Promise<Integration[]> {
    const { rows } = await this.db.pool.query<IntegrationRow>('SELECT * FROM mapline.integrations ORDER BY name');
    return rows.map(toIntegration);
  }

  async get(name: string): Promise<Integration | undefined> {
    const { rows } = await this.db.pool.query<IntegrationRow>('SELECT * FROM mapline.integrations WHERE name = $1', [name]);
    return rows[0] && toIntegration(rows[0]);
  }

  /** By id (a job names its integration by id, which a rename or a replace does not change). */
  async byId(id: string): Promise<Integration | undefined> {
    const { rows } = await this.db.pool.query<IntegrationRow>('SELECT * FROM mapline.integrations WHERE id::text = $1', [id]);
    return rows[0] && toIntegration(rows[0]);
  }

  /** The integration, or a `RegistryError` saying there is none by that name. */
  async require(name: string): Promise<Integration> {
    const found = await this.get(name);
    if (!found) throw new RegistryError(`no integration named ${name} (mapline integrations list shows them)`);
    return found;
  }

  async maps(integration: IntegrationRef): Promise<MapText[]> {
    const { rows } = await this.db.pool.query<MapText>('SELECT file, text FROM mapline.integration_maps WHERE integration_id = $1 ORDER BY file', [integration.id]);
    return rows;
  }

  /** The paths of the integration's sealed secrets (what `show` may say without opening them). */
  async secretPaths(integration: IntegrationRef): Promise<string[]> {
    const { rows } = await this.db.pool.query<{ path: string }>('SELECT path FROM mapline.integration_secrets WHERE integration_id = $1 ORDER BY path', [integration.id]);
    return rows.map((r) => r.path);
  }

  /** Opens the integration's sealed secrets; a missing or wrong key is a `SecretKeyError` naming the integration. */
  async secrets(integration: IntegrationRef, box: SecretBox | undefined): Promise<Map<string, string>> {
    const { rows } = await this.db.pool.query<{ path: string; sealed: Buffer }>('SELECT path, sealed FROM mapline.integration_secrets WHERE integration_id = $1', [integration.id]);
    if (rows.length === 0) return new Map();
    const key = box ?? SecretBox.require(`integration ${integration.name} has encrypted secrets (${rows.map((r) => r.path).join(', ')})`);
    return new Map(rows.map((r) => [r.path, key.open(r.sealed, secretContext(integration.id, r.path), `integration ${integration.name}: ${r.path}`)]));
  }

  /** Seals and stores one secret the service made for the integration (a webhook's key); replaced if present. */
  async putSecret(integration: IntegrationRef, path: string, value: string, box: SecretBox): Promise<void> {
    await this.db.pool.query(
      'INSERT INTO mapline.integration_secrets (integration_id, path, sealed) VALUES ($1, $2, $3) ON CONFLICT (integration_id, path) DO UPDATE SET sealed = excluded.sealed',
      [integration.id, path, box.seal(value, secretContext(integration.id, path))],
    );
  }

  async setState(name: string, state: IntegrationState): Promise<Integration> {
    const { rows } = await this.db.pool.query<IntegrationRow>('UPDATE mapline.integrations SET state = $2, updated_at = $3 WHERE name = $1 RETURNING *', [name, state, new Date().toISOString()]);
    if (!rows[0]) throw new RegistryError(`no integration named ${name} (mapline integrations list shows them)`);
    return toIntegration(rows[0]);
  }

  /** Removes the integration and everything it owns. */
  async remove(name: string): Promise<void> {
    const { rowCount } = await this.db.pool.query('DELETE FROM mapline.integrations WHERE name = $1', [name]);
    if (!rowCount) throw new RegistryError(`no integration named ${name} (mapline integrations list shows them)`);
  }

  /**
   * Key rotation: re-seals every secret and OAuth token not sealed with the current key (the old key must be in
   * `MAPLINE_SECRET_KEY_PREVIOUS` to open them). One transaction; returns how many values were re-sealed.
   */
  async rekey(box: SecretBox): Promise<{ secrets: number; tokens: number }> {
    return this.transaction(async (client) => {
      const names = new Map((await client.query<{ id: string; name: string }>('SELECT id, name FROM mapline.integrations')).rows.map((r) => [r.id, r.name]));
      const label = (id: string, what: string): string => `integration ${names.get(id) ?? id}: ${what}`;
      let secrets = 0;
      for (const row of (await client.query<{ integration_id: string; path: string; sealed: Buffer }>('SELECT * FROM mapline.integration_secrets FOR UPDATE')).rows) {
        if (box.isCurrent(row.sealed)) continue;
        const context = secretContext(row.integration_id, row.path);
        const sealed = box.seal(box.open(row.sealed, context, label(row.integration_id, row.path)), context);
        await client.query('UPDATE mapline.integration_secrets SET sealed = $3 WHERE integration_id = $1 AND path = $2', [row.integration_id, row.path, sealed]);
        secrets++;
      }
      let tokens = 0;
      for (const row of (await client.query<{ integration_id: string; connection: string; sealed: Buffer }>('SELECT integration_id, connection, sealed FROM mapline.tokens FOR UPDATE')).rows) {
        if (box.isCurrent(row.sealed)) continue;
        const context = tokenContext(row.integration_id, row.connection);
        const sealed = box.seal(box.open(row.sealed, context, label(row.integration_id, `the OAuth tokens of connection ${row.connection}`)), context);
        await client.query('UPDATE mapline.tokens SET sealed = $3 WHERE integration_id = $1 AND connection = $2', [row.integration_id, row.connection, sealed]);
        tokens++;
      }
      return { secrets, tokens };
    });
  }

  private transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.db.pool, work);
  }
}

/** A sealed secret's additional data: its integration and path, so it opens nowhere else. */
function secretContext(integrationId: string, path: string): string {
  return `${integrationId}/secrets/${path}`;
}

function checkName(name: string): void {
  if (!NAME.test(name)) throw new RegistryError(`"${name}" is not a valid integration name: letters, digits, '.', '_' and '-', starting with a letter or digit, at most 63`);
}

interface IntegrationRow {
  id: string;
  name: string;
  state: IntegrationState;
  config: RawConfig;
  flows: string[];
  created_at: Date;
  updated_at: Date;
}

function toIntegration(r: IntegrationRow): Integration {
  return { id: r.id, name: r.name, state: r.state, config: r.config, flows: r.flows, createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString() };
}
