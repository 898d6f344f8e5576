import mongoose from 'mongoose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateMitigationShape } from '../../src/modules/reference/reference.repository.js';
import {
  ensureReferenceData,
  invalidateReferenceCache,
  listMitigations,
} from '../../src/modules/reference/reference.service.js';
import { startTestApp, type TestApp } from '../fixtures/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe('reference data', () => {
  it('when the seed is applied again, then nothing changes', async () => {
    const db = mongoose.connection.db!;
    const before = await db.collection('vocabularies').countDocuments();
    expect((await ensureReferenceData()).applied).toBe(false);
    expect(await db.collection('vocabularies').countDocuments()).toBe(before);
    expect(await db.collection('partnerships').countDocuments()).toBe(20);
  });

  it('when the counties of 凉山 are listed, then 昭觉县 is among them with pinyin', async () => {
    const res = await request(t.app).get('/api/v1/reference/regions?parent=513400').expect(200);
    const zhaojue = res.body.items.find((r: { code: string }) => r.code === '513431');
    expect(zhaojue).toMatchObject({
      zh: '昭觉县',
      level: 'county',
      parentCode: '513400',
      pinyin: 'zhaojuexian',
    });
  });

  it('when an unknown region is fetched, then 404; a malformed code, then 400 naming the field', async () => {
    await request(t.app).get('/api/v1/reference/regions/519999').expect(404);
    const res = await request(t.app).get('/api/v1/reference/regions/abc').expect(400);
    expect(res.body.issues[0].path).toBe('params.code');
  });

  it('when a vocabulary is fetched, then entries carry codes, zh/en labels and synonyms', async () => {
    const res = await request(t.app).get('/api/v1/reference/vocabularies/accommodation').expect(200);
    expect(res.body.items.find((e: { code: string }) => e.code === 'sign_language')).toMatchObject({
      zh: expect.any(String),
      en: expect.any(String),
    });
    await request(t.app).get('/api/v1/reference/vocabularies/nope').expect(400);
  });

  it('when the mitigation table is fetched, then alternative sets survive the round trip', async () => {
    const res = await request(t.app).get('/api/v1/reference/mitigations').expect(200);
    const row = res.body.items.find(
      (m: { limitation: string; demand: string }) =>
        m.limitation === 'hearing_deaf' && m.demand === 'hearing_safety',
    );
    expect(row.anyOf.length).toBeGreaterThan(0);
    expect(row.anyOf.flat()).toContain('visual_alarms');
  });

  it('when skills are autocompleted with a synonym, then the code is returned', async () => {
    const res = await request(t.app).get('/api/v1/reference/skills').query({ q: '电子组装' }).expect(200);
    expect(res.body.items[0]).toMatchObject({ code: 'electronic_assembly', zh: '电子装配' });
  });

  it('when the query repeats a key, then it is refused rather than widened', async () => {
    await request(t.app).get('/api/v1/reference/regions?parent=513400&parent=513300').expect(400);
  });

  it('when partnerships of 凉山 are listed, then 佛山 is the supporter', async () => {
    const res = await request(t.app).get('/api/v1/reference/partnerships?code=513431').expect(200);
    expect(res.body.items.map((p: { supportingCode: string }) => p.supportingCode)).toEqual(['440600']);
  });

  it('when a partnership is changed without a session, then 401', async () => {
    const list = await request(t.app).get('/api/v1/reference/partnerships').expect(200);
    await request(t.app)
      .patch(`/api/v1/reference/partnerships/${list.body.items[0].id}`)
      .send({ to: '2030-12-31' })
      .expect(401);
  });

  it('when mitigations are stored in the FerretDB-era shape, then the migration makes them nested arrays, once', async () => {
    const mitigations = mongoose.connection.db!.collection<{ _id: string; [k: string]: unknown }>(
      'mitigations',
    );
    const seeded = await mitigations.find({}).sort({ _id: 1 }).toArray();
    expect(seeded.length).toBeGreaterThan(0);
    // Every seeded document in the new shape: plain arrays of codes.
    for (const d of seeded) for (const set of d.anyOf as unknown[]) expect(Array.isArray(set)).toBe(true);
    const expected = Object.fromEntries(seeded.map((d) => [d._id, d.anyOf]));

    // The old shape written straight into the collection: every seeded document wrapped (those
    // with no set stay `[]`: nothing to wrap), one of them half converted (its first set plain),
    // and two more the old reader accepted: a set without `all`, and no sets at all.
    const withSets = seeded.filter((d) => (d.anyOf as unknown[]).length > 0);
    const first = withSets[0];
    const second = withSets.find((d) => d !== first && (d.anyOf as unknown[]).length > 1);
    expect(second).toBeDefined();
    for (const d of seeded) {
      await mitigations.updateOne(
        { _id: d._id },
        { $set: { anyOf: (d.anyOf as string[][]).map((all) => ({ all })) } },
      );
    }
    await mitigations.insertOne({ _id: 'x.empty_set', limitation: 'x', demand: 'empty_set', anyOf: [{}] });
    await mitigations.insertOne({ _id: 'x.no_sets', limitation: 'x', demand: 'no_sets', anyOf: [] });
    await mitigations.updateOne(
      { _id: second!._id },
      {
        $set: {
          anyOf: [
            (second!.anyOf as string[][])[0],
            ...(second!.anyOf as string[][]).slice(1).map((all) => ({ all })),
          ],
        },
      },
    );
    expect(await mitigations.countDocuments({ 'anyOf.all': { $exists: true } })).toBe(withSets.length);

    // The old shape still reads as nested arrays (a process may read before the API migrates).
    invalidateReferenceCache();
    expect(
      (await listMitigations()).find((m) => `${m.limitation}.${m.demand}` === first!._id)?.anyOf,
    ).toEqual(expected[first!._id]);

    // The first run converts every document holding a wrapped set; the second finds none.
    const converted = await migrateMitigationShape();
    expect(converted).toBe(withSets.length + 1);
    expect(await migrateMitigationShape()).toBe(0);
    // At start, through ensureReferenceData, nothing is left to do either.
    expect((await ensureReferenceData()).migrated).toBe(0);

    const after = await mitigations.find({}).sort({ _id: 1 }).toArray();
    expect(await mitigations.countDocuments({ 'anyOf.all': { $exists: true } })).toBe(0);
    for (const d of seeded) {
      const doc = after.find((a) => a._id === d._id)!;
      expect(doc.anyOf).toEqual(expected[d._id]);
      expect(doc).toMatchObject({ limitation: d.limitation, demand: d.demand });
    }
    expect(after.find((a) => a._id === 'x.empty_set')?.anyOf).toEqual([[]]);
    expect(after.find((a) => a._id === 'x.no_sets')?.anyOf).toEqual([]);

    // Reading works: the service and the API give the same alternative sets as before.
    await mitigations.deleteMany({ limitation: 'x' });
    invalidateReferenceCache();
    const read = await listMitigations();
    expect(read).toHaveLength(seeded.length);
    for (const m of read) expect(m.anyOf).toEqual(expected[`${m.limitation}.${m.demand}`]);
    const res = await request(t.app).get('/api/v1/reference/mitigations').expect(200);
    const row = res.body.items.find(
      (m: { limitation: string; demand: string }) =>
        m.limitation === 'hearing_deaf' && m.demand === 'hearing_safety',
    );
    expect(row.anyOf).toEqual(expected['hearing_deaf.hearing_safety']);
  });
});
