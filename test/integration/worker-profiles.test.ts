import mongoose from 'mongoose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Organization } from '../../src/modules/orgs/orgs.repository.js';
import { getProfilesForMatching } from '../../src/modules/worker-profiles/for-other-modules.service.js';
import { maskName } from '../../src/modules/worker-profiles/masking.js';
import { bearer, makeOrg, makeUser, signIn, type TestActor } from '../fixtures/accounts.js';
import { startTestApp, type TestApp } from '../fixtures/app.js';
import {
  type Identity,
  makeBirthDate,
  makeCertificateNumber,
  makeIdentity,
  makeIdNumber,
  withWrongCheckCharacter,
} from '../fixtures/identity.js';
import { makeProfile, profileBody } from '../fixtures/worker-profiles.js';

/**
 * Worker profiles through the API on the real services: validation, encryption at rest, masking by
 * role, scope, optimistic concurrency, status actions and the audited reveal.
 */

let t: TestApp;
let ganzi: Organization; // 甘孜 prefecture federation
let liangshan: Organization; // 凉山 prefecture federation
let zhaojue: Organization; // 昭觉县 county federation, inside 凉山
let ganziStaff: TestActor;
let liangshanStaff: TestActor;
let zhaojueStaff: TestActor;
let foshanReviewer: TestActor; // 佛山: partnership with 凉山
let employer: TestActor;
let admin: TestActor;
/** Every identity this file sends, so the last test can grep the logs for them. */
const sent: Identity[] = [];

const GANZI_COUNTY = '513301'; // 康定市
const ZHAOJUE = '513431';
const XICHANG = '513401';

function identity(addressCode: string, options: Parameters<typeof makeIdentity>[0] = {}): Identity {
  const i = makeIdentity({ addressCode, ...options });
  sent.push(i);
  return i;
}

async function actorOf(org: Organization, role: 'federation_staff' | 'reviewer' | 'employer' | 'admin') {
  return signIn(t.config, await makeUser(org, [role]), org);
}

beforeAll(async () => {
  t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
  ganzi = await makeOrg('recipient_federation', '513300');
  liangshan = await makeOrg('recipient_federation', '513400');
  zhaojue = await makeOrg('recipient_federation', ZHAOJUE);
  ganziStaff = await actorOf(ganzi, 'federation_staff');
  liangshanStaff = await actorOf(liangshan, 'federation_staff');
  zhaojueStaff = await actorOf(zhaojue, 'federation_staff');
  foshanReviewer = await actorOf(await makeOrg('supporting_federation', '440600'), 'reviewer');
  employer = await actorOf(await makeOrg('employer', '440600'), 'employer');
  admin = await actorOf(await makeOrg('platform'), 'admin');
});
afterAll(async () => {
  await t?.close();
});

const create = (who: TestActor, body: Record<string, unknown>) =>
  request(t.app).post('/api/v1/worker-profiles').set(bearer(who.token)).send(body);
const get = (who: TestActor, id: string) =>
  request(t.app).get(`/api/v1/worker-profiles/${id}`).set(bearer(who.token));
const list = (who: TestActor, query: Record<string, string> = {}) =>
  request(t.app).get('/api/v1/worker-profiles').query(query).set(bearer(who.token));
const patch = (who: TestActor, id: string, ifMatch: string | undefined, body: Record<string, unknown>) => {
  const req = request(t.app).patch(`/api/v1/worker-profiles/${id}`).set(bearer(who.token));
  return (ifMatch ? req.set('If-Match', ifMatch) : req).send(body);
};
const issuesOf = (res: request.Response) =>
  (res.body.issues as { path: string; code: string }[]).map((i) => `${i.path}:${i.code}`);

async function registered(
  who: TestActor,
  origin: string,
  over: Record<string, unknown> = {},
  id = identity(origin),
) {
  const res = await create(who, profileBody(origin, over, id));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { id: res.body.id as string, body: res.body, identity: id };
}

function rawProfiles() {
  return mongoose.connection.db!.collection('worker_profiles');
}

