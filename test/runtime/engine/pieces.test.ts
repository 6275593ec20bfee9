import { describe, expect, it } from 'vitest';
import type { Json } from '../../../compiler/artifact.js';
import { covers, holds } from '../../../runtime/engine/compare.js';
import { canonicalJson, contentHash } from '../../../runtime/engine/hash.js';
import { parseUtc } from '../../../runtime/engine/source-reader.js';
import type { JsonSchema } from '../../../connectors/json-schema.js';
import { PayloadValidator } from '../../../runtime/engine/validate.js';

describe('content hash', () => {
  it('is the same for equal payloads built in another key order, and differs when a value changes', () => {
    expect(canonicalJson({ b: 1, a: [{ y: 2, x: 1 }] })).toBe('{"a":[{"x":1,"y":2}],"b":1}');
    expect(contentHash({ b: 1, a: 2 })).toBe(contentHash({ a: 2, b: 1 }));
    expect(contentHash({ a: 2, b: 1 })).not.toBe(contentHash({ a: 2, b: 2 }));
  });
});

describe('covers', () => {
  const existing: Json = { Id: 'x', Name: 'Ann', Address: { City: 'Utrecht', Zip: '1234' }, Rows: [{ Qty: 1, Extra: true }] };
  it('is true when every payload field already holds its value, extra read fields ignored', () => {
    expect(covers(existing, { Name: 'Ann', Address: { City: 'Utrecht' }, Rows: [{ Qty: 1 }] })).toBe(true);
    expect(covers(existing, { Gone: null })).toBe(true);
  });
  it('is false for any changed, added or cleared value', () => {
    expect(covers(existing, { Name: 'Bob' })).toBe(false);
    expect(covers(existing, { Rows: [{ Qty: 1 }, { Qty: 2 }] })).toBe(false);
    expect(covers(existing, { Name: null })).toBe(false);
  });
});

describe('holds', () => {
  it('compares write fields under the name the API reads them back with', () => {
    const product: Json = { id: 7, is_active: true, package: { href: 'x', id: 3 }, name: 'Thee' };
    const readBack = { active: 'is_active', package_id: 'package.id' };
    expect(holds(product, { active: true, package_id: 3, name: 'Thee' }, readBack)).toBe(true);
    expect(holds(product, { active: false }, readBack)).toBe(false);
    expect(holds(product, { package_id: 4 }, readBack)).toBe(false);
    expect(holds(product, { active: true })).toBe(false);
  });
});

describe('parseUtc', () => {
  it('reads stamps without a zone as UTC', () => {
    expect(parseUtc('2026-03-13T16:40:02')).toBe(Date.UTC(2026, 2, 13, 16, 40, 2));
    expect(parseUtc('2026-03-13T16:40:02Z')).toBe(Date.UTC(2026, 2, 13, 16, 40, 2));
    expect(parseUtc('2026-03-13T18:40:02+02:00')).toBe(Date.UTC(2026, 2, 13, 16, 40, 2));
    expect(parseUtc('2026-03-13')).toBe(Date.UTC(2026, 2, 13));
  });
});

describe('PayloadValidator', () => {
  const schema: JsonSchema = {
    type: 'object',
    required: ['CustomerId', 'Rows'],
    additionalProperties: false,
    properties: { CustomerId: { type: 'string', format: 'uuid' }, Rows: { type: 'array', items: { type: 'object', properties: { Quantity: { type: 'number' } } } } },
  };
  it('names each problem by its place in the payload', () => {
    const validator = new PayloadValidator();
    expect(validator.check(schema, { CustomerId: '2f1c1a52-1111-4a5b-9c8d-112233445566', Rows: [{ Quantity: 1 }] })).toEqual([]);
    expect(validator.check(schema, { CustomerId: 'nope', Rows: [{ Quantity: '1' }], Extra: 1 })).toEqual([
      '(payload): unknown field "Extra"',
      '/CustomerId must match format "uuid"',
      '/Rows/0/Quantity must be number',
    ]);
  });
  it('can ignore values that are dry-run placeholders', () => {
    const validator = new PayloadValidator();
    const problems = validator.check(schema, { CustomerId: '(new eaccounting.customers EmailAddress="a")', Rows: [] }, (v) => typeof v === 'string' && v.startsWith('(new '));
    expect(problems).toEqual([]);
  });
});
