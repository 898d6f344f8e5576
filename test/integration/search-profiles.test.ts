import mongoose from 'mongoose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/lib/http/route.js';
import {
  FORBIDDEN_PROFILE_FIELDS,
  type WorkerProfileSearchDocument,
  workerProfilesIndex,
} from '../../src/lib/search/indexes.js';
import type { Organization } from '../../src/modules/orgs/orgs.repository.js';
import { eraseProfile } from '../../src/modules/worker-profiles/erasure.service.js';
import type { WorkerProfile } from '../../src/modules/worker-profiles/worker-profiles.service.js';
import { bearer, makeOrg, makeUser, signIn, type TestActor } from '../fixtures/accounts.js';
import { startTestApp, type TestApp } from '../fixtures/app.js';
import { makeIdentity } from '../fixtures/identity.js';
import { prng } from '../fixtures/search-documents.js';
import { makeProfile, staffActor } from '../fixtures/worker-profiles.js';

let t: TestApp;
let ganziOrg: Organization; // 甘孜 prefecture federation
let liangshanOrg: Organization; // 凉山 prefecture federation
let zhaojueOrg: Organization; // 昭觉县 county federation (inside 凉山)
const who: Record<string, TestActor> = {};
const profiles: WorkerProfile[] = [];

const SKILLS = ['electronic_assembly', 'sewing', 'packaging', 'massage', 'data_entry', 'handicraft'];
const LIMITATIONS = ['standing', 'lifting', 'fine_motor', 'mobility_walking'];
const ACCOMMODATIONS = ['seated_workstation', 'step_free', 'visual_alarms', 'accessible_toilet'];
const DESTINATIONS = ['440600', '330300', '440000', '441900'];
const ORIGINS: [() => Organization, string][] = [
  [() => ganziOrg, '513301'],
  [() => ganziOrg, '513322'],
  [() => liangshanOrg, '513401'],
  [() => liangshanOrg, '513432'],
  [() => zhaojueOrg, '513431'],
];

async function actor(org: Organization, role: Role): Promise<TestActor> {
  return signIn(t.config, await makeUser(org, [role]), org);
}

beforeAll(async () => {
  t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
  ganziOrg = await makeOrg('recipient_federation', '513300');
  liangshanOrg = await makeOrg('recipient_federation', '513400');
  zhaojueOrg = await makeOrg('recipient_federation', '513431');
  who.ganzi = await actor(ganziOrg, 'federation_staff');
  who.liangshan = await actor(liangshanOrg, 'federation_staff');
  who.zhaojue = await actor(zhaojueOrg, 'federation_staff');
  who.foshanReviewer = await actor(await makeOrg('supporting_federation', '440600'), 'reviewer');
  who.wenzhouReviewer = await actor(await makeOrg('supporting_federation', '330300'), 'reviewer');
  who.admin = await actor(await makeOrg('platform'), 'admin');

  const rand = prng(5);
  const some = (list: readonly string[], max: number) => list.filter(() => rand() < max / list.length);
  for (let i = 0; i < 40; i++) {
    const [org, origin] = ORIGINS[i % ORIGINS.length]!;
    profiles.push(
      await makeProfile(t.deps, org(), origin, {
        skills: some(SKILLS, 2).map((code) => ({ code, level: '1' })),
        functionalLimitations: some(LIMITATIONS, 1.5),
        accommodationsNeeded: some(ACCOMMODATIONS, 1.5),
        preferences: {
          destinationCodes: some(DESTINATIONS, 1.5).length ? some(DESTINATIONS, 1.5) : ['440600'],
          minimumWage: 3000 + Math.floor(rand() * 20) * 100,
          jobTypes: ['6'],
          needsDormitory: true,
          needsAccessibleDormitory: rand() < 0.2,
          willingToTravelWithGroup: true,
        },
      }),
    );
  }
  await t.searchSync!.syncNow();
});
afterAll(async () => {
  await t?.close();
});

const search = (a: TestActor, query: Record<string, string> = {}) =>
  request(t.app).get('/api/v1/search/worker-profiles').query(query).set(bearer(a.token));

/** The ids the profiles list shows `a` (MongoDB, the module's own scope). */
async function listed(a: TestActor): Promise<Set<string>> {
  const res = await request(t.app)
    .get('/api/v1/worker-profiles')
    .query({ limit: '200' })
    .set(bearer(a.token))
    .expect(200);
  return new Set(res.body.items.map((i: { id: string }) => i.id));
}

