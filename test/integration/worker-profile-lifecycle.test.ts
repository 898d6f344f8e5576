import ExcelJS from 'exceljs';
import mongoose from 'mongoose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Organization } from '../../src/modules/orgs/orgs.repository.js';
import {
  hasProcessingConsent,
  hasShareConsent,
  recordShareConsent,
} from '../../src/modules/worker-profiles/consents.service.js';
import {
  buildAnonymisedProfile,
  getProfileForMatching,
  getProfilesForMatching,
} from '../../src/modules/worker-profiles/for-other-modules.service.js';
import { transitionProfileStatus } from '../../src/modules/worker-profiles/status.service.js';
import { bearer, makeOrg, makeUser, signIn, type TestActor } from '../fixtures/accounts.js';
import { startTestApp, type TestApp } from '../fixtures/app.js';
import { type Identity, makeIdentity } from '../fixtures/identity.js';
import { profileBody } from '../fixtures/worker-profiles.js';
import { binaryBody } from '../fixtures/xlsx.js';

/**
 * What happens to a profile over its life: consents given and withdrawn, training added by either
 * side of a partnership, the anonymised view for employers, export, and erasure.
 */

let t: TestApp;
let ganzi: Organization;
let ganziStaff: TestActor;
let liangshanStaff: TestActor;
let guangdongStaff: TestActor; // 广东省 supporting federation: partnership with 甘孜
let foshanStaff: TestActor; // 佛山 supporting federation: partnership with 凉山
let foshanReviewer: TestActor;
let admin: TestActor;
let employerOrg: Organization;
const sent: Identity[] = [];

const KANGDING = '513301';
const XICHANG = '513401';
const OPENING = '665f1c2e9b1d8a0012345678';

async function actorOf(org: Organization, role: 'federation_staff' | 'reviewer' | 'employer' | 'admin') {
  return signIn(t.config, await makeUser(org, [role]), org);
}

beforeAll(async () => {
  t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
  ganzi = await makeOrg('recipient_federation', '513300');
  ganziStaff = await actorOf(ganzi, 'federation_staff');
  liangshanStaff = await actorOf(await makeOrg('recipient_federation', '513400'), 'federation_staff');
  guangdongStaff = await actorOf(await makeOrg('supporting_federation', '440000'), 'federation_staff');
  const foshan = await makeOrg('supporting_federation', '440600');
  foshanStaff = await actorOf(foshan, 'federation_staff');
  foshanReviewer = await actorOf(foshan, 'reviewer');
  admin = await actorOf(await makeOrg('platform'), 'admin');
  employerOrg = await makeOrg('employer', '440600');
});
afterAll(async () => {
  await t?.close();
});

async function register(who: TestActor, origin: string, over: Record<string, unknown> = {}) {
  const id = makeIdentity({ addressCode: origin });
  sent.push(id);
  const res = await request(t.app)
    .post('/api/v1/worker-profiles')
    .set(bearer(who.token))
    .send(profileBody(origin, over, id));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { id: res.body.id as string, identity: id };
}

const consents = (who: TestActor, id: string) =>
  request(t.app).get(`/api/v1/worker-profiles/${id}/consents`).set(bearer(who.token));
const giveConsent = (who: TestActor, id: string, body: Record<string, unknown>) =>
  request(t.app).post(`/api/v1/worker-profiles/${id}/consents`).set(bearer(who.token)).send(body);
const withdraw = (who: TestActor, id: string, consentId: string) =>
  request(t.app)
    .post(`/api/v1/worker-profiles/${id}/consents/${consentId}/withdraw`)
    .set(bearer(who.token))
    .send({ reason: 'person_request', channel: 'in_person' });
const raw = (collection: string) => mongoose.connection.db!.collection(collection);

