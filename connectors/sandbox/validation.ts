import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { JsonSchema } from '../json-schema.js';
import { schemaAnnotationKeywords } from '../schemas.js';

/** One broken rule in a request body, named by its field path (`Rows[0].ArticleId`). */
export interface FieldError {
  readonly field: string;
  /** The JSON Schema keyword that failed (`required`, `type`, `maxLength`...). */
  readonly keyword: string;
  readonly message: string;
}

type AjvConstructor = typeof Ajv;
// ajv-formats is CommonJS; under NodeNext its default export arrives as the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: InstanceType<AjvConstructor>) => void;

/**
 * Compiles connector schemas once each and checks request bodies against them. Nothing is dropped: the
 * schema's `additionalProperties` decides about fields it does not list (the write schemas are closed).
 */
export class BodyValidator {
  private readonly ajv: InstanceType<AjvConstructor>;
  private readonly compiled = new WeakMap<JsonSchema, ValidateFunction>();

  constructor() {
    this.ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(this.ajv);
    // Swagger's numeric formats carry no extra rule for JSON.
    for (const format of ['int32', 'int64', 'double', 'float', 'byte']) this.ajv.addFormat(format, true);
    // ASP.NET binds `2026-03-14` and `2026-03-14T10:00:00` (no zone) to a DateTime; eAccounting documents
    // "YYYY-MM-DD" for fields typed date-time, so both must pass.
    this.ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i);
    for (const keyword of schemaAnnotationKeywords) this.ajv.addKeyword(keyword);
  }

  /** Checks `body`. Returns the errors, empty when valid. */
  validate(schema: JsonSchema, body: unknown): FieldError[] {
    let validate = this.compiled.get(schema);
    if (!validate) {
      const { $id: _ignored, ...withoutId } = schema;
      validate = this.ajv.compile(withoutId);
      this.compiled.set(schema, validate);
    }
    if (validate(body)) return [];
    return (validate.errors ?? []).map(toFieldError);
  }
}

function toFieldError(error: ErrorObject): FieldError {
  const base = pointerToPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  const child = (params.missingProperty ?? params.additionalProperty) as string | undefined;
  const field = child ? (base ? `${base}.${child}` : child) : base;
  return { field, keyword: error.keyword, message: describe(error, field) };
}

function describe(error: ErrorObject, field: string): string {
  const name = field || 'body';
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `The ${name} field is required.`;
    case 'additionalProperties':
      return `The ${name} field is not allowed: it is not a writable property of this resource.`;
    case 'maxLength':
      return `The field ${name} must be a string with a maximum length of ${String(params.limit)}.`;
    case 'type':
      return `The field ${name} must be of type ${String(params.type)}.`;
    case 'enum':
      return `The field ${name} must be one of: ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}.`;
    default:
      return `The field ${name} ${error.message ?? 'is invalid'}.`;
  }
}

/** `/Rows/0/ArticleId` -> `Rows[0].ArticleId`. */
function pointerToPath(pointer: string): string {
  if (!pointer) return '';
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^\d+$/.test(part) ? `[${part}]` : out ? `.${part}` : part;
  }
  return out;
}
