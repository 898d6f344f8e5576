import mongoose from 'mongoose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Organization } from '../../src/modules/orgs/orgs.repository.js';
import { startWorkerHost, type WorkerHost } from '../../workers/host.js';
import { allProcessors } from '../../workers/processors.js';
import { bearer, makeOrg, makeUser, signIn, type TestActor } from '../fixtures/accounts.js';
import { startTestApp, type TestApp } from '../fixtures/app.js';
import { makeIdentity } from '../fixtures/identity.js';
import { openingBody } from '../fixtures/openings.js';
import { waitFor } from '../fixtures/processes.js';
import { profileBody } from '../fixtures/worker-profiles.js';

/**
 * Acceptance of matching end to end: an opening created and opened through the API is matched by
 * the worker within seconds (its suggestions listed with reasons, the reviewers notified once per
 * burst); a withdrawn consent makes the person's suggestions disappear.
 */

let t: TestApp;
let host: WorkerHost;
let liangshan: Organization;
let staff: TestActor;
let reviewer: TestActor;
let foshanReviewer: TestActor;
let ganziReviewer: TestActor;
let employer: TestActor;

const XICHANG = '513401';

async function actorOf(org: Organization, role: 'federation_staff' | 'reviewer' | 'employer') {
  return signIn(t.config, await makeUser(org, [role]), org);
}

beforeAll(async () => {
  t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '100000', NOTIFY_COLLAPSE_WINDOW_MS: '1500' });
  host = await startWorkerHost(t.config, t.deps.logger, allProcessors);
  liangshan = await makeOrg('recipient_federation', '513400');
  staff = await actorOf(liangshan, 'federation_staff');
  reviewer = await actorOf(liangshan, 'reviewer');
  foshanReviewer = await actorOf(await makeOrg('supporting_federation', '440600'), 'reviewer');
  ganziReviewer = await actorOf(await makeOrg('recipient_federation', '513300'), 'reviewer');
  employer = await actorOf(await makeOrg('employer', '440600'), 'employer');
});
afterAll(async () => {
  await host?.close();
  await t?.close();
});

async function register(over: Record<string, unknown> = {}): Promise<string> {
  const res = await request(t.app)
    .post('/api/v1/worker-profiles')
    .set(bearer(staff.token))
    .send(profileBody(XICHANG, over, makeIdentity({ addressCode: XICHANG })));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}

const matchesOf = (who: TestActor, openingId: string) =>
  request(t.app).get(`/api/v1/openings/${openingId}/matches`).set(bearer(who.token));

