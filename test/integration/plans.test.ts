import mongoose, { Types } from 'mongoose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobId } from '../../src/jobs/catalogue.js';
import { approveMatches } from '../../src/modules/matches/matches.service.js';
import type { Organization } from '../../src/modules/orgs/orgs.repository.js';
import { runPlan } from '../../src/modules/plans/plans.service.js';
import { changeProfileStatus } from '../../src/modules/worker-profiles/status.service.js';
import { startWorkerHost, type WorkerHost } from '../../workers/host.js';
import { allProcessors } from '../../workers/processors.js';
import { bearer, makeOrg, makeUser, signIn, type TestActor } from '../fixtures/accounts.js';
import { startTestApp, type TestApp } from '../fixtures/app.js';
import { makeOpening } from '../fixtures/openings.js';
import { makeProfile, staffActor } from '../fixtures/worker-profiles.js';

/**
 * Campaign plans on real services: the request, the job run by a real worker host, the plan as
 * a reviewer reads it, acceptance into approved matches with the re-checks, and scope.
 *
 * Each test plans for its own 凉山 county and its own destination city, so the people and
 * openings of one test never enter another's market.
 */

let t: TestApp;
let worker: WorkerHost;
let liangshan: Organization;
let employerA: Organization;
let employerB: Organization;
let foshanReviewer: TestActor; // 佛山: partnership with 凉山
let wenzhouReviewer: TestActor; // 温州: no partnership with 凉山
let admin: TestActor;

beforeAll(async () => {
  t = await startTestApp();
  liangshan = await makeOrg('recipient_federation', '513400');
  employerA = await makeOrg('employer', '440600');
  employerB = await makeOrg('employer', '440600');
  const reviewer = async (region: string) => {
    const org = await makeOrg('supporting_federation', region);
    return signIn(t.config, await makeUser(org, ['reviewer']), org);
  };
  foshanReviewer = await reviewer('440600');
  wenzhouReviewer = await reviewer('330300');
  const platform = await makeOrg('platform');
  admin = await signIn(t.config, await makeUser(platform, ['admin']), platform);
  worker = await startWorkerHost(t.config, t.deps.logger, allProcessors);
});

afterAll(async () => {
  await worker?.close();
  await t?.close();
});

/** People of `county` who accept work in `city`; `over` changes one of them. */
function person(county: string, city: string, over: Record<string, unknown> = {}) {
  const { preferences, ...rest } = over as { preferences?: Record<string, unknown> };
  return makeProfile(t.deps, liangshan, county, {
    preferences: {
      destinationCodes: [city],
      minimumWage: 3500,
      jobTypes: ['6'],
      needsDormitory: true,
      needsAccessibleDormitory: false,
      willingToTravelWithGroup: true,
      ...preferences,
    },
    ...rest,
  });
}

function opening(
  employer: Organization,
  city: string,
  headcount: number,
  over: Record<string, unknown> = {},
) {
  return makeOpening(t.deps, employer, 'open', {
    regionCode: city,
    address: '示例工业园',
    headcount,
    ...over,
  });
}

async function plan(
  by: TestActor,
  originCode: string,
  cityCodes: string[],
  options: Record<string, unknown> = {},
) {
  const res = await request(t.app)
    .post('/api/v1/plans')
    .set(bearer(by.token))
    .send({ people: { originCode }, openings: { cityCodes }, options });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return res;
}

async function whenDone(by: TestActor, id: string) {
  for (let i = 0; i < 300; i++) {
    const res = await request(t.app).get(`/api/v1/plans/${id}`).set(bearer(by.token)).expect(200);
    if (res.body.status === 'done' || res.body.status === 'failed') return res.body;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`plan ${id} did not finish`);
}

