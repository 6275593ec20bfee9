import { describe, expect, it } from 'vitest';
import { odataEquals, odataLiteral } from '../../../connectors/client/odata.js';

describe('OData $filter literals', () => {
  it('quotes strings and doubles apostrophes inside them', () => {
    expect(odataEquals('Name', "Bob's Bikes", { type: 'string' })).toBe("Name eq 'Bob''s Bikes'");
    expect(odataLiteral("''", { type: 'string' })).toBe("''''''");
  });

  it('leaves GUIDs, numbers, booleans and datetimes bare', () => {
    expect(odataLiteral('3f2c1a9e-0b7d-4c55-9a61-2e8f4d1b7c10', { type: 'string', format: 'uuid' })).toBe('3f2c1a9e-0b7d-4c55-9a61-2e8f4d1b7c10');
    expect(odataLiteral(42)).toBe('42');
    expect(odataLiteral('42', { type: 'integer' })).toBe('42');
    expect(odataLiteral(true)).toBe('true');
    expect(odataLiteral(new Date('2026-03-01T00:00:00.000Z'))).toBe('2026-03-01T00:00:00Z');
  });

  it('keeps a string field quoted even when its value looks like a number', () => {
    expect(odataLiteral('10042', { type: ['string', 'null'] })).toBe("'10042'");
  });
});
