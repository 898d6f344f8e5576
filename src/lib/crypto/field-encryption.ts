/**
 * Field-level encryption of personal data at rest (PIPL Art. 51): AES-256-GCM, a fresh random
 * 96-bit IV per value, the key id stored beside the ciphertext, and additional authenticated data
 * binding each value to its field name and record id.
 *
 * ## Stored form
 *
 * One compact string per field: `v1.<keyId>.<iv>.<tag>.<ciphertext>`, the last three base64url
 * (unpadded). Chosen over a `{ keyId, iv, tag, ct }` sub-document because:
 * - the field stays a plain `String` in the mongoose schema, identical on every MongoDB server, and
 *   cannot be half-updated or half-projected;
 * - it is self-describing: `v1` lets the format change later, and the key id is readable without
 *   decrypting, so `npm run rotate-key` finds stale values by prefix (`currentPrefix`);
 * - base64url never contains `.`, so splitting is unambiguous, and the value is safe in URLs,
 *   CSV and logs' structure (it is never logged anyway).
 * Overhead: about 45 characters plus the key id, and 4/3 of the UTF-8 plaintext.
 *
 * ## Binding (AAD)
 *
 * The AAD is the JSON array `["tongxin.field", "v1", keyId, field, recordId]` (JSON, so no choice
 * of separator can make two different bindings equal). A ciphertext copied to another record or
 * another field fails authentication, as does any changed bit of IV, tag, ciphertext or key id.
 * The record id must therefore exist before encrypting: generate the ObjectId before the insert.
 *
 * ## Keys
 *
 * `config.security.fieldKey` ({ id, key: base64 of 32 bytes }) encrypts; it and every
 * `config.security.oldFieldKeys` entry decrypt. Rotation: add a new current key, move the old one
 * to FIELD_ENCRYPTION_OLD_KEYS, run `rotate-key` (which calls `reencrypt` on every value for which
 * `needsReencryption` is true), then drop the old key. Random 96-bit IVs keep the GCM collision
 * risk negligible far beyond this service's volume (NIST SP 800-38D: up to 2³² values per key).
 */
import { createCipheriv, createDecipheriv, createSecretKey, type KeyObject, randomBytes } from 'node:crypto';

export const ENCRYPTED_FIELD_VERSION = 'v1';
const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const AAD_LABEL = 'tongxin.field';
/** Same rule as FIELD_ENCRYPTION_KEY_ID in config: no `.`, so the stored form splits cleanly. */
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const BASE64URL = /^[A-Za-z0-9_-]*$/;
const BASE64_KEY = /^[A-Za-z0-9+/_-]+={0,2}$/;

export interface FieldKeySpec {
  id: string;
  /** base64 of exactly 32 bytes. */
  key: string;
}

/** The shape of `config.security` this module reads. */
export interface FieldKeyConfig {
  fieldKey: FieldKeySpec;
  oldFieldKeys: readonly FieldKeySpec[];
}

/** Where a value lives; both parts enter the AAD. */
export interface FieldBinding {
  /** e.g. `name`, `idNumber`, `certificateNumber`, `phone`. */
  field: string;
  /** The record's id (an ObjectId's hex string). */
  recordId: string;
}

export interface EncryptedParts {
  version: typeof ENCRYPTED_FIELD_VERSION;
  keyId: string;
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
}

export type FieldEncryptionFailure = 'malformed' | 'unknown_key' | 'authentication_failed';

/** A stored value cannot be read. Messages name the field and key id, never any content. */
export class FieldEncryptionError extends Error {
  constructor(
    readonly reason: FieldEncryptionFailure,
    message: string,
  ) {
    super(message);
    this.name = 'FieldEncryptionError';
  }
}

/** The configured keys are unusable; every problem is listed, naming key ids, never material. */
export class FieldKeyConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid field-encryption keys:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'FieldKeyConfigError';
  }
}

export interface FieldCipher {
  /** Id of the key new values are encrypted with. */
  readonly currentKeyId: string;
  /** Every key id that can decrypt (current first). */
  readonly keyIds: readonly string[];
  /** Prefix of every value encrypted with the current key (`v1.<keyId>.`). */
  readonly currentPrefix: string;
  encrypt(plaintext: string, binding: FieldBinding): string;
  /** Throws `FieldEncryptionError` when the value is malformed, its key unknown, or it was altered or moved. */
  decrypt(value: string, binding: FieldBinding): string;
  /** True when the value was encrypted with a key other than the current one; throws when malformed. */
  needsReencryption(value: string): boolean;
  /** The value under the current key with a fresh IV; returned unchanged when already current. */
  reencrypt(value: string, binding: FieldBinding): string;
}

function decodeKey(spec: FieldKeySpec, problems: string[]): KeyObject | undefined {
  const before = problems.length;
  if (!KEY_ID.test(spec.id)) problems.push(`key id "${spec.id}" must be 1–32 of A-Z a-z 0-9 _ -`);
  const bytes = BASE64_KEY.test(spec.key) ? Buffer.from(spec.key, 'base64') : Buffer.alloc(0);
  if (bytes.length !== KEY_BYTES)
    problems.push(`key "${spec.id}" must be base64 of exactly ${KEY_BYTES} bytes`);
  return problems.length === before ? createSecretKey(bytes) : undefined;
}

