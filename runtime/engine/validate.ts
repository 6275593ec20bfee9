import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { JsonSchema } from '../../connectors/json-schema.js';
import type { Json } from '../../compiler/artifact.js';

// ajv-formats is CommonJS: under NodeNext its default export arrives wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => void;

/** Validates payloads against the target's create/update schemas; each schema is compiled once per process. */
export class PayloadValidator {
  private readonly ajv = new Ajv({ allErrors: true, strict: false });
  private readonly compiled = new WeakMap<object, ValidateFunction>();

  constructor() {
    addFormats(this.ajv);
  }

  /** Problems with the payload, one line each (`/Rows/0/Quantity must be number`); empty when it is valid. */
  check(schema: JsonSchema, payload: Json, ignore?: (value: unknown) => boolean): string[] {
    let validate = this.compiled.get(schema as object);
    if (!validate) {
      validate = this.ajv.compile(schema as object);
      this.compiled.set(schema as object, validate);
    }
    if (validate(payload)) return [];
    const errors = (validate.errors ?? []).filter((e) => !ignore || !ignore(valueAt(payload, e.instancePath)));
    return errors.map(describe);
  }
}

function describe(error: ErrorObject): string {
  const where = error.instancePath === '' ? '(payload)' : error.instancePath;
  if (error.keyword === 'additionalProperties') {
    return `${where}: unknown field ${JSON.stringify((error.params as { additionalProperty: string }).additionalProperty)}`;
  }
  return `${where} ${error.message ?? error.keyword}`;
}

/** The value at a JSON pointer (`/Rows/0/ArticleId`) inside the payload. */
function valueAt(payload: Json, pointer: string): unknown {
  let value: unknown = payload;
  for (const part of pointer.split('/').slice(1)) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  }
  return value;
}
