import { jsonResponse, type SandboxResponse } from '../../sandbox/http-types.js';
import type { SeededRandom } from '../../sandbox/rng.js';
import type { FieldError } from '../../sandbox/validation.js';

/** One entry of `Errors` in eAccounting's `CommonExtendedBadRequest`. */
export interface EaFieldError {
  readonly Field: string;
  readonly ErrorCode: string;
  readonly Message: string;
  readonly Key: string | null;
}

/**
 * eAccounting error bodies (§3): `{ErrorCode, DeveloperErrorMessage, ErrorId, Errors?}` with a unique
 * `ErrorId` on every failure. The ids come from the seeded generator so runs repeat exactly.
 */
export class EaErrors {
  constructor(private readonly random: SeededRandom) {}

  body(status: number, code: number, message: string, errors?: readonly EaFieldError[], headers: Record<string, string> = {}): SandboxResponse {
    return jsonResponse(
      status,
      { ErrorCode: code, DeveloperErrorMessage: message, ErrorId: this.random.uuid(), ...(errors ? { Errors: errors } : {}) },
      headers,
    );
  }

  /** The documented 401 [H]. */
  notAuthorized(): SandboxResponse {
    return this.body(401, 4005, 'AuthorizationException - Authorization has been denied for this request.', undefined, { 'www-authenticate': 'Bearer' });
  }

  /** The documented 429 [H], N = whole seconds left in the window (at least 1). */
  tooManyRequests(retryAfterMs: number, limit: number): SandboxResponse {
    const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
    return this.body(429, 4010, `API calls quota exceeded! maximum admitted ${limit} per Minute. Try again in ${seconds} seconds.`);
  }

  validation(errors: readonly FieldError[]): SandboxResponse {
    const list = errors.map((error) => ({ Field: error.field, ErrorCode: errorCodeName(error.keyword), Message: error.message, Key: null }));
    const first = list[0];
    return this.body(400, 2000, `DataModelValidationError: ${first ? first.Message : 'The request is invalid.'}`, list);
  }

  /**
   * A referenced record (CustomerId, ArticleId, TermsOfPaymentId, DeliveryMethodCode...) does not exist: 400,
   * ErrorCode 3000. `key` names what the value is (an id, a code).
   */
  missingReference(field: string, value: unknown, entity: string, key = 'id'): SandboxResponse {
    const message = `ResourceNotFound: ${entity} with ${key} '${String(value)}' referenced by ${field} was not found.`;
    return this.body(400, 3000, message, [{ Field: field, ErrorCode: 'ResourceNotFound', Message: message, Key: null }]);
  }

  /** The id in the path does not exist: 404, ErrorCode 3000. */
  notFound(entity: string, id: string): SandboxResponse {
    return this.body(404, 3000, `ResourceNotFound: ${entity} with id '${id}' was not found.`);
  }

  /** A unique key is taken (CustomerNumber, article Number): 400, ErrorCode 4000. */
  conflict(field: string, value: unknown): SandboxResponse {
    const message = `Conflict: ${field} '${String(value)}' is already in use.`;
    return this.body(400, 4000, message, [{ Field: field, ErrorCode: 'Conflict', Message: message, Key: null }]);
  }

  /** ErrorCode 4025 InvalidVatNumber (§3). */
  invalidVatNumber(value: string): SandboxResponse {
    const message = `InvalidVatNumber: '${value}' is not a valid VAT number (2-letter country code followed by 8-12 numbers and letters).`;
    return this.body(400, 4025, message, [{ Field: 'VatNumber', ErrorCode: 'InvalidVatNumber', Message: message, Key: null }]);
  }

  cannotBeDeleted(entity: string, reason: string): SandboxResponse {
    return this.body(400, 4001, `CanNotBeDeleted: the ${entity} ${reason}.`);
  }

  queryError(message: string): SandboxResponse {
    return this.body(400, 6000, `QueryParameterError: ${message}`);
  }

  badBody(message: string): SandboxResponse {
    return this.body(400, 2000, `DataModelValidationError: ${message}`, [{ Field: '', ErrorCode: 'InvalidFormat', Message: message, Key: null }]);
  }

  methodNotAllowed(method: string): SandboxResponse {
    return jsonResponse(405, { Message: `The requested resource does not support http method '${method}'.` });
  }

  unknownPath(path: string): SandboxResponse {
    return jsonResponse(404, { Message: `No HTTP resource was found that matches the request URI '${path}'.` });
  }

  internal(status: number): SandboxResponse {
    return this.body(status, 5000, 'InternalServerError - An unexpected error occurred.');
  }
}

function errorCodeName(keyword: string): string {
  switch (keyword) {
    case 'required':
      return 'Required';
    case 'maxLength':
    case 'minLength':
      return 'StringLength';
    case 'minimum':
    case 'maximum':
      return 'Range';
    case 'type':
      return 'InvalidType';
    case 'format':
    case 'pattern':
      return 'InvalidFormat';
    case 'enum':
      return 'InvalidValue';
    case 'additionalProperties':
      return 'UnknownProperty';
    default:
      return 'Invalid';
  }
}
