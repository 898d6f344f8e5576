import mongoose, { Schema } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claim, claimSlot, countSlots, withVersionClaim } from '../../src/lib/claims.js';
import { startTestApp, type TestApp } from '../fixtures/app.js';

const Doc = mongoose.model(
  'ClaimTestDoc',
  new Schema({ version: Number, value: Number }, { versionKey: false }),
);

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe('claims on the real database', () => {
  it('when 20 callers claim the same key at once, then exactly one wins', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => claim('race/one', `caller-${i}`)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('when 10 writers update the same version at once, then exactly one update applies', async () => {
    const doc = await Doc.create({ version: 1, value: 0 });
    const id = String(doc._id);
    const current = async () => (await Doc.findById(id).lean())?.version;
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        withVersionClaim('claim_test_docs', id, 1, current, async () => {
          const r = await Doc.updateOne(
            { _id: id, version: 1 },
            { $set: { value: i + 1 }, $inc: { version: 1 } },
          );
          return r.modifiedCount === 1 ? i : null;
        }),
      ),
    );
    expect(outcomes.filter((o) => o !== null)).toHaveLength(1);
    const after = await Doc.findById(id).lean();
    expect(after?.version).toBe(2);
  });

  it('when 20 hires race for 3 slots, then exactly 3 slots are taken', async () => {
    const taken = await Promise.all(Array.from({ length: 20 }, () => claimSlot('opening-x', 3)));
    expect(taken.filter((n) => n !== undefined).sort()).toEqual([1, 2, 3]);
    expect(await countSlots('opening-x')).toBe(3);
  });
});

describe('claims sweep', () => {
  it('when version claims are older than the cut-off, then they are swept and slots are kept', async () => {
    const { sweepVersionClaims, versionClaimKey } = await import('../../src/lib/claims.js');
    expect(await claim(versionClaimKey('x', 'a', 1))).toBe(true);
    await new Promise((r) => setTimeout(r, 20));
    expect(await sweepVersionClaims(10)).toBeGreaterThanOrEqual(1);
    expect(await claim(versionClaimKey('x', 'a', 1))).toBe(true);
    expect(await countSlots('opening-x')).toBe(3);
  });
});