describe('consent to process sensitive data (PIPL Art. 29)', () => {
  it('when a profile is registered without consent, then it is kept but not matched until consent is recorded', async () => {
    const { id } = await register(ganziStaff, KANGDING, { processingConsent: undefined });
    const before = await request(t.app)
      .get(`/api/v1/worker-profiles/${id}`)
      .set(bearer(ganziStaff.token))
      .expect(200);
    expect(before.body.matching.reasons.map((r: { code: string }) => r.code)).toEqual([
      'no_processing_consent',
    ]);
    expect(await getProfilesForMatching(t.deps, { ids: [id] })).toEqual([]);

    const res = await giveConsent(ganziStaff, id, {
      purpose: 'sensitive_processing',
      textVersion: 'pi-2024.1',
      channel: 'paper_form',
      givenBy: 'supporter',
      representative: { relation: 'supporter', name: '吉克阿依' },
      assistedByStaff: true,
    }).expect(201);
    expect(res.body).toMatchObject({
      purpose: 'sensitive_processing',
      givenBy: 'supporter',
      representative: { relation: 'supporter', name: '吉***' },
      assistedByStaff: true,
      active: true,
      recordedBy: ganziStaff.user.id,
    });
    expect(JSON.stringify(await raw('consents').find({ profileId: id }).toArray())).not.toContain('吉克阿依');
    const after = await request(t.app)
      .get(`/api/v1/worker-profiles/${id}`)
      .set(bearer(ganziStaff.token))
      .expect(200);
    expect(after.body).toMatchObject({
      version: 2,
      consent: { processing: true },
      matching: { eligible: true },
    });
    expect(await hasProcessingConsent(id)).toBe(true);
    expect((await getProfilesForMatching(t.deps, { ids: [id] })).map((p) => p.id)).toEqual([id]);
  });

  it('when the consent is withdrawn, then at once the profile leaves matching, share consents go with it, and history keeps both', async () => {
    const { id } = await register(ganziStaff, KANGDING);
    await recordShareConsent(
      t.deps,
      { userId: ganziStaff.user.id, organizationId: ganzi.id },
      id,
      employerOrg.id,
      OPENING,
      {
        textVersion: 'share-2024.1',
        channel: 'in_person',
        givenBy: 'self',
        assistedByStaff: false,
        dataCategories: ['identity', 'contact', 'skills_training'],
      },
    );
    expect(await hasShareConsent(id, employerOrg.id, OPENING)).toBe(true);
    const history = await consents(ganziStaff, id).expect(200);
    const processing = history.body.items.find(
      (c: { purpose: string }) => c.purpose === 'sensitive_processing',
    );

    const res = await withdraw(ganziStaff, id, processing.id).expect(200);
    expect(res.body).toMatchObject({ active: false, withdrawalReason: 'person_request' });
    expect(await hasProcessingConsent(id)).toBe(false);
    expect(await hasShareConsent(id, employerOrg.id, OPENING)).toBe(false);
    expect(await getProfilesForMatching(t.deps, { ids: [id] })).toEqual([]);
    const forMatching = await getProfileForMatching(t.deps, id);
    expect(forMatching).toMatchObject({ eligible: false, exclusionReasons: ['no_processing_consent'] });
    const profile = await request(t.app)
      .get(`/api/v1/worker-profiles/${id}`)
      .set(bearer(ganziStaff.token))
      .expect(200);
    expect(profile.body.consent.processing).toBe(false);
    const after = await consents(ganziStaff, id).expect(200);
    expect(after.body.items).toHaveLength(2);
    expect(after.body.items.every((c: { active: boolean }) => !c.active)).toBe(true);
    await withdraw(ganziStaff, id, processing.id).expect(409);
  });

  it('when a share consent is recorded through the API, then it needs the processing consent first and is not doubled', async () => {
    const { id } = await register(ganziStaff, KANGDING, { processingConsent: undefined });
    const share = {
      purpose: 'share_with_employer',
      employerId: employerOrg.id,
      openingId: OPENING,
      dataCategories: ['identity', 'contact'],
      textVersion: 'share-2024.1',
      channel: 'phone',
    };
    await giveConsent(ganziStaff, id, share).expect(409);
    await giveConsent(ganziStaff, id, {
      purpose: 'sensitive_processing',
      textVersion: 'pi-1',
      channel: 'paper_form',
    }).expect(201);
    const first = await giveConsent(ganziStaff, id, share).expect(201);
    const again = await giveConsent(ganziStaff, id, share).expect(200);
    expect(again.body.id).toBe(first.body.id);
    const notEmployer = await giveConsent(ganziStaff, id, { ...share, employerId: ganzi.id }).expect(400);
    expect(notEmployer.body.issues[0]).toMatchObject({ path: 'body.employerId', code: 'unknown_employer' });
    expect(await hasShareConsent(id, employerOrg.id, OPENING)).toBe(true);
    expect(await hasShareConsent(id, employerOrg.id, '665f1c2e9b1d8a0012345679')).toBe(false);
  });

  it('when staff of another jurisdiction touch consents, then 404; reviewers, 403', async () => {
    const { id } = await register(ganziStaff, KANGDING);
    await consents(liangshanStaff, id).expect(404);
    await giveConsent(liangshanStaff, id, {
      purpose: 'sensitive_processing',
      textVersion: 'pi-1',
      channel: 'paper_form',
    }).expect(404);
    await consents(foshanReviewer, id).expect(403);
  });
});