describe('computing a plan', () => {
  it('when a 佛山 reviewer plans for a 凉山 county, then 202 with a Location, and the plan fills the places within headcount with eligible pairs only', async () => {
    const county = '513401';
    const city = '440600';
    const people = [];
    for (let i = 0; i < 5; i++) people.push(await person(county, city));
    // Wants 温州 only: no opening here is acceptable to them.
    const elsewhere = await person(county, city, { preferences: { destinationCodes: ['330300'] } });
    const a = await opening(employerA, city, 2);
    const b = await opening(employerB, city, 2);

    const res = await plan(foshanReviewer, county, [city]);
    expect(res.headers.location).toBe(`/api/v1/plans/${res.body.id}`);
    expect(res.body).toMatchObject({ status: 'queued', request: { originCode: county, cityCodes: [city] } });
    const job = await t.runtime.queues.plans.getJob(jobId('plans.compute', res.body.id));
    expect(job?.data).toEqual({ planId: res.body.id });

    const body = await whenDone(foshanReviewer, res.body.id);
    expect(body.status, body.error).toBe('done');
    const r = body.result;
    expect(r.counts).toMatchObject({ people: 6, openings: 2, slots: 4 });
    expect(r.figures).toMatchObject({ assigned: 4, slots: 4, fillRate: 1 });
    expect(r.baselines.greedy.slots).toBe(4);
    expect(r.figures.totalScore).toBeGreaterThanOrEqual(r.baselines.greedy.totalScore);

    // Within headcount, each person at most once.
    for (const o of r.openings) expect(o.people.length).toBeLessThanOrEqual(o.slots);
    const assigned = r.assignments.map((x: { person: { profileId: string } }) => x.person.profileId);
    expect(new Set(assigned).size).toBe(assigned.length);
    expect(assigned).not.toContain(elsewhere.id);
    // Eligible only: the reference scorer agrees with every assigned pair.
    const byId = new Map([...people, elsewhere].map((p) => [p.id, p]));
    for (const x of r.assignments) {
      expect(byId.has(x.person.profileId)).toBe(true);
      expect([a.id, b.id]).toContain(x.openingId);
      expect(x.components.length).toBeGreaterThan(0);
      expect(x.components.reduce((s: number, c: { points: number }) => s + c.points, 0)).toBeCloseTo(
        x.score,
        1,
      );
    }
    const unassigned = new Map(
      r.unassigned.map((u: { person: { profileId: string }; reason: string }) => [
        u.person.profileId,
        u.reason,
      ]),
    );
    expect(unassigned.get(elsewhere.id)).toBe('no_eligible_opening');
    expect([...unassigned.values()].filter((x) => x === 'outscored')).toHaveLength(1);

    // People by id with masked display fields: never an ID or certificate number, never a full name.
    const text = JSON.stringify(body);
    for (const p of byId.values()) {
      expect(text).not.toContain(p.identity.idNumber);
      expect(text).not.toContain(p.identity.certificateNumber);
      expect(text).not.toContain(`"${p.identity.name}"`);
    }
    expect(r.assignments[0].person.name).toMatch(/\*/);
    expect(r.assignments[0].person.age).toBeGreaterThan(15);
  });

  it('when the job runs again for a finished plan, then it does nothing', async () => {
    const county = '513422';
    await person(county, '440600');
    const res = await plan(foshanReviewer, county, ['440600']);
    const done = await whenDone(foshanReviewer, res.body.id);
    const again = await runPlan({ config: t.config, logger: t.deps.logger }, res.body.id);
    expect(again).toEqual({ skipped: 'plan done' });
    const after = await request(t.app)
      .get(`/api/v1/plans/${res.body.id}`)
      .set(bearer(admin.token))
      .expect(200);
    expect(after.body.finishedAt).toBe(done.finishedAt);
  });

  it('when the origin is outside the reviewer’s partnership or options are invalid, then 400', async () => {
    const out = await request(t.app)
      .post('/api/v1/plans')
      .set(bearer(wenzhouReviewer.token))
      .send({ people: { originCode: '513400' } })
      .expect(400);
    expect(out.body.issues[0]).toMatchObject({ path: 'people.originCode', code: 'out_of_scope' });
    await request(t.app)
      .post('/api/v1/plans')
      .set(bearer(foshanReviewer.token))
      .send({ people: { originCode: '513400' }, options: { minScore: 101 } })
      .expect(400);
  });
});

