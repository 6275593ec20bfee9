import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, VENDORED, type HmacVector } from '../../scripts/vendor-reference.js';
import { ccvDate, ccvSignature, ccvSignatureMatches } from '../../connectors/ccvshop/hmac.js';

// The test vectors of the API notes (public key `demo`, secret `demo`), as scripts/vendor-reference.ts copies them.
const vectors = JSON.parse(readFileSync(join(repoRoot, VENDORED.hmacVectors), 'utf8')) as HmacVector[];

describe('CCV HMAC signing', () => {
  it('has the three vectors the notes document', () => {
    expect(vectors.map((v) => `${v.method} ${v.uri}`)).toEqual(['GET /api/rest/v1/orders/?start=0&size=25', 'PATCH /api/rest/v1/products/123456/', 'GET /api/rest/v1/orders/123/orderrows']);
  });

  for (const v of vectors) {
    it(`reproduces the documented vector for ${v.method} ${v.uri}`, () => {
      expect(ccvSignature('demo', { ...v })).toBe(v.hash);
      expect(ccvSignatureMatches('demo', { ...v }, v.hash)).toBe(true);
    });
  }

  it('rejects a signature over a tampered body, path or date', () => {
    const v = vectors[1]!;
    const base = { ...v };
    expect(ccvSignatureMatches('demo', { ...base, body: '{"stock":6}' }, v.hash)).toBe(false);
    expect(ccvSignatureMatches('demo', { ...base, uri: '/api/rest/v1/products/123457/' }, v.hash)).toBe(false);
    expect(ccvSignatureMatches('demo', { ...base, date: '2024-01-15T10:00:01Z' }, v.hash)).toBe(false);
    expect(ccvSignatureMatches('other', base, v.hash)).toBe(false);
  });

  it('formats x-date as ISO 8601 UTC without milliseconds', () => {
    expect(ccvDate(new Date(Date.UTC(2024, 0, 15, 10, 0, 0, 123)))).toBe('2024-01-15T10:00:00Z');
  });
});