describe('training records', () => {
  const add = (who: TestActor, id: string, body: Record<string, unknown>) =>
    request(t.app).post(`/api/v1/worker-profiles/${id}/training-records`).set(bearer(who.token)).send(body);
  const training = {
    programmeCode: 'tp_electronics',
    providerName: '广东省残疾人职业培训中心',
    startDate: '2024-03-01',
    endDate: '2024-04-15',
    hours: 120,
    certificateNumber: 'GD-2024-000123',
    certificateLevel: 'level5',
  };

  it('when the recipient federation adds a record, then it is stored with the certificate number encrypted and shown masked', async () => {
    const { id } = await register(ganziStaff, KANGDING);
    const res = await add(ganziStaff, id, training).expect(201);
    expect(res.body).toMatchObject({
      programmeCode: 'tp_electronics',
      hours: 120,
      certificateNumber: 'GD*********123',
      addedByOrganizationId: ganzi.id,
      underPartnership: false,
      source: 'api',
    });
    const doc = await raw('worker_profiles').findOne({ _id: new mongoose.Types.ObjectId(id) });
    expect(JSON.stringify(doc)).not.toContain('GD-2024-000123');
  });

  it('when a supporting federation of the partnership adds training it delivered, then it is marked as under the partnership', async () => {
    const { id } = await register(ganziStaff, KANGDING);
    const res = await add(guangdongStaff, id, { ...training, certificateNumber: undefined }).expect(201);
    expect(res.body).toMatchObject({ underPartnership: true, providerOrganizationId: guangdongStaff.org.id });
    // It can add training, but it cannot read the profile.
    await request(t.app).get(`/api/v1/worker-profiles/${id}`).set(bearer(guangdongStaff.token)).expect(404);
  });

  it('when a supporting federation outside the partnership adds training, then 404; bad records are 400 naming the field', async () => {
    const { id } = await register(ganziStaff, KANGDING);
    await add(foshanStaff, id, training).expect(404);
    const unknown = await add(ganziStaff, id, { ...training, programmeCode: 'tp_juggling' }).expect(400);
    expect(unknown.body.issues.map((i: { path: string }) => i.path)).toEqual(['body.programmeCode']);
    const backwards = await add(ganziStaff, id, { ...training, endDate: '2024-02-01' }).expect(400);
    expect(backwards.body.issues[0]).toMatchObject({ path: 'body.endDate', code: 'end_before_start' });
    const claim = await add(guangdongStaff, id, { ...training, providerOrganizationId: ganzi.id }).expect(
      400,
    );
    expect(claim.body.issues[0].code).toBe('provider_not_own_organization');
  });
});

