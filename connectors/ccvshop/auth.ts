import type { AuthPlugin, AuthPluginFactory, OutgoingRequest } from '../client/auth-plugin.js';
import { AuthError, ResponseSignatureError, UsageError } from '../client/errors.js';
import type { WireResponse } from '../client/transport.js';
import { ccvDate, ccvSignature, ccvSignatureMatches } from './hmac.js';

/**
 * CCV Shop HMAC plug-in. Each attempt is signed over `public|METHOD|uri|body|x-date` where uri and body are the
 * exact strings the core sends (it serialises a body once and never re-encodes a path). Every response must carry
 * `x-hash` over `public|METHOD|uri|raw response body|response x-date`; anything else is rejected, as the official
 * SDK does, because an unsigned answer cannot be told apart from a forged one. One exception: an unsigned 401 or
 * 403 is reported as the API error it is, because a shop that does not know our public key cannot sign, and the
 * user needs "unknown public key" rather than "unsigned response". Nothing from such an answer is trusted
 * except that the request failed. A 401 or 403 that is signed, but not with our secret, is the shop refusing our
 * signature (it signs with the secret it holds, we verify with ours): the secret is wrong, and that is what the
 * user must read, not "response signature does not match".
 */
export const ccvHmacAuth: AuthPluginFactory = (context): AuthPlugin => {
  const { publicKey, secret } = context.credentials;
  if (!publicKey || !secret) throw new UsageError(context.definition.name, 'credentials.publicKey and credentials.secret are required');
  context.redactor.addSecret(secret);
  const summary = (request: OutgoingRequest) => ({ method: request.method, path: context.redactor.path(request.path) });

  return {
    async headers(request) {
      const date = ccvDate(new Date(context.clock()));
      const hash = ccvSignature(secret, { publicKey, method: request.method, uri: request.path, body: request.body ?? '', date });
      return { 'x-public': publicKey, 'x-date': date, 'x-hash': hash };
    },
    verify(request, response: WireResponse) {
      const hash = response.headers['x-hash'];
      const date = response.headers['x-date'];
      if (!hash || !date) {
        if (response.status === 401 || response.status === 403) return;
        throw new ResponseSignatureError(context.definition.name, summary(request), response.status, 'missing');
      }
      const input = { publicKey, method: request.method, uri: request.path, body: response.body, date };
      if (!ccvSignatureMatches(secret, input, hash)) {
        if (response.status === 401 || response.status === 403) {
          const reason = 'the shop refused our signature, and its answer does not verify with our secret either: the secret is wrong';
          throw new AuthError(context.definition.name, `credentials refused (HTTP ${response.status}): ${reason}`, undefined, summary(request), {
            status: response.status,
            fields: ['secret'],
            reason,
          });
        }
        throw new ResponseSignatureError(context.definition.name, summary(request), response.status, 'mismatch');
      }
    },
  };
};
