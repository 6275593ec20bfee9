import type { JsonSchema } from '../../json-schema.js';
import { getEntity } from '../../registry.js';
import { parseJsonBody, type SandboxRequest } from '../../sandbox/http-types.js';
import { SeededRandom } from '../../sandbox/rng.js';
import { isoSeconds } from '../../sandbox/seed-plan.js';
import type { SandboxServices } from '../../sandbox/services.js';
import type { SandboxRecord } from '../../sandbox/store.js';
import { BodyValidator } from '../../sandbox/validation.js';
import { EaErrors } from './errors.js';
import { DEFAULT_COMPANY_SETTINGS, type EaCompanySettings } from './entities/vat.js';
import type { SandboxResponse } from '../../sandbox/http-types.js';

export const API_PREFIX = '/v2';

/** A write body after parsing and schema validation, or the 400 to answer. */
export type EaBody = { readonly body: SandboxRecord; readonly error?: undefined } | { readonly error: SandboxResponse };

/** What every eAccounting route needs. */
export class EaContext {
  // ASP.NET model binding drops unknown members, so GET-modify-PUT with read-only fields still passes.
  readonly validator = new BodyValidator({ unknownProperties: 'ignore' });
  readonly random: SeededRandom;
  readonly errors: EaErrors;

  constructor(
    readonly services: SandboxServices,
    /** The company settings documents are priced by (`ShowPricesExclVatPC`). */
    readonly company: EaCompanySettings = DEFAULT_COMPANY_SETTINGS,
  ) {
    this.random = SeededRandom.derive(services.seed, 'eaccounting-runtime');
    this.errors = new EaErrors(SeededRandom.derive(services.seed, 'eaccounting-error-ids'));
  }

  get store() {
    return this.services.store;
  }

  /** `2026-03-14T09:12:44Z` on the sandbox clock. */
  now(): string {
    return isoSeconds(this.services.clock.now());
  }

  schema(entity: string, kind: 'read' | 'create' | 'update'): JsonSchema | undefined {
    return getEntity('eaccounting', entity)?.schemas[kind];
  }

  /** Looks a record up by a GUID in any letter case. */
  find(entity: string, id: unknown): SandboxRecord | undefined {
    if (typeof id !== 'string' || id === '') return undefined;
    return this.store.get(entity, id) ?? this.store.get(entity, id.toLowerCase());
  }

  readBody(request: SandboxRequest, entity: string, kind: 'create' | 'update'): EaBody {
    const parsed = parseJsonBody(request);
    if (parsed instanceof Error) return { error: this.errors.badBody(`The request body is not valid JSON: ${parsed.message}`) };
    if (parsed === undefined || typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return { error: this.errors.badBody('The request body must be a JSON object.') };
    }
    const schema = this.schema(entity, kind);
    if (schema) {
      const errors = this.validator.validate(schema, parsed);
      if (errors.length > 0) return { error: this.errors.validation(errors) };
    }
    return { body: parsed as SandboxRecord };
  }
}