describe('scope', () => {
  it('when a federation user searches with random words and filters, then no profile outside its jurisdiction ever comes back', async () => {
    const rand = prng(17);
    const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
    const WORDS = [
      '',
      '',
      '电子',
      '缝纫',
      'feng',
      'dzzp',
      'sewing',
      'elektronics',
      '凉山',
      '甘孜',
      '昭觉',
      '站立',
      '佛山',
      'zzz',
      '" OR 1=1',
    ];
    const actors = ['ganzi', 'liangshan', 'zhaojue', 'foshanReviewer', 'wenzhouReviewer'];
    const allowed = Object.fromEntries(
      await Promise.all(actors.map(async (k) => [k, await listed(who[k]!)])),
    );
    expect(allowed.zhaojue!.size).toBeGreaterThan(0);
    expect(allowed.zhaojue!.size).toBeLessThan(allowed.liangshan!.size);
    for (let round = 0; round < 60; round++) {
      const key = pick(actors);
      const query: Record<string, string> = { limit: String(1 + Math.floor(rand() * 30)) };
      const q = pick(WORDS);
      if (q) query.q = q;
      if (rand() < 0.3) query.skill = pick(SKILLS);
      if (rand() < 0.3) query.region = pick(['513300', '513400', '513431', '510000', '513301']);
      if (rand() < 0.2) query.limitation = `${pick(LIMITATIONS)},${pick(LIMITATIONS)}`;
      if (rand() < 0.2) query.destination = pick(DESTINATIONS);
      if (rand() < 0.2) query.status = 'available';
      if (rand() < 0.2) query.wageTo = String(3000 + Math.floor(rand() * 20) * 100);
      if (rand() < 0.3) query.facets = 'region,skill,category';
      if (rand() < 0.2) query.page = String(1 + Math.floor(rand() * 3));
      const res = await search(who[key]!, query);
      expect(res.status, JSON.stringify({ key, query, body: res.body })).toBe(200);
      for (const item of res.body.items)
        expect(allowed[key]!.has(item.id), JSON.stringify({ key, query, item: item.id })).toBe(true);
      expect(res.body.total).toBeLessThanOrEqual(allowed[key]!.size);
      // Facet counts count only what the caller may see.
      for (const n of Object.values(res.body.facets.region ?? {}) as number[])
        expect(n).toBeLessThanOrEqual(allowed[key]!.size);
    }
  });

  it('when each caller browses everything, then exactly its profiles list (MongoDB) — and employers are refused', async () => {
    for (const key of ['ganzi', 'liangshan', 'zhaojue', 'foshanReviewer', 'wenzhouReviewer', 'admin']) {
      const res = await search(who[key]!, { limit: '100' }).expect(200);
      expect(new Set(res.body.items.map((i: { id: string }) => i.id))).toEqual(await listed(who[key]!));
    }
    const employer = await actor(await makeOrg('employer', '440600'), 'employer');
    const res = await search(employer).expect(403);
    expect(res.body.code).toBe('forbidden');
  });

  it('when a profile moves out of a jurisdiction behind the index’s back, then MongoDB’s check drops it', async () => {
    const p = await makeProfile(t.deps, zhaojueOrg, '513431', {
      skills: [{ code: 'ceramics', level: '1' }],
    });
    await t.searchSync!.syncNow();
    expect((await search(who.zhaojue!, { skill: 'ceramics' }).expect(200)).body.items).toHaveLength(1);
    await mongoose.connection
      .db!.collection('worker_profiles')
      .updateOne(
        { _id: new mongoose.Types.ObjectId(p.id) },
        { $set: { originCode: '513401', regionPath: ['510000', '513400', '513401'] } },
      );
    expect((await search(who.zhaojue!, { skill: 'ceramics' }).expect(200)).body.items).toEqual([]);
    await mongoose.connection
      .db!.collection('worker_profiles')
      .updateOne(
        { _id: new mongoose.Types.ObjectId(p.id) },
        { $set: { updatedAt: new Date() }, $inc: { version: 1 } },
      );
    await t.searchSync!.syncNow();
  });
});