describe('accepting a plan', () => {
  it('when a reviewer accepts part of a plan, then those matches are approved with history, the placements are returned, and accepting again changes nothing', async () => {
    const county = '513423';
    const city = '330300';
    for (let i = 0; i < 3; i++) await person(county, city);
    await opening(employerA, city, 3, { address: '温州市示例工业区' });
    const res = await plan(foshanReviewer, county, [city]);
    const body = await whenDone(foshanReviewer, res.body.id);
    expect(body.result.figures.assigned).toBe(3);
    const [first, second] = body.result.assignments;
    const chosen = [first, second].map((x: { person: { profileId: string }; openingId: string }) => ({
      profileId: x.person.profileId,
      openingId: x.openingId,
    }));

    const acc = await request(t.app)
      .post(`/api/v1/plans/${res.body.id}/acceptance`)
      .set(bearer(foshanReviewer.token))
      .send({ assignments: chosen })
      .expect(200);
    expect(acc.body.skipped).toEqual([]);
    expect(acc.body.accepted.map((x: { outcome: string }) => x.outcome)).toEqual(['approved', 'approved']);
    expect(acc.body.placements).toEqual([
      {
        openingId: chosen[0]!.openingId,
        employerId: employerA.id,
        originCode: county,
        profileIds: expect.any(Array),
      },
    ]);
    expect(acc.body.placements[0].profileIds.sort()).toEqual(chosen.map((c) => c.profileId).sort());

    // The origin federation turns the accepted group into a transfer batch (members: the approved
    // matches, before contracts are signed).
    const staff = await signIn(t.config, await makeUser(liangshan, ['federation_staff']), liangshan);
    const batch = await request(t.app)
      .post('/api/v1/transfer-batches')
      .set(bearer(staff.token))
      .send({
        originCode: county,
        employerId: employerA.id,
        destinationCode: city,
        travelDate: '2027-03-01',
        transport: 'chartered_bus',
        matchIds: acc.body.accepted.map((x: { matchId: string }) => x.matchId),
      });
    expect(batch.status).toBe(201);
    expect(JSON.stringify(batch.body)).toContain(acc.body.accepted[0].matchId);

    const matches = await mongoose.connection
      .db!.collection('matches')
      .find({ profileId: { $in: chosen.map((c) => c.profileId) } })
      .toArray();
    expect(matches).toHaveLength(2);
    for (const m of matches) {
      expect(m.status).toBe('approved');
      expect(m.history.at(-1)).toEqual(
        expect.objectContaining({ from: 'suggested', to: 'approved', by: foshanReviewer.user.id }),
      );
    }
    const third = body.result.assignments[2].person.profileId;
    // The matching jobs may have suggested the third person somewhere; nothing of theirs is approved.
    expect(
      await mongoose.connection
        .db!.collection('matches')
        .countDocuments({ profileId: third, status: 'approved' }),
    ).toBe(0);

    const again = await request(t.app)
      .post(`/api/v1/plans/${res.body.id}/acceptance`)
      .set(bearer(foshanReviewer.token))
      .send({ assignments: chosen.slice(0, 1) })
      .expect(200);
    expect(again.body.accepted[0].outcome).toBe('already_approved');

    const read = await request(t.app).get(`/api/v1/plans/${res.body.id}`).set(bearer(foshanReviewer.token));
    expect(read.body.acceptances).toHaveLength(2);

    const notInPlan = await request(t.app)
      .post(`/api/v1/plans/${res.body.id}/acceptance`)
      .set(bearer(foshanReviewer.token))
      .send({ assignments: [{ profileId: chosen[0]!.profileId, openingId: '000000000000000000000000' }] })
      .expect(400);
    expect(notInPlan.body.issues[0]).toMatchObject({ path: 'assignments.0', code: 'not_in_plan' });
  });

  it('when people were taken elsewhere after the plan was computed, then acceptance skips them with a clear code and never assigns anyone twice', async () => {
    const county = '513424';
    const city = '330500';
    for (let i = 0; i < 4; i++) await person(county, city);
    const here = await opening(employerA, city, 4, { address: '湖州市示例工业区' });
    const other = await opening(employerB, city, 1, { address: '湖州市示例工业区', title: '别处' });
    const res = await plan(foshanReviewer, county, [city]);
    const body = await whenDone(foshanReviewer, res.body.id);
    const assigned = body.result.assignments.filter((x: { openingId: string }) => x.openingId === here.id);
    expect(assigned.length).toBeGreaterThanOrEqual(2);
    const [inProcess, hiredElsewhere] = assigned.map(
      (x: { person: { profileId: string } }) => x.person.profileId,
    );

    // Meanwhile: one person's federation starts another process, another is approved elsewhere.
    await changeProfileStatus(t.deps, staffActor(liangshan), inProcess, { action: 'start_process' });
    const elsewhere = await approveMatches(
      {
        userId: new Types.ObjectId().toHexString(),
        organizationId: new Types.ObjectId().toHexString(),
        orgType: 'platform',
        roles: ['admin'],
      },
      [{ profileId: hiredElsewhere, openingId: other.id, score: 50 }],
      t.deps,
    );
    expect(elsewhere.approved).toBe(1);

    const acc = await request(t.app)
      .post(`/api/v1/plans/${res.body.id}/acceptance`)
      .set(bearer(foshanReviewer.token))
      .send({ assignments: 'all' })
      .expect(200);
    const skipped = new Map(
      acc.body.skipped.map((s: { profileId: string; code: string }) => [s.profileId, s]),
    );
    expect(skipped.get(inProcess)).toMatchObject({
      code: 'profile_not_available',
      message: expect.any(String),
    });
    expect(skipped.get(hiredElsewhere)).toMatchObject({
      code: 'in_process_elsewhere',
      messageEn: expect.stringMatching(/another opening/),
    });
    const accepted = acc.body.accepted.map((x: { profileId: string }) => x.profileId);
    expect(accepted).not.toContain(inProcess);
    expect(accepted).not.toContain(hiredElsewhere);

    // Nobody has two matches under way.
    const active = await mongoose.connection.db!.collection('matches').find({ status: 'approved' }).toArray();
    const perPerson = new Map<string, number>();
    for (const m of active) perPerson.set(m.profileId, (perPerson.get(m.profileId) ?? 0) + 1);
    expect([...perPerson.values()].every((n) => n === 1)).toBe(true);
  });
});

