import { afterEach, describe, expect, it } from 'vitest';
import { ccvshop } from '../../../connectors/ccvshop/definition.js';
import { ccvDate, ccvSignature, ccvSignatureMatches } from '../../../connectors/ccvshop/hmac.js';
import { createClient, ResponseSignatureError } from '../../../connectors/client/index.js';
import { type Loopback, type LoopbackRequest, startLoopback } from './loopback.js';
import { CCV_KEYS } from './sandboxes.js';

/** Response signatures: the client trusts nothing CCV did not sign, and signs exactly the bytes it sends. */
describe('CCV HMAC plug-in', () => {
  let server: Loopback | undefined;
  afterEach(async () => server?.close());

  /** A shop that answers `body`, signed with `secret` (or unsigned), after checking our own signature. */
  async function shop(body: string, sign: 'right' | 'wrong-secret' | 'tampered' | 'none'): Promise<Loopback> {
    return startLoopback((request: LoopbackRequest, response) => {
      const date = String(request.headers['x-date']);
      const ours = ccvSignatureMatches(
        CCV_KEYS.secret,
        { publicKey: CCV_KEYS.publicKey, method: request.method, uri: request.url, body: request.body, date },
        String(request.headers['x-hash']),
      );
      const answer = ours ? body : '{"status":401,"code":"401.1","developermessage":"bad hash"}';
      const responseDate = ccvDate(new Date());
      const secret = sign === 'wrong-secret' ? 'another-secret-entirely' : CCV_KEYS.secret;
      const hash = ccvSignature(secret, { publicKey: CCV_KEYS.publicKey, method: request.method, uri: request.url, body: answer, date: responseDate });
      const sent = sign === 'tampered' ? answer.replace('12.5', '99.5') : answer;
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (sign !== 'none') Object.assign(headers, { 'x-date': responseDate, 'x-hash': hash });
      response.writeHead(ours ? 200 : 401, headers);
      response.end(sent);
    });
  }

  const clientFor = (url: string) => createClient(ccvshop, { baseUrl: `${url}/api/rest/v1`, credentials: CCV_KEYS });
  const product = '{"id":5,"name":"Koffie","price":12.5}';

  it('accepts a correctly signed response over the exact bytes sent and received', async () => {
    server = await shop(product, 'right');
    const client = clientFor(server.url);
    expect(await client.get('products', 5)).toEqual({ id: 5, name: 'Koffie', price: 12.5 });
    await client.update('products', 5, { name: 'Zwarte koffie ü', stock: 3 });
    await client.close();
    expect(server.requests[1]?.body).toBe('{"name":"Zwarte koffie ü","stock":3}');
  });

  for (const [sign, problem] of [
    ['none', 'missing'],
    ['wrong-secret', 'mismatch'],
    ['tampered', 'mismatch'],
  ] as const) {
    it(`rejects a response that is ${sign === 'none' ? 'unsigned' : sign} with a typed error`, async () => {
      server = await shop(product, sign);
      const client = clientFor(server.url);
      const error = await client.get('products', 5).catch((caught: unknown) => caught);
      await client.close();
      expect(error).toBeInstanceOf(ResponseSignatureError);
      expect(error).toMatchObject({ kind: 'response-signature', problem, status: 200, request: { method: 'GET', path: '/api/rest/v1/products/5' } });
      expect(JSON.stringify(error) + (error as Error).message).not.toContain(CCV_KEYS.secret);
    });
  }
});
