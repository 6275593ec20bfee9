import { createHmac } from 'node:crypto';

/**
 * `x-hash` of a CCV webhook call: HMAC-SHA512 of `address|body`, keyed with the webhook's key, lowercase hex
 * [G: by analogy with CCV's app calls, §1]. The sandbox signs with it, the service's receiver checks with it.
 */
export function webhookHash(key: string, address: string, body: string): string {
  return createHmac('sha512', Buffer.from(key, 'utf8')).update(`${address}|${body}`, 'utf8').digest('hex');
}