describe('concurrent acceptance', () => {
  it('when two reviewers accept the same plan at once, then each person is approved exactly once', async () => {
    const county = '513426';
    const city = '330400';
    for (let i = 0; i < 3; i++) await person(county, city);
    await opening(employerA, city, 3, { address: '嘉兴市示例工业区' });
    const res = await plan(foshanReviewer, county, [city]);
    await whenDone(foshanReviewer, res.body.id);
    const accept = (by: TestActor) =>
      request(t.app)
        .post(`/api/v1/plans/${res.body.id}/acceptance`)
        .set(bearer(by.token))
        .send({ assignments: 'all' });
    const [x, y] = await Promise.all([accept(foshanReviewer), accept(admin)]);
    expect([x.status, y.status]).toEqual([200, 200]);
    const outcomes = [...x.body.accepted, ...y.body.accepted].map((a: { outcome: string }) => a.outcome);
    expect(outcomes.filter((o) => o === 'approved')).toHaveLength(3);
    const matches = await mongoose.connection
      .db!.collection('matches')
      .find({ profileRegionPath: county })
      .toArray();
    expect(matches).toHaveLength(3);
    for (const m of matches)
      expect(m.history.filter((h: { to: string }) => h.to === 'approved')).toHaveLength(1);
  });
});

describe('scope', () => {
  it('when a reviewer of another partnership reads, lists or accepts a plan, then it is not found; an admin sees it', async () => {
    const county = '513427';
    await person(county, '440600');
    const res = await plan(foshanReviewer, county, ['440600']);
    await whenDone(foshanReviewer, res.body.id);

    const get = await request(t.app).get(`/api/v1/plans/${res.body.id}`).set(bearer(wenzhouReviewer.token));
    expect(get.status).toBe(404);
    expect(get.body.code).toBe('not_found');
    await request(t.app)
      .post(`/api/v1/plans/${res.body.id}/acceptance`)
      .set(bearer(wenzhouReviewer.token))
      .send({ assignments: 'all' })
      .expect(404);
    const list = await request(t.app).get('/api/v1/plans').set(bearer(wenzhouReviewer.token)).expect(200);
    expect(list.body.items.map((p: { id: string }) => p.id)).not.toContain(res.body.id);
    const own = await request(t.app).get('/api/v1/plans').set(bearer(foshanReviewer.token)).expect(200);
    expect(own.body.items.map((p: { id: string }) => p.id)).toContain(res.body.id);
    expect(own.body.items[0]).not.toHaveProperty('result');
    await request(t.app).get(`/api/v1/plans/${res.body.id}`).set(bearer(admin.token)).expect(200);
  });
});
