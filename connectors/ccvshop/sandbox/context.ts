import { getEntity } from '../../registry.js';
import type { JsonSchema } from '../../json-schema.js';
import { parseJsonBody, type SandboxRequest, type SandboxResponse } from '../../sandbox/http-types.js';
import type { SandboxServices } from '../../sandbox/services.js';
import type { SandboxRecord } from '../../sandbox/store.js';
import { BodyValidator } from '../../sandbox/validation.js';
import { SeededRandom } from '../../sandbox/rng.js';
import { childCollection, type ChildCollection } from './children.js';
import { CcvErrors } from './errors.js';

const ORDER_ROWS = childCollection('orders', 'orderrows') as ChildCollection;

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

  private childIndex: { version: number; byParent: Map<ChildCollection, Map<string, SandboxRecord[]>> } | undefined;

  /**
   * The records of one child collection under one parent (an order's rows, a product's photos), through an index
   * rebuilt only after the records change: big seeds have many rows, and every order's rows are read.
   */
  childrenOf(collection: ChildCollection, parentId: unknown): SandboxRecord[] {
    if (!this.childIndex || this.childIndex.version !== this.store.version) {
      this.childIndex = { version: this.store.version, byParent: new Map() };
    }
    let byParent = this.childIndex.byParent.get(collection);
    if (!byParent) {
      byParent = new Map();
      for (const record of this.store.list(collection.entity)) {
        const key = String(collection.parentOf(record));
        const list = byParent.get(key);
        if (list) list.push(record);
        else byParent.set(key, [record]);
      }
      this.childIndex.byParent.set(collection, byParent);
    }
    return byParent.get(String(parentId)) ?? [];
  }

  /** An order's rows. */
  rowsOf(orderId: unknown): SandboxRecord[] {
    return this.childrenOf(ORDER_ROWS, orderId);
  }

  /**
   * Parses and validates a write body against the connector's schema for that entity and operation (or the
   * schema given, for writes the connector definition does not declare). Returns the body, or the 400 (CCV
   * shape) naming the first broken field.
   */
  readBody(request: SandboxRequest, entity: string, operation: 'create' | 'update', given?: JsonSchema): BodyResult {
    const parsed = parseJsonBody(request);
    if (parsed instanceof Error) return { error: CcvErrors.badRequest(`Request body is not valid JSON: ${parsed.message}`) };
    if (parsed === undefined || typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return { error: CcvErrors.badRequest('Request body must be a JSON object') };
    }
    const schema: JsonSchema | undefined = given ?? getEntity('ccvshop', entity)?.schemas[operation];
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