describe('when an opening is created and opened through the API', () => {
  let openingId: string;
  let fit: string;
  let skilled: string;
  let needsSigning: string;
  let elsewhere: string;

  beforeAll(async () => {
    fit = await register({ skills: [{ code: 'electronic_assembly', level: '1' }] });
    skilled = await register({ skills: [{ code: 'electronic_assembly', level: '3' }] });
    needsSigning = await register({ accommodationsNeeded: ['sign_language'] });
    elsewhere = await register({
      preferences: {
        destinationCodes: ['330300'],
        minimumWage: 3500,
        jobTypes: [],
        needsDormitory: false,
        needsAccessibleDormitory: false,
        willingToTravelWithGroup: true,
      },
    });
    const created = await request(t.app)
      .post('/api/v1/openings')
      .set(bearer(employer.token))
      .send(openingBody({ skills: [{ code: 'electronic_assembly', level: '2' }] }))
      .expect(201);
    openingId = created.body.id;
    await request(t.app).post(`/api/v1/openings/${openingId}/open`).set(bearer(employer.token)).expect(200);
  });

  it('then within seconds its matches list the eligible profiles, best first, with components and reasons', async () => {
    const page = await waitFor(
      'the opening’s suggestions',
      async () => {
        const res = await matchesOf(reviewer, openingId).expect(200);
        return res.body.total === 2 ? res.body : undefined;
      },
      20_000,
      200,
    );
    expect(page.items.map((m: { profileId: string }) => m.profileId)).toEqual([skilled, fit]);
    expect(page.items.map((m: { profileId: string }) => m.profileId)).not.toContain(needsSigning);
    expect(page.items.map((m: { profileId: string }) => m.profileId)).not.toContain(elsewhere);
    const [best] = page.items;
    expect(best.status).toBe('suggested');
    expect(best.score).toBeGreaterThan(page.items[1].score);
    expect(best.components.map((c: { key: string }) => c.key)).toContain('skills');
    expect(best.reasons.length).toBeGreaterThan(0);
    expect(best.reasons[0]).toMatchObject({ zh: expect.any(String), en: expect.any(String) });
    // 佛山 is paired with 凉山: the partnership is one of the reasons.
    expect(best.reasons.map((r: { about: string }) => r.about)).toContain('partnership');
    // Denormalised for scope.
    const doc = await mongoose.connection
      .db!.collection('matches')
      .findOne({ profileId: skilled, openingId });
    expect(doc).toMatchObject({ employerId: employer.org.id, inOpeningTop: true });
    // Stored as codes and parameters; the sentences are rendered when read, in both languages.
    expect(doc!.reasons.length).toBe(best.reasons.length);
    for (const r of doc!.reasons) {
      expect(r).not.toHaveProperty('zh');
      expect(r).not.toHaveProperty('en');
    }
    const stored = await mongoose.connection
      .db!.collection('matches')
      .findOne({ profileId: best.profileId, openingId });
    expect(stored!.reasons.map((r: { code: string }) => r.code)).toEqual(
      best.reasons.map((r: { code: string }) => r.code),
    );
    const partnership = best.reasons.find((r: { code: string }) => r.code === 'partnership_pair');
    expect(partnership).toMatchObject({
      zh: expect.stringContaining('对口帮扶'),
      en: expect.stringContaining('Partnership pair'),
    });
    expect(doc!.profileRegionPath).toContain('513400');
    expect(doc!.openingRegionPath).toContain('440600');
  });

  it('then the profile side lists the opening too, and the explanation compares requirement by requirement', async () => {
    const res = await request(t.app)
      .get(`/api/v1/worker-profiles/${fit}/matches`)
      .set(bearer(staff.token))
      .expect(200);
    expect(res.body.items.map((m: { openingId: string }) => m.openingId)).toEqual([openingId]);
    const chart = await request(t.app)
      .get(`/api/v1/matches/${res.body.items[0].id}/explanation`)
      .set(bearer(reviewer.token))
      .expect(200);
    expect(chart.body).toMatchObject({ eligible: true, profileId: fit, openingId });
    const keys = chart.body.rows.map((r: { key: string }) => r.key);
    expect(keys).toContain('opening_open');
    expect(chart.body.rows.every((r: { why: { zh: string } }) => r.why.zh.length > 0)).toBe(true);
  });

  it('then the reviewers in scope get one notice for the burst, and readers out of scope see nothing', async () => {
    const inbox = await waitFor(
      'the suggestion notice',
      async () => {
        const res = await request(t.app).get('/api/v1/notifications').set(bearer(reviewer.token)).expect(200);
        const items = res.body.items.filter((n: { type: string }) => n.type === 'match.suggested');
        return items.length ? items : undefined;
      },
      20_000,
      250,
    );
    expect(inbox).toHaveLength(1);
    expect(inbox[0].data.count).toBeGreaterThanOrEqual(2);
    // 佛山's reviewers work on 凉山 (their partnership): they see the suggestions as well.
    expect((await matchesOf(foshanReviewer, openingId).expect(200)).body.total).toBe(2);
    // 甘孜's reviewers may read the opening but none of these people.
    expect((await matchesOf(ganziReviewer, openingId).expect(200)).body.total).toBe(0);
    await request(t.app)
      .get(`/api/v1/worker-profiles/${fit}/matches`)
      .set(bearer(ganziReviewer.token))
      .expect(404);
    // Employers never read suggestions here (they see proposals through the review workflow).
    await matchesOf(employer, openingId).expect(403);
  });

  it('then withdrawing a profile’s consent makes its suggestions disappear, superseded with the reason', async () => {
    const list = await request(t.app)
      .get(`/api/v1/worker-profiles/${fit}/consents`)
      .set(bearer(staff.token))
      .expect(200);
    const processing = list.body.items.find((c: { purpose: string }) => c.purpose === 'sensitive_processing');
    await request(t.app)
      .post(`/api/v1/worker-profiles/${fit}/consents/${processing.id}/withdraw`)
      .set(bearer(staff.token))
      .send({ reason: 'person_request', channel: 'in_person' })
      .expect(200);
    await waitFor(
      'the withdrawn person’s suggestions to disappear',
      async () => {
        const res = await matchesOf(reviewer, openingId).expect(200);
        return res.body.total === 1 ? true : undefined;
      },
      20_000,
      200,
    );
    const res = await matchesOf(reviewer, openingId).expect(200);
    expect(res.body.items.map((m: { profileId: string }) => m.profileId)).toEqual([skilled]);
    const superseded = await request(t.app)
      .get(`/api/v1/openings/${openingId}/matches?status=superseded`)
      .set(bearer(reviewer.token))
      .expect(200);
    expect(superseded.body.items).toHaveLength(1);
    expect(superseded.body.items[0]).toMatchObject({
      profileId: fit,
      supersededReason: {
        code: 'ineligible.no_sensitive_data_consent',
        zh: expect.stringContaining('同意'),
        en: expect.stringContaining('consent'),
      },
    });
    const doc = await mongoose.connection.db!.collection('matches').findOne({ profileId: fit, openingId });
    expect(doc!.supersededReason.code).toBe('ineligible.no_sensitive_data_consent');
    expect(doc!.supersededReason).not.toHaveProperty('zh');
    expect(doc!.supersededReason).not.toHaveProperty('en');
    // One document per pair, however many runs.
    expect(await mongoose.connection.db!.collection('matches').countDocuments({ openingId })).toBe(2);
  });
});