describe('registering a person', () => {
  it('when 甘孜 staff register a person, then 201 with ETag, Location and the identity masked', async () => {
    const who = identity(GANZI_COUNTY, { sex: 'female' });
    const res = await create(ganziStaff, profileBody(GANZI_COUNTY, {}, who)).expect(201);
    expect(res.headers.etag).toBe('W/"1"');
    expect(res.headers.location).toBe(`/api/v1/worker-profiles/${res.body.id}`);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toMatchObject({
      version: 1,
      status: 'available',
      masked: true,
      sex: 'female',
      birthDate: who.birthDate,
      originCode: GANZI_COUNTY,
      registeringFederationId: ganzi.id,
      consent: { processing: true },
      matching: { eligible: true, reasons: [] },
    });
    expect(res.body.name).toBe(maskName(who.name));
    expect(res.body.name).not.toBe(who.name);
    expect(res.body.idNumber).toBe(`${who.idNumber.slice(0, 4)}**********${who.idNumber.slice(-4)}`);
    expect(res.body.phone).toBe(`${who.phone.slice(0, 3)}****${who.phone.slice(-4)}`);
    expect(JSON.stringify(res.body)).not.toContain(who.idNumber);
    expect(JSON.stringify(res.body)).not.toContain(who.phone);
  });

  it('when a profile is stored, then a raw read of the collection shows no plaintext name, ID, certificate or phone', async () => {
    const { id, identity: who } = await registered(ganziStaff, GANZI_COUNTY, {
      guardian: { relation: 'supporter', name: '格桑卓玛', phone: '13912345678' },
    });
    const raw = await rawProfiles().findOne({ _id: new mongoose.Types.ObjectId(id) });
    const text = JSON.stringify(raw);
    for (const value of [
      who.name,
      who.idNumber,
      who.certificateNumber,
      who.phone,
      who.idNumber.slice(0, 17),
      '格桑卓玛',
      '13912345678',
    ])
      expect(text).not.toContain(value);
    expect(raw!.identity.name).toMatch(/^v1\.k1\./);
    expect(raw!.identity.idNumber).toMatch(/^v1\.k1\./);
    expect(raw!.identity.certificateNumber).toMatch(/^v1\.k1\./);
    expect(raw!.identity.phone).toMatch(/^v1\.k1\./);
    expect(raw!.idHash).toMatch(/^[0-9a-f]{64}$/);
    const consents = JSON.stringify(
      await mongoose.connection.db!.collection('consents').find({ profileId: id }).toArray(),
    );
    expect(consents).not.toContain(who.name);
  });

  it('when the published GB 11643 test vectors are registered, then they are accepted (and, being over working age, flagged)', async () => {
    expect.hasAssertions();
    for (const [idNumber, sex] of [
      ['11010519491231002X', 'female'],
      ['440524188001010014', 'male'],
    ] as const) {
      const who = { ...identity(GANZI_COUNTY), idNumber, sex, certificateNumber: `${idNumber}42` };
      const res = await create(
        ganziStaff,
        profileBody(GANZI_COUNTY, { disabilityCategory: '4', disabilityLevel: '2' }, who),
      );
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.sex).toBe(sex);
      expect(res.body.matching.eligible).toBe(false);
      expect(res.body.matching.reasons).toEqual([
        expect.objectContaining({
          code: 'working_age_too_old',
          message: expect.stringContaining('就业年龄'),
        }),
      ]);
    }
  });

  it.each([
    ['too old (a man of 62)', 'male', 62, 62, 'working_age_too_old'],
    ['too old (a woman of 56)', 'female', 56, 56, 'working_age_too_old'],
    ['too young (15)', 'female', 15, 15, 'working_age_too_young'],
  ] as const)(
    'when the person is %s, then the profile is accepted but excluded from matching with the reason',
    async (_w, sex, min, max, code) => {
      const who = identity(GANZI_COUNTY, { sex, birthDate: makeBirthDate({ minAge: min, maxAge: max }) });
      const res = await create(ganziStaff, profileBody(GANZI_COUNTY, {}, who)).expect(201);
      expect(res.body.matching).toEqual({ eligible: false, reasons: [expect.objectContaining({ code })] });
      const candidates = await getProfilesForMatching(t.deps, { ids: [res.body.id] });
      expect(candidates).toEqual([]);
    },
  );
});

