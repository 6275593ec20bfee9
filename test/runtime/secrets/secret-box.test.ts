import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SecretBox, SecretKeyError } from '../../../runtime/secrets/secret-box.js';

const key = randomBytes(32);
const box = new SecretBox(key);

describe('SecretBox (AES-256-GCM)', () => {
  it('seals with a fresh IV each time and opens what it sealed, in its place only', () => {
    const a = box.seal('ccv-secret-123', 'integration-1/secrets/connections.ccvshop.secret');
    const b = box.seal('ccv-secret-123', 'integration-1/secrets/connections.ccvshop.secret');
    expect(a.equals(b)).toBe(false);
    expect(a.includes(Buffer.from('ccv-secret-123'))).toBe(false);
    expect(box.open(a, 'integration-1/secrets/connections.ccvshop.secret', 'x')).toBe('ccv-secret-123');
    expect(() => box.open(a, 'integration-2/secrets/connections.ccvshop.secret', 'integration shop-2: connections.ccvshop.secret')).toThrow(
      'integration shop-2: connections.ccvshop.secret: the stored value does not authenticate (damaged, or copied from another integration or field)',
    );
    const damaged = Buffer.from(a);
    damaged[damaged.length - 1]! ^= 1;
    expect(() => box.open(damaged, 'integration-1/secrets/connections.ccvshop.secret', 'x')).toThrow(SecretKeyError);
    expect(() => box.open(Buffer.from('plain text'), 'c', 'integration shop-1: y')).toThrow('integration shop-1: y: the stored value is not a Mapline sealed secret');
  });

  it('tells a value sealed with another key apart, and opens it while that key is listed as previous', () => {
    const other = new SecretBox(randomBytes(32));
    const sealed = box.seal('token', 'ctx');
    expect(() => other.open(sealed, 'ctx', 'integration shop-1: the OAuth tokens of connection eaccounting')).toThrow(
      new RegExp(`^integration shop-1: the OAuth tokens of connection eaccounting was encrypted with another key \\(key id ${box.keyId}\\), not with MAPLINE_SECRET_KEY \\(key id ${other.keyId}\\)`),
    );
    const rotating = SecretBox.fromEnv({ MAPLINE_SECRET_KEY: randomBytes(32).toString('base64'), MAPLINE_SECRET_KEY_PREVIOUS: ` ${key.toString('base64')} ` })!;
    expect(rotating.open(sealed, 'ctx', 'x')).toBe('token');
    expect(rotating.isCurrent(sealed)).toBe(false);
    expect(rotating.isCurrent(rotating.seal('token', 'ctx'))).toBe(true);
  });

  it('reads the key from the environment: absent is undefined, malformed or missing-when-needed a clear error', () => {
    expect(SecretBox.fromEnv({})).toBeUndefined();
    expect(SecretBox.fromEnv({ MAPLINE_SECRET_KEY: key.toString('base64') })!.keyId).toBe(box.keyId);
    expect(() => SecretBox.fromEnv({ MAPLINE_SECRET_KEY: randomBytes(16).toString('base64') })).toThrow('MAPLINE_SECRET_KEY must be base64 of exactly 32 bytes');
    expect(() => SecretBox.fromEnv({ MAPLINE_SECRET_KEY: 'not base64!' })).toThrow(SecretKeyError);
    expect(() => SecretBox.require('integration shop-1 has encrypted secrets', {})).toThrow(/^MAPLINE_SECRET_KEY is not set: integration shop-1 has encrypted secrets\. Set it to a base64 key/);
  });
});
