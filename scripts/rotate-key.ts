/**
 * `npm run rotate-key`: re-encrypts every stored personal value (worker-profile identities,
 * guardians, training certificate numbers, consent representatives, pending import files) that is
 * not under the current key, in batches, with progress; an interrupted run resumes where it stopped.
 *
 * Rotation:
 *   1. Generate a key: `openssl rand -base64 32`.
 *   2. Deploy with FIELD_ENCRYPTION_KEY=<new>, FIELD_ENCRYPTION_KEY_ID=<new id> and the old key in
 *      FIELD_ENCRYPTION_OLD_KEYS=<old id>:<old key> (both decrypt; new values use the new key).
 *   3. Run this script (as often as needed) until it reports 0 values left under other keys.
 *   4. Remove the old key from FIELD_ENCRYPTION_OLD_KEYS and deploy again.
 *
 * Env: as the service (MONGODB_URI, FIELD_ENCRYPTION_*); ROTATE_BATCH_SIZE (default 500).
 */
import { ConfigError, loadConfig } from '../src/config.js';
import { createFieldCipher, FieldKeyConfigError } from '../src/lib/crypto/field-encryption.js';
import { connectMongo, disconnectMongo } from '../src/lib/db/index.js';
import { createLogger } from '../src/lib/logger.js';
import { countStaleValues, rotateKeys } from '../src/modules/worker-profiles/key-rotation.js';

async function main(): Promise<number> {
  let config: ReturnType<typeof loadConfig>;
  let cipher: ReturnType<typeof createFieldCipher>;
  try {
    config = loadConfig();
    cipher = createFieldCipher(config.security);
  } catch (err) {
    if (err instanceof ConfigError || err instanceof FieldKeyConfigError) {
      console.error(err.message);
      return 78; // EX_CONFIG
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  await connectMongo(config.mongo.uri, logger);
  try {
    console.log(
      `rotate-key: current key "${cipher.currentKeyId}", readable keys: ${cipher.keyIds.join(', ')}`,
    );
    const batchSize = Number(process.env.ROTATE_BATCH_SIZE ?? 500);
    const { results } = await rotateKeys(cipher, {
      batchSize,
      onProgress: (p) =>
        console.log(`  ${p.collection}: ${p.scanned}/${p.total} scanned, ${p.reencrypted} re-encrypted`),
    });
    for (const r of results)
      console.log(`${r.collection}: done — ${r.scanned} documents scanned, ${r.reencrypted} re-encrypted`);
    const stale = await countStaleValues(cipher);
    console.log(
      stale === 0
        ? 'rotate-key: every value is under the current key; the old key may be removed'
        : `rotate-key: ${stale} values still under other keys (changed during the run?) — run again`,
    );
    return stale === 0 ? 0 : 1;
  } finally {
    await disconnectMongo();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    // Never the values: a FieldEncryptionError names the field and key id only.
    console.error('rotate-key failed:', err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