describe('validation: each rule is a 400 naming the field and a precise code', () => {
  const base = () => identity(GANZI_COUNTY);
  const cases: [string, () => Record<string, unknown>, string][] = [
    [
      'a wrong check character',
      () => ({ idNumber: withWrongCheckCharacter(base().idNumber) }),
      'body.idNumber:id_number_check_character',
    ],
    [
      'an impossible birth date',
      () => ({ idNumber: impossibleDateId() }),
      'body.idNumber:id_number_date_impossible',
    ],
    [
      'a 15-digit first-generation number',
      () => ({ idNumber: '513301900101123' }),
      'body.idNumber:id_number_first_generation',
    ],
    [
      'a certificate of 19 characters',
      () => ({ certificateNumber: `${base().idNumber}4` }),
      'body.certificateNumber:certificate_length',
    ],
    [
      'a certificate of another person',
      () => ({
        certificateNumber: makeCertificateNumber({
          idNumber: makeIdNumber({ addressCode: GANZI_COUNTY }),
          category: '4',
          level: '2',
        }),
        disabilityCategory: '4',
        disabilityLevel: '2',
      }),
      'body.certificateNumber:certificate_id_mismatch',
    ],
    [
      'a certificate whose category digit disagrees',
      () => mismatch('category'),
      'body.disabilityCategory:certificate_category_mismatch',
    ],
    [
      'a certificate whose level digit disagrees',
      () => mismatch('level'),
      'body.disabilityLevel:certificate_level_mismatch',
    ],
    [
      'a category outside GB/T 26341',
      () => ({ disabilityCategory: '8' }),
      'body.disabilityCategory:invalid_value',
    ],
    ['a declared sex the ID number contradicts', () => declared('sex'), 'body.sex:sex_mismatch'],
    [
      'a declared birth date the ID number contradicts',
      () => declared('birthDate'),
      'body.birthDate:birth_date_mismatch',
    ],
    ['a landline instead of a mobile', () => ({ phone: '02885123456' }), 'body.phone:phone_prefix'],
    ['a name with digits', () => ({ name: '王芳1' }), 'body.name:name_digits'],
    [
      'an origin in another federation’s jurisdiction',
      () => ({ originCode: ZHAOJUE }),
      'body.originCode:outside_jurisdiction',
    ],
    ['an origin outside 四川', () => ({ originCode: '440600' }), 'body.originCode:region_not_allowed'],
    ['an unknown origin code', () => ({ originCode: '513399' }), 'body.originCode:unknown_region'],
    [
      'an unknown skill',
      () => ({ skills: [{ code: 'juggling', level: '1' }] }),
      'body.skills.0.code:unknown_code',
    ],
    [
      'an unknown skill level',
      () => ({ skills: [{ code: 'sewing', level: '9' }] }),
      'body.skills.0.level:unknown_code',
    ],
    [
      'a skill listed twice',
      () => ({ skills: [{ code: 'sewing' }, { code: 'sewing' }] }),
      'body.skills.1:duplicate_item',
    ],
    [
      'an unknown limitation',
      () => ({ functionalLimitations: ['flying'] }),
      'body.functionalLimitations.0:unknown_code',
    ],
    [
      'an unknown accommodation',
      () => ({ accommodationsNeeded: ['step_free', 'teleporter'] }),
      'body.accommodationsNeeded.1:unknown_code',
    ],
    [
      'an unknown assistive device',
      () => ({ assistiveDevices: ['jetpack'] }),
      'body.assistiveDevices.0:unknown_code',
    ],
    ['an unknown language', () => ({ languages: ['klingon'] }), 'body.languages.0:unknown_code'],
    ['an unknown education', () => ({ education: 'phd_in_magic' }), 'body.education:unknown_code'],
    [
      'a destination in 四川',
      () => ({ preferences: { destinationCodes: ['510100'] } }),
      'body.preferences.destinationCodes.0:region_not_allowed',
    ],
    [
      'an unknown job type',
      () => ({ preferences: { jobTypes: ['99'] } }),
      'body.preferences.jobTypes.0:unknown_code',
    ],
    [
      'an accessible dormitory without a dormitory',
      () => ({ preferences: { needsAccessibleDormitory: true } }),
      'body.preferences.needsDormitory:accessible_dormitory_needs_dormitory',
    ],
    [
      'a guardian’s consent without the guardian',
      () => ({ processingConsent: { textVersion: 'pi-1', channel: 'paper_form', givenBy: 'guardian' } }),
      'body.processingConsent.representative:representative_required',
    ],
    [
      'a consent dated in the future',
      () => ({
        processingConsent: {
          textVersion: 'pi-1',
          channel: 'paper_form',
          givenAt: '2099-01-01T00:00:00+08:00',
        },
      }),
      'body.processingConsent.givenAt:date_in_future',
    ],
  ];

  it.each(cases)('when the body has %s, then 400 %s', async (_why, over, expected) => {
    const res = await create(ganziStaff, profileBody(GANZI_COUNTY, over(), base()));
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
    expect(issuesOf(res)).toContain(expected);
  });

  it('when a skill code is unknown, then its message names the vocabulary in Chinese under zh-CN', async () => {
    const res = await create(
      ganziStaff,
      profileBody(GANZI_COUNTY, { skills: [{ code: 'juggling', level: '2' }] }, base()),
    ).expect(400);
    expect(res.body.issues).toContainEqual({
      path: 'body.skills.0.code',
      code: 'unknown_code',
      message: '不是有效的技能代码（skill）',
    });
  });

  it('when the body sets status or version, then 400 mass_assignment naming them', async () => {
    const res = await create(ganziStaff, {
      ...profileBody(GANZI_COUNTY, {}, base()),
      status: 'placed',
      version: 9,
    }).expect(400);
    expect(res.body).toMatchObject({ code: 'mass_assignment', fields: ['status', 'version'] });
  });

  it('when a refused body holds an ID number, then the problem document does not echo it', async () => {
    const who = base();
    const res = await create(ganziStaff, profileBody(GANZI_COUNTY, { originCode: ZHAOJUE }, who)).expect(400);
    expect(JSON.stringify(res.body)).not.toContain(who.idNumber);
  });
});