describe('views for other modules', () => {
  it('when the anonymised view is built for an employer, then it has no name, numbers, contact, birth date or disability category', async () => {
    const { id, identity: who } = await register(ganziStaff, KANGDING, {
      guardian: { relation: 'guardian', name: '王大明', phone: '13912345678' },
    });
    const view = await buildAnonymisedProfile(t.deps, id, 'match-1');
    expect(view).toMatchObject({
      ref: 'match-1',
      originPrefectureCode: '513300',
      accommodationsNeeded: ['seated_workstation'],
    });
    const text = JSON.stringify(view);
    for (const v of [id, who.name, who.idNumber, who.phone, who.birthDate, '王大明', '13912345678'])
      expect(text).not.toContain(v);
    expect(view).not.toHaveProperty('disabilityCategory');
    expect(view).not.toHaveProperty('disabilityLevel');
  });

  it('when the review workflow moves a profile through its lifecycle, then illegal steps are 409', async () => {
    const { id } = await register(ganziStaff, KANGDING);
    expect(await transitionProfileStatus(t.deps, id, 'start_process')).toMatchObject({
      status: 'in_process',
      version: 2,
    });
    expect(await transitionProfileStatus(t.deps, id, 'place')).toMatchObject({ status: 'placed' });
    await expect(transitionProfileStatus(t.deps, id, 'start_process')).rejects.toMatchObject({
      code: 'illegal_transition',
    });
  });

  it('when candidates are asked for by region and skill, then only eligible profiles inside them come back', async () => {
    const a = await register(liangshanStaff, XICHANG, { skills: [{ code: 'massage', level: '3' }] });
    await register(liangshanStaff, XICHANG, {
      skills: [{ code: 'massage', level: '1' }],
      processingConsent: undefined,
    });
    const found = await getProfilesForMatching(t.deps, { regionCodes: ['513400'], skillCodes: ['massage'] });
    expect(found.map((p) => p.id)).toEqual([a.id]);
    expect(found[0]).not.toHaveProperty('identity');
    expect(JSON.stringify(found)).not.toContain(a.identity.idNumber);
  });
});

describe('export', () => {
  async function exported(who: TestActor) {
    const res = await request(t.app)
      .get('/api/v1/worker-profiles/export')
      .set(bearer(who.token))
      .buffer(true)
      .parse(binaryBody)
      .expect(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body);
    const sheet = wb.getWorksheet('人员信息')!;
    const rows: string[][] = [];
    sheet.eachRow((row) => rows.push(Array.from((row.values as unknown[]).slice(1), (v) => String(v ?? ''))));
    return rows;
  }

  it('when staff export, then their scope comes out masked; a reviewer gets no phone; nothing is in clear', async () => {
    const mine = await register(ganziStaff, KANGDING);
    const theirs = await register(liangshanStaff, XICHANG);
    const staffRows = await exported(ganziStaff);
    expect(staffRows[0]).toEqual(expect.arrayContaining(['档案编号', '姓名', '身份证号', '联系电话']));
    const ids = staffRows.slice(1).map((r) => r[0]);
    expect(ids).toContain(mine.id);
    expect(ids).not.toContain(theirs.id);
    const row = staffRows.find((r) => r[0] === mine.id)!;
    expect(row[2]).toBe(`${mine.identity.idNumber.slice(0, 4)}**********${mine.identity.idNumber.slice(-4)}`);
    expect(row[4]).toMatch(/^\d{3}\*{4}\d{4}$/);
    const reviewerRows = await exported(foshanReviewer);
    const seen = reviewerRows.find((r) => r[0] === theirs.id)!;
    expect(seen[4]).toBe('');
    const text = JSON.stringify([staffRows, reviewerRows]);
    for (const who of sent)
      for (const v of [who.idNumber, who.phone, who.certificateNumber]) expect(text).not.toContain(v);
  });
});

