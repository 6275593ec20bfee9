import { getEntity } from '../../registry.js';
import type { JsonSchema } from '../../json-schema.js';
import { parseJsonBody, type SandboxRequest, type SandboxResponse } from '../../sandbox/http-types.js';
import type { SandboxServices } from '../../sandbox/services.js';
import type { SandboxRecord } from '../../sandbox/store.js';
import { BodyValidator } from '../../sandbox/validation.js';
import { SeededRandom } from '../../sandbox/rng.js';
import { CcvErrors } from './errors.js';

export const API_PREFIX = '/api/rest/v1';

/** What every CCV route needs: the records, the clock, write validation and the host-relative base URL. */
export class CcvContext {
  readonly validator = new BodyValidator();
  readonly random: SeededRandom;

  constructor(readonly services: SandboxServices) {
    this.random = SeededRandom.derive(services.seed, 'ccvshop-runtime');
  }

  get store() {
    return this.services.store;
  }

  base(request: SandboxRequest): string {
    return `${request.origin}${API_PREFIX}`;
  }

  /** Next integer id for an entity: one past the highest id in use (or the base). */
  nextId(entity: string, base: number): number {
    return this.store.nextNumericId(entity, base);
  }

  private rowIndex: { version: number; byOrder: Map<string, SandboxRecord[]> } | undefined;

  /** An order's rows, through an index rebuilt only after the records change (big seeds have many rows). */
  rowsOf(orderId: unknown): SandboxRecord[] {
    if (!this.rowIndex || this.rowIndex.version !== this.store.version) {
      const byOrder = new Map<string, SandboxRecord[]>();
      for (const row of this.store.list('orderrows')) {
        const key = String(row.order_id);
        const list = byOrder.get(key);
        if (list) list.push(row);
        else byOrder.set(key, [row]);
      }
      this.rowIndex = { version: this.store.version, byOrder };
    }
    return this.rowIndex.byOrder.get(String(orderId)) ?? [];
  }

  /**
   * Parses and validates a write body against the connector's schema for that entity and operation. Returns
   * the body, or the 400 (CCV shape) naming the first broken field.
   */
  readBody(request: SandboxRequest, entity: string, operation: 'create' | 'update'): BodyResult {
    const parsed = parseJsonBody(request);
    if (parsed instanceof Error) return { error: CcvErrors.badRequest(`Request body is not valid JSON: ${parsed.message}`) };
    if (parsed === undefined || typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return { error: CcvErrors.badRequest('Request body must be a JSON object') };
    }
    const schema: JsonSchema | undefined = getEntity('ccvshop', entity)?.schemas[operation];
    if (schema) {
      const errors = this.validator.validate(schema, parsed);
      if (errors.length > 0) {
        const details = errors.map((error) => `${error.field || 'body'}: ${error.message}`).join('; ');
        return { error: CcvErrors.badRequest(`Input does not match the ${entity} ${operation} schema. ${details}`) };
      }
    }
    return { body: parsed as SandboxRecord };
  }
}

export type BodyResult = { readonly body: SandboxRecord; readonly error?: undefined } | { readonly error: SandboxResponse };