function impossibleDateId(): string {
  const id = makeIdNumber({ addressCode: GANZI_COUNTY, birthDate: '1990-02-28' });
  const first17 = `${id.slice(0, 6)}19900230${id.slice(14, 17)}`;
  let sum = 0;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * w[i]!;
  return first17 + '10X98765432'[sum % 11];
}

function mismatch(which: 'category' | 'level'): Record<string, unknown> {
  const who = makeIdentity({ addressCode: GANZI_COUNTY, disabilityCategory: '2', disabilityLevel: '3' });
  return {
    idNumber: who.idNumber,
    certificateNumber: who.certificateNumber,
    disabilityCategory: which === 'category' ? '4' : '2',
    disabilityLevel: which === 'level' ? '1' : '3',
  };
}

function declared(which: 'sex' | 'birthDate'): Record<string, unknown> {
  const who = makeIdentity({ addressCode: GANZI_COUNTY, sex: 'male', birthDate: '1990-05-06' });
  return {
    idNumber: who.idNumber,
    certificateNumber: who.certificateNumber,
    disabilityCategory: who.disabilityCategory,
    disabilityLevel: who.disabilityLevel,
    ...(which === 'sex' ? { sex: 'female' } : { birthDate: '1990-05-07' }),
  };
}

describe('one person, one profile', () => {
  it('when another federation registers the same person, then 409 duplicate without saying whose or where', async () => {
    const who = identity(GANZI_COUNTY);
    const first = await registered(ganziStaff, GANZI_COUNTY, {}, who);
    // Same ID number, registered in 凉山 with another origin.
    const res = await create(liangshanStaff, profileBody(XICHANG, {}, who)).expect(409);
    expect(res.body.code).toBe('duplicate');
    expect(res.body.detail).toContain('其他辖区');
    expect(res.body.existingId).toBeUndefined();
    const text = JSON.stringify(res.body);
    for (const leak of [first.id, ganzi.id, '513300', GANZI_COUNTY, '甘孜']) expect(text).not.toContain(leak);
  });

  it('when the same federation registers the person again, then 409 naming the existing profile', async () => {
    const { id, identity: who } = await registered(ganziStaff, GANZI_COUNTY);
    const res = await create(
      ganziStaff,
      profileBody(GANZI_COUNTY, {}, { ...who, idNumber: who.idNumber.toLowerCase() }),
    ).expect(409);
    expect(res.body).toMatchObject({ code: 'duplicate', existingId: id });
  });

  it('when two federations register the same person at the same moment, then exactly one succeeds', async () => {
    const who = identity(GANZI_COUNTY);
    const results = await Promise.all([
      create(ganziStaff, profileBody(GANZI_COUNTY, {}, who)),
      create(liangshanStaff, profileBody(XICHANG, {}, who)),
      create(ganziStaff, profileBody(GANZI_COUNTY, {}, who)),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    const hash = (
      await rawProfiles()
        .find({ registeringFederationId: { $in: [ganzi.id, liangshan.id] } })
        .toArray()
    ).map((d) => d.idHash);
    expect(new Set(hash).size).toBe(hash.length);
  });
});

describe('scope', () => {
  let ganziId: string;
  let xichangId: string;
  let zhaojueId: string;
  beforeAll(async () => {
    ganziId = (await registered(ganziStaff, GANZI_COUNTY)).id;
    xichangId = (await registered(liangshanStaff, XICHANG)).id;
    zhaojueId = (await registered(zhaojueStaff, ZHAOJUE)).id;
  });

  async function allIds(who: TestActor): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const res = await list(who, { limit: '200', ...(cursor ? { cursor } : {}) }).expect(200);
      ids.push(...res.body.items.map((i: { id: string }) => i.id));
      cursor = res.body.nextCursor ?? undefined;
    } while (cursor);
    return ids;
  }

  it('when 甘孜 staff list profiles, then they never see a 凉山 one, and fetching one by id is 404', async () => {
    const ids = await allIds(ganziStaff);
    expect(ids).toContain(ganziId);
    expect(ids).not.toContain(xichangId);
    expect(ids).not.toContain(zhaojueId);
    await get(ganziStaff, xichangId).expect(404);
    await patch(ganziStaff, xichangId, 'W/"1"', { education: 'junior' }).expect(404);
  });

  it('when a county federation lists, then it sees its county only; its prefecture sees the county too', async () => {
    const county = await allIds(zhaojueStaff);
    expect(county).toContain(zhaojueId);
    expect(county).not.toContain(xichangId);
    await get(zhaojueStaff, xichangId).expect(404);
    const prefecture = await allIds(liangshanStaff);
    expect(prefecture).toEqual(expect.arrayContaining([xichangId, zhaojueId]));
    await get(liangshanStaff, zhaojueId).expect(200);
  });

  it('when a 佛山 reviewer reads, then 凉山 profiles (its partnership) are visible masked without contact details, 甘孜 ones are 404', async () => {
    const res = await get(foshanReviewer, xichangId).expect(200);
    expect(res.body).toMatchObject({ masked: true, phone: null, birthDate: null, guardian: null });
    expect(res.body.idNumber).toMatch(/^\d{4}\*{10}[\dX]{4}$/);
    await get(foshanReviewer, ganziId).expect(404);
    const ids = await allIds(foshanReviewer);
    expect(ids).toContain(zhaojueId);
    expect(ids).not.toContain(ganziId);
  });

  it('when an employer calls any profile endpoint, then 403', async () => {
    await get(employer, xichangId).expect(403);
    await list(employer).expect(403);
  });

  it('when an admin lists, then every jurisdiction is visible', async () => {
    const ids = await allIds(admin);
    expect(ids).toEqual(expect.arrayContaining([ganziId, xichangId, zhaojueId]));
  });
});

