import { describe, expect, it } from 'vitest';
import { ccvDate, ccvSignature, ccvSignatureMatches } from '../../connectors/ccvshop/hmac.js';

// The test vectors from shared/apis/ccvshop.md (public key `demo`, secret `demo`).
const vectors = [
  {
    method: 'GET',
    uri: '/api/rest/v1/orders/?start=0&size=25',
    body: '',
    date: '2024-01-15T10:00:00Z',
    hash: 'fc5d4b5b7bca65c5cba1768ac075db047fd4b853bd4d8108304ac0abae62b5e8021f4788a5fbe2c7cae4a811642351730676ffb86ce132b1aafa65b43278d3c1',
  },
  {
    method: 'PATCH',
    uri: '/api/rest/v1/products/123456/',
    body: '{"stock":5}',
    date: '2024-01-15T10:00:00Z',
    hash: 'dc770ee0eebf48fbb4e1bc5f2014009c07dfedd1afaef97c1e95857ac8ebab6315bd80e86e0e0ccd1e873edf61ea0b253617e36d6dddf7097aefce9da5fb9307',
  },
  {
    method: 'GET',
    uri: '/api/rest/v1/orders/123/orderrows',
    body: '',
    date: '2024-01-15T10:00:00+00:00',
    hash: '257b2ada34c2cc573bcd4d40925d3d1761974faa3301503cb58362d5886ac3026fdf167a79d5ec172a498bc920159e0c5ccd872b6b9c003291c059b04b3ffabd',
  },
];

describe('CCV HMAC signing', () => {
  for (const v of vectors) {
    it(`reproduces the documented vector for ${v.method} ${v.uri}`, () => {
      expect(ccvSignature('demo', { publicKey: 'demo', ...v })).toBe(v.hash);
      expect(ccvSignatureMatches('demo', { publicKey: 'demo', ...v }, v.hash)).toBe(true);
    });
  }

  it('rejects a signature over a tampered body, path or date', () => {
    const v = vectors[1]!;
    const base = { publicKey: 'demo', ...v };
    expect(ccvSignatureMatches('demo', { ...base, body: '{"stock":6}' }, v.hash)).toBe(false);
    expect(ccvSignatureMatches('demo', { ...base, uri: '/api/rest/v1/products/123457/' }, v.hash)).toBe(false);
    expect(ccvSignatureMatches('demo', { ...base, date: '2024-01-15T10:00:01Z' }, v.hash)).toBe(false);
    expect(ccvSignatureMatches('other', base, v.hash)).toBe(false);
  });

  it('formats x-date as ISO 8601 UTC without milliseconds', () => {
    expect(ccvDate(new Date(Date.UTC(2024, 0, 15, 10, 0, 0, 123)))).toBe('2024-01-15T10:00:00Z');
  });
});
