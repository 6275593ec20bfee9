import type { JsonSchema } from '../../json-schema.js';
import { getEntity } from '../../registry.js';
import { parseJsonBody, type SandboxRequest } from '../../sandbox/http-types.js';
import { SeededRandom } from '../../sandbox/rng.js';
import { isoSeconds } from '../../sandbox/seed-plan.js';
import type { SandboxServices } from '../../sandbox/services.js';
import type { RecordStore, SandboxRecord } from '../../sandbox/store.js';
import { BodyValidator } from '../../sandbox/validation.js';
import { shapeToContract, withoutReadOnly } from './contract.js';
import { EaErrors } from './errors.js';
import { DEFAULT_COMPANY_SETTINGS, type EaCompanySettings } from './entities/vat.js';
import type { SandboxResponse } from '../../sandbox/http-types.js';

export const API_PREFIX = '/v2';

/** Countries are addressed by their code; everything else by its GUID `Id`. */
export function eaIdField(entity: string): string {
  return entity === 'countries' ? 'Code' : 'Id';
}

/** A write body after parsing and schema validation, or the 400 to answer. */
export type EaBody = { readonly body: SandboxRecord; readonly error?: undefined } | { readonly error: SandboxResponse };

export function eaSchema(entity: string, kind: 'read' | 'create' | 'update'): JsonSchema | undefined {
  return getEntity('eaccounting', entity)?.schemas[kind];
}

/** `record` as the contract shows it (every documented property, nothing else); unchanged for an unknown entity. */
export function inContractShape(entity: string, record: SandboxRecord): SandboxRecord {
  const read = eaSchema(entity, 'read');
  return read ? (shapeToContract(read, record) as SandboxRecord) : record;
}

/**
 * What the record builders need: the records, fresh ids, the time and the error bodies. The seed builds its
 * documents through the same builders with its own ids and dates.
 */
export class EaRecords {
  constructor(
    readonly store: RecordStore,
    readonly random: SeededRandom,
    readonly errors: EaErrors,
    private readonly nowMs: () => number,
    /** The company settings documents are priced by (`ShowPricesExclVatPC`). */
    readonly company: EaCompanySettings = DEFAULT_COMPANY_SETTINGS,
  ) {}

  /** `2026-03-14T09:12:44Z`. */
  now(): string {
    return isoSeconds(this.nowMs());
  }

  /** Looks a record up by a GUID in any letter case. */
  find(entity: string, id: unknown): SandboxRecord | undefined {
    if (typeof id !== 'string' || id === '') return undefined;
    return this.store.get(entity, id) ?? this.store.get(entity, id.toLowerCase());
  }
}

/** What every eAccounting route needs. */
export class EaContext extends EaRecords {
  readonly validator = new BodyValidator();

  constructor(readonly services: SandboxServices, company: EaCompanySettings = DEFAULT_COMPANY_SETTINGS) {
    super(
      services.store,
      SeededRandom.derive(services.seed, 'eaccounting-runtime'),
      new EaErrors(SeededRandom.derive(services.seed, 'eaccounting-error-ids')),
      () => services.clock.now(),
      company,
    );
  }

  schema(entity: string, kind: 'read' | 'create' | 'update'): JsonSchema | undefined {
    return eaSchema(entity, kind);
  }

  /** The body of a POST or PUT, parsed and checked against the operation's contract (`checkWriteBody`). */
  readBody(request: SandboxRequest, entity: string, kind: 'create' | 'update'): EaBody {
    const parsed = parseJsonBody(request);
    if (parsed instanceof Error) return { error: this.errors.badBody(`The request body is not valid JSON: ${parsed.message}`) };
    if (parsed === undefined || typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return { error: this.errors.badBody('The request body must be a JSON object.') };
    }
    return checkWriteBody(this.validator, this.errors, entity, kind, parsed as SandboxRecord);
  }
}

/**
 * A write body checked against the operation's contract. Documented read-only properties are dropped first
 * (ASP.NET ignores them, so GET-modify-PUT works); anything else the closed write schema does not list is a 400
 * naming the field, never a silent drop, as are broken `required`, `maxLength`, `enum` and type rules.
 */
export function checkWriteBody(validator: BodyValidator, errors: EaErrors, entity: string, kind: 'create' | 'update', given: SandboxRecord): EaBody {
  const read = eaSchema(entity, 'read');
  const body = (read ? withoutReadOnly(read, given) : given) as SandboxRecord;
  const schema = eaSchema(entity, kind);
  const broken = schema ? validator.validate(schema, body) : [];
  return broken.length > 0 ? { error: errors.validation(broken) } : { body };
}
