import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import {
  createFieldCipher,
  FieldEncryptionError,
  type FieldKeyConfig,
  FieldKeyConfigError,
  isEncryptedField,
  keyIdOf,
  parseEncryptedField,
} from '../../src/lib/crypto/field-encryption.js';
import { keyedHash } from '../../src/lib/crypto/keyed-hash.js';
import { idNumberHash } from '../../src/modules/worker-profiles/identity.js';
import { makeIdNumber, seededRandom } from '../fixtures/identity.js';

const key = () => randomBytes(32).toString('base64');
const K1 = { id: 'k1', key: key() };
const K2 = { id: 'k2', key: key() };
const only = (
  current: { id: string; key: string },
  ...old: { id: string; key: string }[]
): FieldKeyConfig => ({
  fieldKey: current,
  oldFieldKeys: old,
});

const at = { field: 'name', recordId: '665f1c2e9b1d4a0012345678' };

function reasonOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof FieldEncryptionError) return err.reason;
    throw err;
  }
  throw new Error('expected a FieldEncryptionError');
}

function flipBit(part: string, bit: number): string {
  const bytes = Buffer.from(part, 'base64url');
  bytes[bit >> 3]! ^= 1 << (bit & 7);
  return bytes.toString('base64url');
}

describe('field encryption (AES-256-GCM)', () => {
  const cipher = createFieldCipher(only(K1));

  it('when a value is encrypted and decrypted with the same binding, then it comes back', () => {
    expect.hasAssertions();
    for (const plain of ['张三', '', 'a'.repeat(5000), '阿依古丽·买买提 𠮷']) {
      const stored = cipher.encrypt(plain, at);
      expect(cipher.decrypt(stored, at)).toBe(plain);
    }
  });

  it('when stored, then it is v1.keyId.iv.tag.ciphertext in base64url and holds no plaintext', () => {
    const stored = cipher.encrypt('13800138000', at);
    expect(stored).toMatch(/^v1\.k1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
    expect(stored).not.toContain('13800138000');
    expect(isEncryptedField(stored)).toBe(true);
    expect(isEncryptedField('13800138000')).toBe(false);
    expect(keyIdOf(stored)).toBe('k1');
    expect(stored.startsWith(cipher.currentPrefix)).toBe(true);
  });

  it('when the same value is encrypted twice, then the IVs and ciphertexts differ', () => {
    const a = parseEncryptedField(cipher.encrypt('same', at));
    const b = parseEncryptedField(cipher.encrypt('same', at));
    expect(a.iv.equals(b.iv)).toBe(false);
    expect(a.ciphertext.equals(b.ciphertext)).toBe(false);
  });

  it('when any bit of the IV, tag or ciphertext is flipped, then decryption fails', () => {
    expect.hasAssertions();
    const stored = cipher.encrypt('张三丰', at);
    const parts = stored.split('.');
    for (const index of [2, 3, 4]) {
      const bits = Buffer.from(parts[index]!, 'base64url').length * 8;
      for (let bit = 0; bit < bits; bit++) {
        const tampered = [...parts];
        tampered[index] = flipBit(parts[index]!, bit);
        expect(reasonOf(() => cipher.decrypt(tampered.join('.'), at))).toBe('authentication_failed');
      }
    }
  });

  it('when the value is moved to another record or another field, then decryption fails', () => {
    const stored = cipher.encrypt('11010519491231002X', { field: 'idNumber', recordId: 'a1' });
    expect(reasonOf(() => cipher.decrypt(stored, { field: 'idNumber', recordId: 'a2' }))).toBe(
      'authentication_failed',
    );
    expect(reasonOf(() => cipher.decrypt(stored, { field: 'certificateNumber', recordId: 'a1' }))).toBe(
      'authentication_failed',
    );
    // Separator games cannot make two bindings equal.
    const odd = cipher.encrypt('x', { field: 'a","b', recordId: 'c' });
    expect(reasonOf(() => cipher.decrypt(odd, { field: 'a', recordId: 'b","c' }))).toBe(
      'authentication_failed',
    );
  });

  it('when the key id is relabelled to another configured key, then decryption fails', () => {
    const both = createFieldCipher(only(K1, K2));
    const stored = both.encrypt('secret', at);
    const relabelled = stored.replace(/^v1\.k1\./, 'v1.k2.');
    expect(reasonOf(() => both.decrypt(relabelled, at))).toBe('authentication_failed');
  });

  it('when the value is not in the stored form, then it is malformed', () => {
    const good = cipher.encrypt('x', at);
    const [v, id, iv, tag, ct] = good.split('.') as [string, string, string, string, string];
    for (const bad of [
      'plain text',
      '',
      `v2.${id}.${iv}.${tag}.${ct}`,
      `${v}.${id}.${iv}.${tag}.${ct}.extra`,
      `${v}.${id}.${iv}.${tag}`,
      `${v}.bad id.${iv}.${tag}.${ct}`,
      `${v}.${id}.${iv.slice(1)}.${tag}.${ct}`,
      `${v}.${id}.${iv}.${tag}=.${ct}`,
      `${v}.${id}.${iv}.${tag}.${ct}+`,
    ]) {
      expect(reasonOf(() => cipher.decrypt(bad, at))).toBe('malformed');
      expect(isEncryptedField(bad)).toBe(false);
    }
    expect(isEncryptedField(42)).toBe(false);
  });

  it('when a non-canonical base64url part decodes to the same bytes, then it is still refused', () => {
    const good = cipher.encrypt('x', at);
    const parts = good.split('.');
    const tag = parts[3]!;
    // 16 bytes → 22 characters with 4 unused low bits in the last one.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(tag.at(-1)!);
    parts[3] = tag.slice(0, -1) + alphabet[last ^ 1];
    expect(Buffer.from(parts[3], 'base64url').equals(Buffer.from(tag, 'base64url'))).toBe(true);
    expect(reasonOf(() => cipher.decrypt(parts.join('.'), at))).toBe('malformed');
  });

  it('when the binding lacks a field or record id, then it refuses to work', () => {
    expect(() => cipher.encrypt('x', { field: 'name', recordId: '' })).toThrow(TypeError);
    expect(() => cipher.encrypt('x', { field: '', recordId: 'r' })).toThrow(TypeError);
    expect(() => cipher.decrypt(cipher.encrypt('x', at), { field: 'name', recordId: '' })).toThrow(TypeError);
  });
});

describe('key rotation', () => {
  it('when a new key becomes current, then old values still decrypt and new ones use the new key', () => {
    const before = createFieldCipher(only(K1));
    const after = createFieldCipher(only(K2, K1));
    const old = before.encrypt('李四', at);

    expect(after.decrypt(old, at)).toBe('李四');
    expect(after.needsReencryption(old)).toBe(true);
    expect(after.currentKeyId).toBe('k2');
    expect(after.keyIds).toEqual(['k2', 'k1']);

    const rotated = after.reencrypt(old, at);
    expect(keyIdOf(rotated)).toBe('k2');
    expect(after.needsReencryption(rotated)).toBe(false);
    expect(after.decrypt(rotated, at)).toBe('李四');
    expect(after.reencrypt(rotated, at)).toBe(rotated);

    const fresh = after.encrypt('王五', at);
    expect(fresh.startsWith('v1.k2.')).toBe(true);
    expect(reasonOf(() => before.decrypt(fresh, at))).toBe('unknown_key');
  });

  it('when the old key is dropped, then values still under it are reported as unknown key', () => {
    const old = createFieldCipher(only(K1)).encrypt('x', at);
    expect(reasonOf(() => createFieldCipher(only(K2)).decrypt(old, at))).toBe('unknown_key');
  });

  it('when re-encrypting a value that was tampered with, then it fails instead of being skipped', () => {
    const after = createFieldCipher(only(K2, K1));
    const stored = after.encrypt('x', at);
    expect(reasonOf(() => after.reencrypt(stored, { ...at, recordId: 'other' }))).toBe(
      'authentication_failed',
    );
  });

  it('when keys come from the environment, then the config shape is accepted', () => {
    const config = loadConfig({
      FIELD_ENCRYPTION_KEY: K2.key,
      FIELD_ENCRYPTION_KEY_ID: 'k2',
      FIELD_ENCRYPTION_OLD_KEYS: `k1:${K1.key}`,
    });
    const cipher = createFieldCipher(config.security);
    expect(cipher.decrypt(createFieldCipher(only(K1)).encrypt('x', at), at)).toBe('x');
    expect(createFieldCipher(loadConfig({}).security).currentKeyId).toBe('k1');
  });

  it('when keys are unusable, then every problem is listed without the key material', () => {
    const short = Buffer.alloc(16, 1).toString('base64');
    try {
      createFieldCipher({
        fieldKey: { id: 'k.1', key: K1.key },
        oldFieldKeys: [
          { id: 'k0', key: short },
          { id: 'k9', key: K1.key },
          { id: 'k9', key: K2.key },
          { id: 'kx', key: 'not base64!' },
        ],
      });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(FieldKeyConfigError);
      const problems = (err as FieldKeyConfigError).problems;
      expect(problems).toHaveLength(4);
      expect(problems.join('\n')).toMatch(/"k\.1"[\s\S]*"k0"[\s\S]*"k9" is configured twice[\s\S]*"kx"/);
      for (const secret of [K1.key, K2.key, short]) expect((err as Error).message).not.toContain(secret);
    }
  });

  it('when the same key is listed as current and old under one id, then that is harmless', () => {
    expect(createFieldCipher(only(K1, K1)).keyIds).toEqual(['k1']);
  });
});

describe('keyed hash of the ID number', () => {
  const hashKey = 'h'.repeat(40);
  const id = makeIdNumber({ random: seededRandom('hash') });

  it('when the same number is hashed twice, in any spelling, then the hash is the same', () => {
    const h = idNumberHash(id, hashKey);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(idNumberHash(` ${id.slice(0, 6)} ${id.slice(6).toLowerCase()} `, hashKey)).toBe(h);
    expect(idNumberHash('11010519491231002x', hashKey)).toBe(idNumberHash('11010519491231002X', hashKey));
  });

  it('when the key or the number differs, then the hash differs', () => {
    expect(idNumberHash(id, hashKey)).not.toBe(idNumberHash(id, 'k'.repeat(40)));
    expect(idNumberHash(id, hashKey)).not.toBe(idNumberHash('11010519491231002X', hashKey));
  });

  it('when the purpose differs, then the same value hashes differently', () => {
    expect(keyedHash(hashKey, 'id-number', id)).toBe(idNumberHash(id, hashKey));
    expect(keyedHash(hashKey, 'phone', id)).not.toBe(keyedHash(hashKey, 'id-number', id));
  });

  it('when the number is invalid or the key too short, then it refuses to hash', () => {
    expect(() => idNumberHash('110105194912310021', hashKey)).toThrow(/id_number_check_character/);
    expect(() => idNumberHash(id, 'short')).toThrow(RangeError);
    expect(() => keyedHash(hashKey, 'Bad Purpose', id)).toThrow(RangeError);
  });

  it('when the configured demo hash key is used, then it is long enough', () => {
    expect(idNumberHash(id, loadConfig({}).security.hashKey)).toMatch(/^[0-9a-f]{64}$/);
  });
});
