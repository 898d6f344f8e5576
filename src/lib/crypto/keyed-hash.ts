import { createHmac } from 'node:crypto';

const PURPOSE = /^[a-z0-9][a-z0-9_.-]{0,63}$/;

/** Below this a keyed hash of a low-entropy value (an ID number) becomes guessable. */
export const MIN_HASH_KEY_LENGTH = 32;

/**
 * HMAC-SHA256 of `value` under `key`, hex-encoded (64 characters, easy to index and compare).
 *
 * The key is the configured secret string's UTF-8 bytes (`config.security.hashKey`, HASH_KEY:
 * "at least 32 characters", not necessarily base64). `purpose` separates domains: the same key
 * hashing an ID number and, later, a phone number must never give comparable outputs, so the
 * purpose and a NUL byte precede the value inside the MAC.
 *
 * Deterministic by design (that is what makes de-duplication possible), so it must only be used
 * on normalised values, and the key must never change without recomputing every stored hash.
 */
export function keyedHash(key: string, purpose: string, value: string): string {
  if (key.length < MIN_HASH_KEY_LENGTH)
    throw new RangeError(`the hash key must have at least ${MIN_HASH_KEY_LENGTH} characters`);
  if (!PURPOSE.test(purpose)) throw new RangeError('the hash purpose must be a short lowercase label');
  return createHmac('sha256', Buffer.from(key, 'utf8'))
    .update(purpose, 'utf8')
    .update('\0')
    .update(value, 'utf8')
    .digest('hex');
}
