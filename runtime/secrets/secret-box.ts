import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** The environment variable holding the key (base64 of 32 random bytes), and the one holding retired keys. */
export const SECRET_KEY_ENV = 'MAPLINE_SECRET_KEY';
export const PREVIOUS_KEYS_ENV = 'MAPLINE_SECRET_KEY_PREVIOUS';

/** A missing, malformed or wrong key, or a sealed value that does not open: said plainly, never with a stack. */
export class SecretKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretKeyError';
  }
}

const VERSION = 1;
const KEY_ID_BYTES = 8;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + KEY_ID_BYTES + IV_BYTES + TAG_BYTES;

/**
 * Seals secrets at rest with AES-256-GCM (node:crypto). A sealed value is
 * `version (1 byte) | key id (8) | IV (12, random per value) | GCM tag (16) | ciphertext`, and its additional
 * authenticated data is the place it belongs to (integration id and secret path), so a value copied to another
 * integration or field does not open. The key id (the first 8 bytes of SHA-256 over the key) tells "sealed with
 * another key" apart from "damaged", and picks the right key during a rotation: new values are always sealed
 * with the current key; values sealed with a retired key (`MAPLINE_SECRET_KEY_PREVIOUS`) still open.
 */
export class SecretBox {
  private readonly current: Key;
  private readonly keys: ReadonlyMap<string, Key>;

  constructor(current: Buffer, previous: readonly Buffer[] = []) {
    this.current = keyOf(current);
    this.keys = new Map([...previous.map(keyOf), this.current].map((k) => [k.id, k]));
  }

  /** The key from the environment; undefined when `MAPLINE_SECRET_KEY` is not set. A malformed key throws. */
  static fromEnv(env: Readonly<Record<string, string | undefined>> = process.env): SecretBox | undefined {
    const text = env[SECRET_KEY_ENV];
    if (text === undefined || text === '') return undefined;
    const previous = (env[PREVIOUS_KEYS_ENV] ?? '').split(',').map((k) => k.trim()).filter((k) => k !== '');
    return new SecretBox(decodeKey(text, SECRET_KEY_ENV), previous.map((k) => decodeKey(k, PREVIOUS_KEYS_ENV)));
  }

  /** The key from the environment, or a `SecretKeyError` saying what it is needed for. */
  static require(why: string, env: Readonly<Record<string, string | undefined>> = process.env): SecretBox {
    const box = SecretBox.fromEnv(env);
    if (!box) {
      throw new SecretKeyError(
        `${SECRET_KEY_ENV} is not set: ${why}. Set it to a base64 key of 32 random bytes (e.g. \`openssl rand -base64 32\`), the same on every machine`,
      );
    }
    return box;
  }

  /** Short public name of the current key (for messages; reveals nothing of the key). */
  get keyId(): string {
    return this.current.id;
  }

  seal(plaintext: string, context: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.bytes, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), Buffer.from(this.current.id, 'hex'), iv, cipher.getAuthTag(), body]);
  }

  /** Opens a sealed value; `label` names it in errors (`integration shop-1: connections.ccvshop.secret`). */
  open(sealed: Buffer, context: string, label: string): string {
    if (sealed.length < HEADER_BYTES || sealed[0] !== VERSION) throw new SecretKeyError(`${label}: the stored value is not a Mapline sealed secret (damaged?)`);
    const keyId = sealed.subarray(1, 1 + KEY_ID_BYTES).toString('hex');
    const key = this.keys.get(keyId);
    if (!key) {
      throw new SecretKeyError(
        `${label} was encrypted with another key (key id ${keyId}), not with ${SECRET_KEY_ENV} (key id ${this.current.id}): ` +
          `set ${SECRET_KEY_ENV} to the key it was stored with, or list that key in ${PREVIOUS_KEYS_ENV} while rotating`,
      );
    }
    const iv = sealed.subarray(1 + KEY_ID_BYTES, 1 + KEY_ID_BYTES + IV_BYTES);
    const tag = sealed.subarray(1 + KEY_ID_BYTES + IV_BYTES, HEADER_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', key.bytes, iv);
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(sealed.subarray(HEADER_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretKeyError(`${label}: the stored value does not authenticate (damaged, or copied from another integration or field)`);
    }
  }

  /** Whether a sealed value was sealed with the current key (a rotation re-seals the others). */
  isCurrent(sealed: Buffer): boolean {
    return sealed.subarray(1, 1 + KEY_ID_BYTES).toString('hex') === this.current.id;
  }
}

interface Key {
  readonly id: string;
  readonly bytes: Buffer;
}

function keyOf(bytes: Buffer): Key {
  return { bytes, id: createHash('sha256').update('mapline secret key id\0').update(bytes).digest().subarray(0, KEY_ID_BYTES).toString('hex') };
}

function decodeKey(text: string, variable: string): Buffer {
  const bytes = /^[A-Za-z0-9+/]+={0,2}$/.test(text.trim()) ? Buffer.from(text.trim(), 'base64') : Buffer.alloc(0);
  if (bytes.length !== 32) {
    throw new SecretKeyError(`${variable} must be base64 of exactly 32 bytes (e.g. \`openssl rand -base64 32\`); it decodes to ${bytes.length} bytes`);
  }
  return bytes;
}