describe('words, filters and facets', () => {
  it('when searching a skill by synonym, pinyin initials or an English word with a typo, then the profiles having it are found', async () => {
    expect.hasAssertions();
    const having = profiles
      .filter((p) => p.skills.some((s) => s.code === 'electronic_assembly'))
      .map((p) => p.id);
    for (const q of ['电子组装', 'dzzp', 'elektronics']) {
      const res = await search(who.admin!, { q, limit: '100' }).expect(200);
      const ids = res.body.items.map((i: { id: string }) => i.id);
      for (const id of having) expect(ids, q).toContain(id);
    }
  });

  it('when facets are asked within a filter, then each count equals MongoDB’s count for the same filter in scope', async () => {
    const res = await search(who.liangshan!, {
      facets: 'category,skill,status',
      destination: '440600',
      limit: '0',
    }).expect(200);
    const col = mongoose.connection.db!.collection('worker_profiles');
    const where = { erased: false, regionPath: '513400', 'preferences.destinationCodes': '440600' };
    expect(res.body.total).toBe(await col.countDocuments(where));
    for (const category of ['1', '2', '3', '4', '5', '6', '7'])
      expect(res.body.facets.category[category] ?? 0).toBe(
        await col.countDocuments({ ...where, disabilityCategory: category }),
      );
    for (const skill of SKILLS)
      expect(res.body.facets.skill[skill] ?? 0).toBe(
        await col.countDocuments({ ...where, 'skills.code': skill }),
      );
  });

  it('when wage, dormitory and limitation filters are given, then every hit satisfies them', async () => {
    const res = await search(who.admin!, {
      wageTo: '4000',
      limitation: 'standing',
      accessibleDormitory: 'false',
      sort: 'minimumWage',
      limit: '100',
    }).expect(200);
    const wages = res.body.items.map((i: { minimumWage: number }) => i.minimumWage);
    expect(wages).toEqual([...wages].sort((a, b) => a - b));
    for (const i of res.body.items) {
      expect(i.minimumWage).toBeLessThanOrEqual(4000);
      expect(i.limitations).toContain('standing');
      expect(i.needsAccessibleDormitory).toBe(false);
    }
  });
});

describe('de-identified', () => {
  it('when profiles are indexed and searched, then no name, ID or certificate number, phone, address or birth date is stored or answered', async () => {
    const identity = makeIdentity({ addressCode: '513301' });
    const p = await makeProfile(t.deps, ganziOrg, '513301', {
      name: identity.name,
      idNumber: identity.idNumber,
      certificateNumber: identity.certificateNumber,
      phone: identity.phone,
      disabilityCategory: identity.disabilityCategory,
      disabilityLevel: identity.disabilityLevel,
      guardian: { relation: 'family', name: '监护人甲', phone: '13900000000' },
      experience: [{ months: 12, employerName: '某某电子厂', description: '在某某电子厂装配' }],
    });
    await t.searchSync!.syncNow();
    const index = t.runtime.search.index(workerProfilesIndex);
    const all = await mongoose.connection.db!.collection('worker_profiles').find({}).toArray();
    const docs: WorkerProfileSearchDocument[] = await index.get(all.map((d) => String(d._id)));
    expect(docs.length).toBe(all.length);
    for (const d of docs)
      for (const key of Object.keys(d))
        expect(FORBIDDEN_PROFILE_FIELDS.map((f) => f.toLowerCase())).not.toContain(key.toLowerCase());

    const stored = JSON.stringify(docs.find((d) => d.id === p.id));
    const answered = JSON.stringify((await search(who.ganzi!, { limit: '100' }).expect(200)).body);
    for (const text of [stored, answered]) {
      for (const secret of [
        identity.name,
        identity.idNumber,
        identity.certificateNumber,
        identity.phone!,
        p.birthDate,
        '监护人甲',
        '13900000000',
        '某某电子厂',
      ])
        expect(text).not.toContain(secret);
    }
    // And the index of every profile holds no birth date or ID-like number at all.
    const everything = JSON.stringify(docs);
    expect(everything).not.toMatch(/\d{17}[\dX]/);
    for (const d of all) expect(everything).not.toContain(d.birthDate);
  });

  it('when a search is made, then the audit trail records it with the parameter names only', async () => {
    await search(who.liangshan!, { q: '缝纫', skill: 'sewing' }).expect(200);
    const entry = await mongoose.connection
      .db!.collection('audit')
      .findOne(
        { action: 'worker_profile.search', actorUserId: who.liangshan!.user.id },
        { sort: { at: -1 } },
      );
    expect(entry?.fields).toEqual(['q', 'skill']);
    expect(JSON.stringify(entry)).not.toContain('缝纫');
  });

  it('when a profile is erased, then it disappears from the index and from every search', async () => {
    const p = await makeProfile(t.deps, liangshanOrg, '513401', {
      skills: [{ code: 'phone_repair', level: '1' }],
    });
    await t.searchSync!.syncNow();
    expect(
      (await search(who.liangshan!, { skill: 'phone_repair' }).expect(200)).body.items.map(
        (i: { id: string }) => i.id,
      ),
    ).toContain(p.id);
    await eraseProfile(t.deps, staffActor(liangshanOrg), p.id, 'data_subject_request');
    await t.searchSync!.syncNow();
    expect(await t.runtime.search.index(workerProfilesIndex).get([p.id])).toEqual([]);
    const res = await search(who.admin!, { skill: 'phone_repair', limit: '100' }).expect(200);
    expect(res.body.items.map((i: { id: string }) => i.id)).not.toContain(p.id);
  });
});
