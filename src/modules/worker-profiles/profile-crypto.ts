import type { Config } from '../../config.js';
import { createFieldCipher, type FieldCipher } from '../../lib/crypto/field-encryption.js';
import { idNumberHash } from './identity.js';

/**
 * The cipher and hash key of personal fields, built once per config (key parsing is not free and
 * a bad key must fail at the first use, not silently per request).
 */
export interface ProfileCrypto {
  cipher: FieldCipher;
  /** HMAC of a normalised ID number: the de-duplication key, unique across profiles. */
  hashId(idNumber: string): string;
}

const cache = new WeakMap<object, ProfileCrypto>();

export function profileCrypto(security: Config['security']): ProfileCrypto {
  let crypto = cache.get(security);
  if (!crypto) {
    const cipher = createFieldCipher(security);
    const hashKey = security.hashKey;
    crypto = { cipher, hashId: (idNumber) => idNumberHash(idNumber, hashKey) };
    cache.set(security, crypto);
  }
  return crypto;
}

/** The binding of an encrypted value: its field path and the record's id enter the AAD. */
export function sealer(crypto: ProfileCrypto, recordId: string) {
  return {
    seal: (field: string, value: string) => crypto.cipher.encrypt(value, { field, recordId }),
    open: (field: string, value: string) => crypto.cipher.decrypt(value, { field, recordId }),
  };
}