describe('listing', () => {
  let org: Organization;
  let staff: TestActor;
  const ids: string[] = [];
  beforeAll(async () => {
    org = await makeOrg('recipient_federation', '513200'); // 阿坝
    staff = await actorOf(org, 'federation_staff');
    for (const [i, origin] of ['513221', '513221', '513225', '513231', '513230'].entries()) {
      const p = await makeProfile(t.deps, org, origin, {
        skills: [{ code: i % 2 ? 'sewing' : 'electronic_assembly', level: '1' }],
      });
      ids.push(p.id);
    }
  });

  it('when paging with limit 2, then three pages hold every profile once, with the total', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await list(staff, { limit: '2', sort: 'createdAt', ...(cursor ? { cursor } : {}) }).expect(
        200,
      );
      expect(res.body.total).toBe(5);
      seen.push(...res.body.items.map((i: { id: string }) => i.id));
      cursor = res.body.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(ids);
  });

  it('when filtering by region, skill, status and updatedSince, then only matching profiles come back', async () => {
    const byRegion = await list(staff, { region: '513221' }).expect(200);
    expect(byRegion.body.total).toBe(2);
    const bySkill = await list(staff, { skill: 'sewing' }).expect(200);
    expect(bySkill.body.items.map((i: { id: string }) => i.id).sort()).toEqual([ids[1], ids[3]].sort());
    const none = await list(staff, { status: 'placed' }).expect(200);
    expect(none.body.total).toBe(0);
    const later = await list(staff, { updatedSince: new Date(Date.now() + 60_000).toISOString() }).expect(
      200,
    );
    expect(later.body.total).toBe(0);
  });

  it('when the sort or a filter is not allowed, then 400 naming the query parameter', async () => {
    const res = await list(staff, { sort: 'identity.name' }).expect(400);
    expect(issuesOf(res)).toEqual([expect.stringMatching(/^query\.sort:/)]);
    await list(staff, { region: "513221' || 1" }).expect(400);
  });
});