function loadKeys(config: FieldKeyConfig): Map<string, KeyObject> {
  const problems: string[] = [];
  const keys = new Map<string, KeyObject>();
  for (const spec of [config.fieldKey, ...config.oldFieldKeys]) {
    const key = decodeKey(spec, problems);
    if (!key) continue;
    const existing = keys.get(spec.id);
    if (existing && !existing.equals(key))
      problems.push(`key id "${spec.id}" is configured twice with different keys`);
    if (!existing) keys.set(spec.id, key);
  }
  if (problems.length) throw new FieldKeyConfigError(problems);
  return keys;
}

function aad(keyId: string, binding: FieldBinding): Buffer {
  return Buffer.from(
    JSON.stringify([AAD_LABEL, ENCRYPTED_FIELD_VERSION, keyId, binding.field, binding.recordId]),
  );
}

function checkBinding(binding: FieldBinding): void {
  // An empty record id would silently bind every value to "no record" and defeat the AAD.
  if (typeof binding.field !== 'string' || binding.field === '')
    throw new TypeError('field encryption needs a field name');
  if (typeof binding.recordId !== 'string' || binding.recordId === '')
    throw new TypeError('field encryption needs a record id');
}

/** Strict base64url: only the canonical encoding of some bytes is accepted. */
function decodePart(part: string): Buffer | undefined {
  if (!BASE64URL.test(part)) return undefined;
  const bytes = Buffer.from(part, 'base64url');
  return bytes.toString('base64url') === part ? bytes : undefined;
}

/**
 * Splits a stored value into its parts without decrypting it. Throws `FieldEncryptionError`
 * (`malformed`) unless it has exactly the v1 shape.
 */
export function parseEncryptedField(value: string): EncryptedParts {
  const malformed = () => new FieldEncryptionError('malformed', 'not an encrypted field value');
  if (typeof value !== 'string') throw malformed();
  const parts = value.split('.');
  if (parts.length !== 5) throw malformed();
  const [version, keyId, ivPart, tagPart, ctPart] = parts as [string, string, string, string, string];
  if (version !== ENCRYPTED_FIELD_VERSION || !KEY_ID.test(keyId)) throw malformed();
  const iv = decodePart(ivPart);
  const tag = decodePart(tagPart);
  const ciphertext = decodePart(ctPart);
  if (iv?.length !== IV_BYTES || tag?.length !== TAG_BYTES || !ciphertext) throw malformed();
  return { version, keyId, iv, tag, ciphertext };
}

/** Whether a value has the stored shape (no key needed, nothing decrypted): a guard against plaintext. */
export function isEncryptedField(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    parseEncryptedField(value);
    return true;
  } catch {
    return false;
  }
}

/** The id of the key a stored value was encrypted with. */
export function keyIdOf(value: string): string {
  return parseEncryptedField(value).keyId;
}

/**
 * Builds the cipher from `config.security` (current key + old keys). Throws
 * `FieldKeyConfigError` listing every unusable key, so a bad deployment fails at start-up.
 */
export function createFieldCipher(config: FieldKeyConfig): FieldCipher {
  const keys = loadKeys(config);
  const currentKeyId = config.fieldKey.id;
  const currentKey = keys.get(currentKeyId)!;

  function encrypt(plaintext: string, binding: FieldBinding): string {
    checkBinding(binding);
    if (typeof plaintext !== 'string') throw new TypeError('only strings are encrypted');
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, currentKey, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(aad(currentKeyId, binding));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [ENCRYPTED_FIELD_VERSION, currentKeyId, iv, tag, ciphertext]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join('.');
  }

  function decrypt(value: string, binding: FieldBinding): string {
    checkBinding(binding);
    const parts = parseEncryptedField(value);
    const key = keys.get(parts.keyId);
    if (!key)
      throw new FieldEncryptionError(
        'unknown_key',
        `field "${binding.field}" is encrypted with key "${parts.keyId}", which is not configured`,
      );
    const decipher = createDecipheriv(ALGORITHM, key, parts.iv, { authTagLength: TAG_BYTES });
    decipher.setAuthTag(parts.tag);
    decipher.setAAD(aad(parts.keyId, binding));
    try {
      return Buffer.concat([decipher.update(parts.ciphertext), decipher.final()]).toString('utf8');
    } catch {
      throw new FieldEncryptionError(
        'authentication_failed',
        `field "${binding.field}" failed authentication: altered, or moved from another record or field`,
      );
    }
  }

  function needsReencryption(value: string): boolean {
    return keyIdOf(value) !== currentKeyId;
  }

  return Object.freeze({
    currentKeyId,
    keyIds: Object.freeze([...keys.keys()]),
    currentPrefix: `${ENCRYPTED_FIELD_VERSION}.${currentKeyId}.`,
    encrypt,
    decrypt,
    needsReencryption,
    reencrypt(value: string, binding: FieldBinding): string {
      // Decrypt even when current: a value that would not decrypt must surface, not be skipped.
      const plaintext = decrypt(value, binding);
      return needsReencryption(value) ? encrypt(plaintext, binding) : value;
    },
  });
}