describe('erasure', () => {
  const erase = (
    who: TestActor,
    id: string,
    body: Record<string, unknown> = { reason: 'data_subject_request' },
  ) => request(t.app).delete(`/api/v1/worker-profiles/${id}`).set(bearer(who.token)).send(body);

  it('when a profile is erased, then personal data is gone from MongoDB, statistics stay, and the audit holds no values', async () => {
    const { id, identity: who } = await register(ganziStaff, KANGDING, {
      guardian: { relation: 'guardian', name: '王大明', phone: '13912345678' },
      processingConsent: {
        textVersion: 'pi-1',
        channel: 'paper_form',
        givenBy: 'guardian',
        representative: { relation: 'guardian', name: '王大明' },
      },
    });
    await request(t.app)
      .post(`/api/v1/worker-profiles/${id}/training-records`)
      .set(bearer(ganziStaff.token))
      .send({
        programmeCode: 'tp_sewing',
        providerName: '康定市职校',
        startDate: '2024-01-02',
        endDate: '2024-02-02',
        hours: 80,
        certificateNumber: 'KD-2024-77',
      })
      .expect(201);
    await request(t.app)
      .post(`/api/v1/worker-profiles/${id}/status`)
      .set(bearer(ganziStaff.token))
      .send({ action: 'place' })
      .expect(200);

    await erase(ganziStaff, id, {}).expect(400);
    await erase(ganziStaff, id).expect(204);

    await request(t.app).get(`/api/v1/worker-profiles/${id}`).set(bearer(ganziStaff.token)).expect(404);
    await erase(ganziStaff, id).expect(404);
    const doc = await raw('worker_profiles').findOne({ _id: new mongoose.Types.ObjectId(id) });
    expect(doc).toMatchObject({
      erased: true,
      erasureReason: 'data_subject_request',
      originCode: KANGDING,
      disabilityCategory: who.disabilityCategory,
      disabilityLevel: who.disabilityLevel,
      status: 'placed',
      training: [expect.objectContaining({ programmeCode: 'tp_sewing', hours: 80 })],
    });
    expect(doc).not.toHaveProperty('identity');
    expect(doc).not.toHaveProperty('birthDate');
    expect(doc).not.toHaveProperty('guardian');
    expect(doc!.idHash).toBe(`erased-${id}`);
    const everything = JSON.stringify([doc, await raw('consents').find({ profileId: id }).toArray()]);
    for (const v of [
      who.name,
      who.idNumber,
      who.certificateNumber,
      who.phone,
      '王大明',
      '13912345678',
      'KD-2024-77',
      '康定市职校',
    ])
      expect(everything).not.toContain(v);
    expect(everything).not.toMatch(/v1\.k1\./);
    expect(await hasProcessingConsent(id)).toBe(false);
    expect(await getProfileForMatching(t.deps, id)).toBeNull();

    const audit = await request(t.app)
      .get('/api/v1/audit')
      .query({ resourceId: id, action: 'worker_profile.erase' })
      .set(bearer(admin.token))
      .expect(200);
    expect(audit.body.items).toEqual([expect.objectContaining({ reason: 'data_subject_request' })]);
    expect(JSON.stringify(audit.body)).not.toContain(who.name);

    // The person may be registered afresh: the erased record no longer holds their hash.
    const again = await request(t.app)
      .post('/api/v1/worker-profiles')
      .set(bearer(ganziStaff.token))
      .send(profileBody(KANGDING, {}, who));
    expect(again.status).toBe(201);
  });

  it('when a reviewer or staff of another jurisdiction erase, then 403 / 404; an admin may', async () => {
    const { id } = await register(ganziStaff, KANGDING);
    await erase(foshanReviewer, id).expect(403);
    await erase(liangshanStaff, id).expect(404);
    await erase(admin, id, { reason: 'registered_in_error' }).expect(204);
  });

  it('when everything above has run, then no captured log line contains a value sent', () => {
    const logs = t.logs.lines.join('\n');
    for (const who of sent)
      for (const v of [who.idNumber, who.certificateNumber, who.phone, who.name])
        expect(logs.includes(v)).toBe(false);
    expect(logs).not.toContain('王大明');
  });
});
