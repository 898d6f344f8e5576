import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createFieldCipher } from '../../src/lib/crypto/field-encryption.js';
import type { Organization } from '../../src/modules/orgs/orgs.repository.js';
import { recordConsent } from '../../src/modules/worker-profiles/consents.service.js';
import { countStaleValues, rotateKeys } from '../../src/modules/worker-profiles/key-rotation.js';
import { revealProfile } from '../../src/modules/worker-profiles/reveal.service.js';
import { getProfile } from '../../src/modules/worker-profiles/worker-profiles.service.js';
import { makeOrg } from '../fixtures/accounts.js';
import { startTestApp, type TestApp } from '../fixtures/app.js';
import { makeProfile, staffActor } from '../fixtures/worker-profiles.js';

let t: TestApp;
let ganzi: Organization;

beforeAll(async () => {
  t = await startTestApp();
  ganzi = await makeOrg('recipient_federation', '513300');
});
afterAll(async () => {
  await t?.close();
});

describe('npm run rotate-key', () => {
  it('when a new key is configured, then every value is re-encrypted under it, resumably, and stays readable', async () => {
    const staff = staffActor(ganzi);
    const profiles = [];
    for (let i = 0; i < 7; i++)
      profiles.push(
        await makeProfile(t.deps, ganzi, '513301', {
          guardian: { relation: 'guardian', name: '王大明', phone: '13912345678' },
        }),
      );
    await recordConsent(t.deps, staff, profiles[0]!.id, {
      purpose: 'sensitive_processing',
      textVersion: 'pi-2',
      channel: 'paper_form',
      givenBy: 'guardian',
      representative: { relation: 'guardian', name: '王大明' },
      assistedByStaff: false,
    });
    const old = t.config.security.fieldKey;
    const rotated = loadConfig({
      NODE_ENV: 'test',
      MONGODB_URI: t.config.mongo.uri,
      FIELD_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      FIELD_ENCRYPTION_KEY_ID: 'k2',
      FIELD_ENCRYPTION_OLD_KEYS: `${old.id}:${old.key}`,
    });
    const cipher = createFieldCipher(rotated.security);
    const versions = new Map(
      (await mongoose.connection.db!.collection('worker_profiles').find({}).toArray()).map((d) => [
        String(d._id),
        d.version,
      ]),
    );
    const before = await countStaleValues(cipher);
    expect(before).toBeGreaterThanOrEqual(7 * 6 + 1);

    // Interrupted after two batches of 3, then resumed: nothing is done twice, nothing missed.
    const first = await rotateKeys(cipher, { batchSize: 3, maxBatches: 2 });
    expect(first.complete).toBe(false);
    const progress: number[] = [];
    const second = await rotateKeys(cipher, { batchSize: 3, onProgress: (p) => progress.push(p.scanned) });
    expect(second.complete).toBe(true);
    expect(progress.length).toBeGreaterThan(0);
    const reencrypted = [...first.results, ...second.results]
      .filter((r) => r.collection === 'worker_profiles')
      .reduce((n, r) => n + r.reencrypted, 0);
    expect(reencrypted).toBe(7);
    expect(await countStaleValues(cipher)).toBe(0);

    const raw = await mongoose.connection.db!.collection('worker_profiles').find({}).toArray();
    for (const doc of raw) {
      expect(doc.identity.name).toMatch(/^v1\.k2\./);
      expect(doc.guardian.phone).toMatch(/^v1\.k2\./);
      // Same content, same version: nothing to re-index or re-match.
      expect(doc.version).toBe(versions.get(String(doc._id)));
    }

    // Readable with the new key alone once rotation is over.
    const newOnly = loadConfig({
      NODE_ENV: 'test',
      MONGODB_URI: t.config.mongo.uri,
      FIELD_ENCRYPTION_KEY: rotated.security.fieldKey.key,
      FIELD_ENCRYPTION_KEY_ID: 'k2',
    });
    const deps = { ...t.deps, config: newOnly };
    const p = await getProfile(deps, staff, profiles[3]!.id);
    expect(p.identity.idNumber).toBe(profiles[3]!.identity.idNumber);
    const revealed = await revealProfile(deps, staff, profiles[0]!.id, 'contact_person', ['guardian.name']);
    expect(revealed.guardian).toEqual({ name: '王大明' });

    // A second run finds nothing to do.
    const again = await rotateKeys(cipher);
    expect(again.results.every((r) => r.reencrypted === 0)).toBe(true);
  });
});