describe('updates with optimistic concurrency', () => {
  it('when PATCHing without If-Match, then 428; with a stale one, 412 and nothing changes', async () => {
    const { id } = await registered(ganziStaff, GANZI_COUNTY);
    await patch(ganziStaff, id, undefined, { education: 'senior' }).expect(428);
    await patch(ganziStaff, id, 'W/"1"', { education: 'senior' }).expect(200);
    const stale = await patch(ganziStaff, id, 'W/"1"', { education: 'college' }).expect(412);
    expect(stale.body.currentVersion).toBe(2);
    const now = await get(ganziStaff, id).expect(200);
    expect(now.body.education).toBe('senior');
    expect(now.headers.etag).toBe('W/"2"');
  });

  it('when two PATCHes carry the same If-Match at once, then exactly one wins', async () => {
    const { id } = await registered(ganziStaff, GANZI_COUNTY);
    const results = await Promise.all(
      ['primary', 'junior', 'senior', 'college', 'vocational'].map((education) =>
        patch(ganziStaff, id, 'W/"1"', { education }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 412, 412, 412, 412]);
    const winner = results.find((r) => r.status === 200)!;
    const now = await get(ganziStaff, id).expect(200);
    expect(now.body.version).toBe(2);
    expect(now.body.education).toBe(winner.body.education);
  });

  it('when the ID number changes without the certificate, then 400 on the certificate; both together succeed', async () => {
    const { id } = await registered(ganziStaff, GANZI_COUNTY);
    const current = await get(ganziStaff, id).expect(200);
    const next = identity(GANZI_COUNTY, {
      disabilityCategory: current.body.disabilityCategory,
      disabilityLevel: current.body.disabilityLevel,
    });
    const bad = await patch(ganziStaff, id, 'W/"1"', { idNumber: next.idNumber }).expect(400);
    expect(issuesOf(bad)).toContain('body.certificateNumber:certificate_id_mismatch');
    const ok = await patch(ganziStaff, id, 'W/"1"', {
      idNumber: next.idNumber,
      certificateNumber: next.certificateNumber,
    }).expect(200);
    expect(ok.body.birthDate).toBe(next.birthDate);
    expect(ok.body.sex).toBe(next.sex);
  });

  it('when the origin moves outside the jurisdiction, or status is set directly, then 400', async () => {
    const { id } = await registered(ganziStaff, GANZI_COUNTY);
    const res = await patch(ganziStaff, id, 'W/"1"', { originCode: ZHAOJUE }).expect(400);
    expect(issuesOf(res)).toEqual(['body.originCode:outside_jurisdiction']);
    const status = await patch(ganziStaff, id, 'W/"1"', { status: 'placed' }).expect(400);
    expect(status.body.code).toBe('mass_assignment');
  });

  it('when the new ID number belongs to someone registered elsewhere, then 409 without saying where, and nothing changes', async () => {
    const other = await registered(liangshanStaff, XICHANG);
    const mine = identity(GANZI_COUNTY, {
      disabilityCategory: other.identity.disabilityCategory,
      disabilityLevel: other.identity.disabilityLevel,
    });
    const { id } = await registered(ganziStaff, GANZI_COUNTY, {}, mine);
    const res = await patch(ganziStaff, id, 'W/"1"', {
      idNumber: other.identity.idNumber,
      certificateNumber: other.identity.certificateNumber,
    }).expect(409);
    expect(res.body.code).toBe('duplicate');
    expect(JSON.stringify(res.body)).not.toContain(other.id);
    const now = await get(ganziStaff, id).expect(200);
    expect(now.body.version).toBe(1);
    // The version was not left claimed by the refused change: the next update goes through.
    await patch(ganziStaff, id, 'W/"1"', { education: 'senior' }).expect(200);
  });
});

describe('status actions', () => {
  const act = (who: TestActor, id: string, body: Record<string, unknown>) =>
    request(t.app).post(`/api/v1/worker-profiles/${id}/status`).set(bearer(who.token)).send(body);

  it('when an action fits the status, then it applies, bumps the version and the profile leaves matching', async () => {
    const { id } = await registered(ganziStaff, GANZI_COUNTY);
    expect((await getProfilesForMatching(t.deps, { ids: [id] })).map((p) => p.id)).toEqual([id]);
    const res = await act(ganziStaff, id, { action: 'start_process' }).expect(200);
    expect(res.body).toMatchObject({ status: 'in_process', version: 2 });
    expect(res.body.matching.reasons.map((r: { code: string }) => r.code)).toEqual(['status_not_available']);
    expect(await getProfilesForMatching(t.deps, { ids: [id] })).toEqual([]);
  });

  it('when an action does not fit the status, then 409 with the actions that do', async () => {
    const { id } = await registered(ganziStaff, GANZI_COUNTY);
    const res = await act(ganziStaff, id, { action: 'reactivate' }).expect(409);
    expect(res.body).toMatchObject({ code: 'illegal_transition', currentStatus: 'available' });
    expect(res.body.allowedActions).toEqual(expect.arrayContaining(['start_process', 'deactivate']));
  });

  it('when deactivating without a reason, then 400; with one, the reason is shown', async () => {
    const { id } = await registered(ganziStaff, GANZI_COUNTY);
    const bad = await act(ganziStaff, id, { action: 'deactivate' }).expect(400);
    expect(issuesOf(bad)).toEqual(['body.reason:reason_required']);
    const ok = await act(ganziStaff, id, { action: 'deactivate', reason: 'moved_away' }).expect(200);
    expect(ok.body).toMatchObject({ status: 'inactive', statusReason: 'moved_away' });
  });

  it('when two staff apply actions at once from the same status, then exactly one wins', async () => {
    const { id } = await registered(ganziStaff, GANZI_COUNTY);
    const results = await Promise.all([
      act(ganziStaff, id, { action: 'start_process' }).set('If-Match', 'W/"1"'),
      act(ganziStaff, id, { action: 'deactivate', reason: 'other' }).set('If-Match', 'W/"1"'),
      act(ganziStaff, id, { action: 'place' }).set('If-Match', 'W/"1"'),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 412, 412]);
  });
});

describe('reveal', () => {
  const reveal = (who: TestActor, id: string, body: Record<string, unknown>) =>
    request(t.app).post(`/api/v1/worker-profiles/${id}/reveal`).set(bearer(who.token)).send(body);

  it('when staff of the jurisdiction reveal with a reason, then the full values come back and the audit names fields, not values', async () => {
    const { id, identity: who } = await registered(ganziStaff, GANZI_COUNTY);
    const res = await reveal(ganziStaff, id, { reason: 'contact_person', fields: ['name', 'phone'] }).expect(
      200,
    );
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({ id, name: who.name, phone: who.phone });
    const full = await reveal(ganziStaff, id, { reason: 'verify_identity' }).expect(200);
    expect(full.body).toMatchObject({ idNumber: who.idNumber, certificateNumber: who.certificateNumber });
    const audit = await request(t.app)
      .get('/api/v1/audit')
      .query({ resourceId: id, action: 'worker_profile.reveal' })
      .set(bearer(admin.token))
      .expect(200);
    expect(audit.body.items).toHaveLength(2);
    expect(audit.body.items[1]).toMatchObject({ reason: 'contact_person', fields: ['name', 'phone'] });
    const text = JSON.stringify(audit.body);
    for (const v of [who.name, who.phone, who.idNumber]) expect(text).not.toContain(v);
  });

  it('when a reveal has no reason, a reviewer asks, or staff of another jurisdiction ask, then 400 / 403 / 404', async () => {
    const { id } = await registered(liangshanStaff, XICHANG);
    await reveal(liangshanStaff, id, {}).expect(400);
    await reveal(foshanReviewer, id, { reason: 'contact_person' }).expect(403);
    await reveal(ganziStaff, id, { reason: 'contact_person' }).expect(404);
  });
});

describe('refused reads of personal data are audited', () => {
  const entries = async (resourceId: string, action: string) =>
    (
      await request(t.app)
        .get('/api/v1/audit')
        .query({ resourceId, action })
        .set(bearer(admin.token))
        .expect(200)
    ).body.items as Record<string, unknown>[];

  it('when staff of 甘孜 reveal the ID number of a 凉山 person, then 404 and a denied entry names the id asked for', async () => {
    const { id, identity: who } = await registered(liangshanStaff, XICHANG);
    await request(t.app)
      .post(`/api/v1/worker-profiles/${id}/reveal`)
      .set(bearer(ganziStaff.token))
      .send({ reason: 'verify_identity', fields: ['idNumber'] })
      .expect(404);
    const denied = await entries(id, 'worker_profile.reveal');
    expect(denied).toHaveLength(1);
    expect(denied[0]).toMatchObject({
      outcome: 'denied',
      reason: 'not_found_in_scope',
      resource: { type: 'worker_profile', id },
      fields: ['idNumber'],
      actor: { userId: ganziStaff.user.id, organizationId: ganzi.id },
    });
    // Every other read of the person answers the same way, with its own entry.
    await request(t.app).get(`/api/v1/worker-profiles/${id}`).set(bearer(ganziStaff.token)).expect(404);
    expect(await entries(id, 'worker_profile.read')).toMatchObject([{ outcome: 'denied' }]);
    await request(t.app)
      .get(`/api/v1/worker-profiles/${id}/consents`)
      .set(bearer(ganziStaff.token))
      .expect(404);
    expect(await entries(id, 'consent.list')).toMatchObject([{ outcome: 'denied' }]);
    const text = JSON.stringify(denied);
    for (const v of [who.name, who.idNumber, who.phone]) expect(text).not.toContain(v);
  });

  it('when the id asked for does not exist, then the same 404 and a denied entry naming that id', async () => {
    const id = new mongoose.Types.ObjectId().toHexString();
    await request(t.app)
      .post(`/api/v1/worker-profiles/${id}/reveal`)
      .set(bearer(ganziStaff.token))
      .send({ reason: 'verify_identity', fields: ['idNumber'] })
      .expect(404);
    expect(await entries(id, 'worker_profile.reveal')).toMatchObject([
      { outcome: 'denied', resource: { type: 'worker_profile', id } },
    ]);
  });
});

describe('logs', () => {
  it('when everything above has run, then no captured log line contains a name, ID, certificate or phone sent', () => {
    const logs = t.logs.lines.join('\n');
    expect(t.logs.lines.length).toBeGreaterThan(50);
    for (const who of sent)
      for (const value of [who.idNumber, who.certificateNumber, who.phone, who.name])
        expect(logs.includes(value), `a log line holds a value of ${value.length} characters`).toBe(false);
  });
});
