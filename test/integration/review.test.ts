import type { Job } from 'bullmq';
import ExcelJS from 'exceljs';
import mongoose, { Types } from 'mongoose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchesProcessors } from '../../src/modules/matches/matches.processors.js';
import { approveMatches } from '../../src/modules/matches/matches.service.js';
import type { Opening } from '../../src/modules/openings/openings.service.js';
import type { Organization } from '../../src/modules/orgs/orgs.repository.js';
import { placementsProcessors } from '../../src/modules/placements/placements.processors.js';
import { maskName } from '../../src/modules/worker-profiles/masking.js';
import type { WorkerProfile } from '../../src/modules/worker-profiles/worker-profiles.service.js';
import { bearer, makeOrg, makeUser, signIn, type TestActor } from '../fixtures/accounts.js';
import { startTestApp, type TestApp } from '../fixtures/app.js';
import { runWaitingJobs } from '../fixtures/jobs.js';
import { makeMatch, shareConsent } from '../fixtures/matches.js';
import { makeOpening } from '../fixtures/openings.js';
import { makeProfile, staffActor } from '../fixtures/worker-profiles.js';
import { binaryBody } from '../fixtures/xlsx.js';

/**
 * The review workflow through the API on the real services: scope of the reviewer queue, the state
 * machine's 409s, one winner among concurrent reviewers and hires, consent before identity, and one
 * match walked from suggestion to retention at six months with the follow-up jobs run in the order
 * the scheduler would run them.
 */
let t: TestApp;
let liangshan: Organization; // 凉山 recipient federation
let ganzi: Organization; // 甘孜 recipient federation
let foshanFed: Organization; // 佛山 supporting federation (its reviewers see 凉山)
let employer: Organization;
let otherEmployer: Organization;
let reviewer: TestActor; // 佛山 reviewer
let reviewer2: TestActor;
let ganziReviewer: TestActor;
let fedStaff: TestActor; // 凉山 staff
let employerUser: TestActor;
let otherEmployerUser: TestActor;
let admin: TestActor;

beforeAll(async () => {
  t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
  liangshan = await makeOrg('recipient_federation', '513400');
  ganzi = await makeOrg('recipient_federation', '513300');
  foshanFed = await makeOrg('supporting_federation', '440600');
  employer = await makeOrg('employer', '440600', { staffCount: 200 });
  otherEmployer = await makeOrg('employer', '440600', { staffCount: 80 });
  const as = async (org: Organization, roles: Parameters<typeof makeUser>[1]) =>
    signIn(t.config, await makeUser(org, roles), org);
  reviewer = await as(foshanFed, ['reviewer']);
  reviewer2 = await as(foshanFed, ['reviewer']);
  ganziReviewer = await as(ganzi, ['reviewer']);
  fedStaff = await as(liangshan, ['federation_staff']);
  employerUser = await as(employer, ['employer']);
  otherEmployerUser = await as(otherEmployer, ['employer']);
  admin = await as(await makeOrg('platform'), ['admin']);
});
afterAll(async () => {
  await t?.close();
});

const svc = () => ({ config: t.config, logger: t.deps.logger, queues: t.runtime.queues });
const post = (a: TestActor, path: string, body?: Record<string, unknown>) =>
  request(t.app)
    .post(path)
    .set(bearer(a.token))
    .send(body ?? {});
const get = (a: TestActor, path: string, query: Record<string, string> = {}) =>
  request(t.app).get(path).set(bearer(a.token)).query(query);

function expectOk(res: request.Response, status = 200) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  return res.body;
}

const liangshanProfile = (over: Record<string, unknown> = {}) =>
  makeProfile(t.deps, liangshan, '513401', over);
const openOpening = (headcount = 5, org = employer) => makeOpening(t.deps, org, 'open', { headcount });

async function inbox(userId: string, type?: string) {
  return mongoose.connection
    .db!.collection('notifications')
    .find({ userId: new Types.ObjectId(userId), ...(type ? { type } : {}) })
    .toArray();
}

/** Advances the scheduler: runs the review queue's delayed jobs of `placementId` due by `until`, in due order. */
async function runDelayedJobs(placementId: string, until: Date): Promise<string[]> {
  const jobs = (await t.runtime.queues.review.getDelayed(0, -1)).filter(
    (j: Job) => j.data.placementId === placementId && j.timestamp + (j.opts.delay ?? 0) <= until.getTime(),
  );
  jobs.sort((a, b) => a.timestamp + (a.opts.delay ?? 0) - (b.timestamp + (b.opts.delay ?? 0)));
  const processors = placementsProcessors({ ...svc(), workerId: 'test', redis: t.runtime.redis });
  const ran: string[] = [];
  for (const job of jobs) {
    const reg = processors.find((p) => p.job === job.name)!;
    await (reg.process as (p: unknown, j: Job) => Promise<unknown>)(job.data, job);
    await job.remove();
    ran.push(`${job.name}:${job.data.checkpoint}`);
  }
  return ran;
}

/**
 * The hire answers with the match `hired`; its placement is a consequence job: run the waiting jobs
 * as the worker would, then read the match again (`placed`, with its placement id).
 */
async function placed(a: TestActor, res: request.Response) {
  const hired = expectOk(res);
  expect(hired).toMatchObject({ status: 'hired', placementId: null });
  await runWaitingJobs(t);
  return expectOk(await get(a, `/api/v1/matches/${hired.id}`));
}

async function walkToInterested(profile: WorkerProfile, opening: Opening) {
  const m = await makeMatch(profile, opening);
  expectOk(await post(reviewer, `/api/v1/matches/${m.id}/approve`));
  await shareConsent(t.deps, liangshan, profile, opening);
  expectOk(await post(reviewer, `/api/v1/matches/${m.id}/propose`));
  expectOk(await post(employerUser, `/api/v1/matches/${m.id}/interested`));
  return m;
}

const hire = {
  contractStart: '2026-03-01',
  contractEnd: '2027-02-28',
  monthlyWage: 4200,
  socialInsurance: true,
};

describe('the reviewer queue', () => {
  it('when 凉山’s reviewer reads the queue, then 凉山 suggestions are listed and 甘孜 ones never', async () => {
    const opening = await openOpening();
    const ls = await makeMatch(await liangshanProfile(), opening, { score: 81 });
    const gz = await makeMatch(await makeProfile(t.deps, ganzi, '513301'), opening, { score: 90 });
    const mine = expectOk(await get(reviewer, '/api/v1/review/queue', { openingId: opening.id }));
    expect(mine.items.map((i: { id: string }) => i.id)).toEqual([ls.id]);
    expect(mine.items[0].reasons[0].code).toBe('skill_match');
    const theirs = expectOk(await get(ganziReviewer, '/api/v1/review/queue', { openingId: opening.id }));
    expect(theirs.items.map((i: { id: string }) => i.id)).toEqual([gz.id]);
    expect((await get(ganziReviewer, `/api/v1/matches/${ls.id}`)).status).toBe(404);
  });

  it('when filtered by score band and waiting time and sorted, then only those come back in that order', async () => {
    const opening = await openOpening();
    const old = await makeMatch(await liangshanProfile(), opening, {
      score: 60,
      suggestedAt: new Date(Date.now() - 10 * 86_400_000),
    });
    const high = await makeMatch(await liangshanProfile(), opening, { score: 95 });
    const mid = await makeMatch(await liangshanProfile(), opening, { score: 75 });
    const byScore = expectOk(await get(reviewer, '/api/v1/review/queue', { openingId: opening.id }));
    expect(byScore.items.map((i: { id: string }) => i.id)).toEqual([high.id, mid.id, old.id]);
    const band = expectOk(
      await get(reviewer, '/api/v1/review/queue', { openingId: opening.id, scoreMin: '70', scoreMax: '80' }),
    );
    expect(band.items.map((i: { id: string }) => i.id)).toEqual([mid.id]);
    const waiting = expectOk(
      await get(reviewer, '/api/v1/review/queue', {
        openingId: opening.id,
        waitingDays: '7',
        prefecture: '513400',
      }),
    );
    expect(waiting.items.map((i: { id: string }) => i.id)).toEqual([old.id]);
    expect(waiting.items[0].waitingDays).toBe(10);
    const oldest = expectOk(
      await get(reviewer, '/api/v1/review/queue', { openingId: opening.id, sort: 'suggestedAt', limit: '1' }),
    );
    expect(oldest.items[0].id).toBe(old.id);
    expect(oldest.nextCursor).not.toBeNull();
  });
});

describe('transitions', () => {
  it('when a suggestion is proposed without review, then 409 names the current state', async () => {
    const m = await makeMatch(await liangshanProfile(), await openOpening());
    const res = await post(reviewer, `/api/v1/matches/${m.id}/propose`);
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'illegal_transition', currentState: 'suggested' });
    expect(res.body.allowedActions).toEqual(['approve', 'reject', 'withdraw']);
  });

  it('when two reviewers approve the same match at once, then one wins and the other gets 409 naming the state', async () => {
    const m = await makeMatch(await liangshanProfile(), await openOpening());
    const [a, b] = await Promise.all([
      post(reviewer, `/api/v1/matches/${m.id}/approve`),
      post(reviewer2, `/api/v1/matches/${m.id}/reject`, { reasonCode: 'health' }),
    ]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual([200, 409]);
    const loser = a.status === 409 ? a : b;
    const winner = a.status === 200 ? a : b;
    expect(loser.body.currentState).toBe(winner.body.status);
    const fresh = expectOk(await get(reviewer, `/api/v1/matches/${m.id}`));
    expect(fresh.history).toHaveLength(1);
    expect(fresh.version).toBe(2);
  });

  it('when a rejection names no configured reason, or other without a note, then 400; with one it is recorded', async () => {
    const m = await makeMatch(await liangshanProfile(), await openOpening());
    expect((await post(reviewer, `/api/v1/matches/${m.id}/reject`, { reasonCode: 'nope' })).status).toBe(400);
    expect((await post(reviewer, `/api/v1/matches/${m.id}/reject`, { reasonCode: 'other' })).status).toBe(
      400,
    );
    expectOk(await post(reviewer, `/api/v1/matches/${m.id}/reject`, { reasonCode: 'unwilling_to_travel' }));
    const after = expectOk(await get(reviewer, `/api/v1/matches/${m.id}`));
    expect(after.history[0]).toMatchObject({
      action: 'reject',
      reasonCode: 'unwilling_to_travel',
      by: reviewer.user.id,
    });
    const reasons = expectOk(await get(employerUser, '/api/v1/review/reasons'));
    expect(reasons.reject.map((r: { zh: string }) => r.zh)).toEqual([
      '技能不符',
      '本人不愿外出',
      '岗位已满',
      '健康原因',
      '其他',
    ]);
  });

  it('when an approved match is proposed without the person’s consent to share, then 409 consent_required and the employer sees nothing', async () => {
    const opening = await openOpening();
    const m = await makeMatch(await liangshanProfile(), opening);
    expectOk(await post(reviewer, `/api/v1/matches/${m.id}/approve`));
    const res = await post(reviewer, `/api/v1/matches/${m.id}/propose`);
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'consent_required', currentState: 'approved' });
    expect((await get(employerUser, `/api/v1/employer/proposals/${m.id}`)).status).toBe(404);
    const list = expectOk(await get(employerUser, '/api/v1/employer/proposals', { openingId: opening.id }));
    expect(list.items).toEqual([]);
  });

  it('when consent is withdrawn, then the employer sees only the anonymised profile and the match is withdrawn by the job', async () => {
    const opening = await openOpening();
    const profile = await liangshanProfile();
    const m = await makeMatch(profile, opening);
    expectOk(await post(reviewer, `/api/v1/matches/${m.id}/approve`));
    const { consent } = await shareConsent(t.deps, liangshan, profile, opening);
    expectOk(await post(reviewer, `/api/v1/matches/${m.id}/propose`));

    const shared = expectOk(await get(employerUser, `/api/v1/employer/proposals/${m.id}`));
    expect(shared.identityStatus).toBe('shared');
    expect(shared.identity).toEqual({ name: expect.any(String), phone: expect.any(String) });
    const text = JSON.stringify(shared);
    expect(text).not.toContain(profile.identity.idNumber);
    expect(text).not.toContain(profile.identity.certificateNumber);
    expect(text).not.toMatch(/idNumber|certificateNumber/);
    const audits = await mongoose.connection
      .db!.collection('audit')
      .countDocuments({ action: 'match.disclose', resourceId: m.id });
    expect(audits).toBe(1);

    expectOk(
      await request(t.app)
        .post(`/api/v1/worker-profiles/${profile.id}/consents/${consent.id}/withdraw`)
        .set(bearer(fedStaff.token))
        .send({ reason: 'person_request', channel: 'in_person' }),
    );
    const anonymous = expectOk(await get(employerUser, `/api/v1/employer/proposals/${m.id}`));
    expect(anonymous).toMatchObject({ identityStatus: 'pending_consent', identity: null });
    expect(JSON.stringify(anonymous)).not.toContain(profile.identity.name);
    expect(anonymous.profile.ref).toBe(m.id);

    // The change subscriber (run here as the worker would) withdraws the match.
    const processors = matchesProcessors({ ...svc(), workerId: 'test', redis: t.runtime.redis });
    const job = processors.find((p) => p.job === 'review.profile-changed')!;
    const version = (await mongoose.connection
      .db!.collection('worker_profiles')
      .findOne({ _id: new Types.ObjectId(profile.id) }))!.version;
    await (job.process as (p: unknown, j: unknown) => Promise<unknown>)(
      { id: profile.id, version, kind: 'consent' },
      {},
    );
    await runWaitingJobs(t);
    const after = expectOk(await get(reviewer, `/api/v1/matches/${m.id}`));
    expect(after.status).toBe('withdrawn');
    expect(after.history.at(-1)).toMatchObject({
      action: 'auto_withdraw',
      by: 'system',
      reasonCode: 'share_consent_withdrawn',
    });
    expect(await inbox(employerUser.user.id, 'match.withdrawn')).toHaveLength(1);
    expect((await get(employerUser, `/api/v1/employer/proposals/${m.id}`)).status).toBe(404);
  });

  it('when an employer acts on another employer’s proposal, then 404; on its own before the proposal, 404 too', async () => {
    const opening = await openOpening();
    const m = await walkToInterested(await liangshanProfile(), opening);
    expect(
      (await post(otherEmployerUser, `/api/v1/matches/${m.id}/decline`, { reasonCode: 'no_show' })).status,
    ).toBe(404);
    const early = await makeMatch(await liangshanProfile(), opening);
    expect((await post(employerUser, `/api/v1/matches/${early.id}/interested`)).status).toBe(404);
  });

  it('when a person is erased, then the pending matches are withdrawn automatically', async () => {
    const profile = await liangshanProfile();
    const m = await makeMatch(profile, await openOpening());
    expectOk(await post(reviewer, `/api/v1/matches/${m.id}/approve`));
    expect(
      (
        await request(t.app)
          .delete(`/api/v1/worker-profiles/${profile.id}`)
          .set(bearer(fedStaff.token))
          .send({ reason: 'registered_in_error' })
      ).status,
    ).toBe(204);
    const processors = matchesProcessors({ ...svc(), workerId: 'test', redis: t.runtime.redis });
    const job = processors.find((p) => p.job === 'review.profile-changed')!;
    await (job.process as (p: unknown, j: unknown) => Promise<unknown>)(
      { id: profile.id, version: 99, kind: 'erased' },
      {},
    );
    const after = expectOk(await get(reviewer, `/api/v1/matches/${m.id}`));
    expect(after).toMatchObject({ status: 'withdrawn' });
    expect(after.history.at(-1).reasonCode).toBe('profile_erased');
  });
});

describe('hires against the headcount', () => {
  it('when 20 hires race on an opening with headcount 3, then exactly 3 placements exist, the opening is filled and its suggestions superseded', async () => {
    const opening = await openOpening(3);
    const matches = [];
    // Made in the state the hire starts from: the race is what is tested, not the walk there.
    for (let i = 0; i < 20; i++)
      matches.push(await makeMatch(await liangshanProfile(), opening, { status: 'interested' }));
    const waiting = await makeMatch(await liangshanProfile(), opening);
    const results = await Promise.all(
      matches.map((m) => post(employerUser, `/api/v1/matches/${m.id}/hire`, hire)),
    );
    const codes = results.map((r) => r.status);
    // The hire answers at once; the placements are its consequence jobs (run here as the worker would).
    await runWaitingJobs(t);
    expect(codes.filter((c) => c === 200)).toHaveLength(3);
    expect(codes.filter((c) => c === 409)).toHaveLength(17);
    for (const r of results.filter((x) => x.status === 409)) expect(r.body.code).toBe('headcount_full');
    const placements = await mongoose.connection
      .db!.collection('placements')
      .countDocuments({ openingId: opening.id });
    expect(placements).toBe(3);
    const o = expectOk(await get(employerUser, `/api/v1/openings/${opening.id}`));
    expect(o).toMatchObject({ status: 'filled', filled: 3 });
    const w = expectOk(await get(reviewer, `/api/v1/matches/${waiting.id}`));
    expect(w.status).toBe('superseded');
  }, 300_000);
});

describe('approveMatches (for campaign plans)', () => {
  it('when a set is approved in bulk, then missing matches are created and people in process elsewhere are skipped with a reason', async () => {
    const opening = await openOpening();
    const fresh = await liangshanProfile();
    const suggested = await liangshanProfile();
    await makeMatch(suggested, opening);
    const busy = await liangshanProfile();
    await walkToInterested(busy, await openOpening());
    const foreign = await makeProfile(t.deps, ganzi, '513301');
    const actor = {
      ...staffActor(foshanFed, ['reviewer']),
      userId: reviewer.user.id,
      partnershipScope: ['513400'],
    };
    const out = await approveMatches(
      actor,
      [fresh, suggested, busy, foreign].map((p) => ({ profileId: p.id, openingId: opening.id, score: 66 })),
      svc(),
    );
    expect(out.results.map((r) => [r.outcome, r.reason ?? null])).toEqual([
      ['approved', null],
      ['approved', null],
      ['skipped', 'in_process_elsewhere'],
      ['skipped', 'out_of_scope'],
    ]);
    const again = await approveMatches(actor, [{ profileId: fresh.id, openingId: opening.id }], svc());
    expect(again.results[0]!.outcome).toBe('already_approved');
  });
});

describe('acceptance: one match from suggestion to retention at six months', () => {
  it('when the match is walked through the API and the scheduler runs the follow-ups, then each person is notified once per event', async () => {
    const opening = await openOpening(2);
    const profile = await liangshanProfile();
    const m = await makeMatch(profile, opening);
    const path = (action: string) => `/api/v1/matches/${m.id}/${action}`;

    expectOk(await post(reviewer, path('approve'), { note: '技能吻合' }));
    await shareConsent(t.deps, liangshan, profile, opening);
    expectOk(await post(reviewer, path('propose')));
    expectOk(await post(employerUser, path('interested')));
    expectOk(
      await post(employerUser, path('interview'), { at: '2026-02-20T02:00:00Z', mode: 'by_federation' }),
    );
    const start = new Date().toISOString().slice(0, 10);
    const end = `${Number(start.slice(0, 4)) + 1}${start.slice(4)}`;
    const hired = await placed(
      employerUser,
      await post(employerUser, path('hire'), { ...hire, contractStart: start, contractEnd: end }),
    );
    expect(hired.status).toBe('placed');
    const placementId = hired.placementId as string;

    // Nothing is due yet: the checkpoints are delayed jobs.
    let tasks = expectOk(await get(fedStaff, '/api/v1/follow-ups'));
    expect(tasks.items.filter((x: { placementId: string }) => x.placementId === placementId)).toEqual([]);
    const early = await post(fedStaff, `/api/v1/placements/${placementId}/follow-ups/m1`, {
      stillEmployed: true,
      wagePaidOnTime: true,
      accommodationWorking: true,
      dormitory: true,
    });
    expect(early.status).toBe(409);

    const visit = { stillEmployed: true, wagePaidOnTime: true, accommodationWorking: true, dormitory: true };
    const { checkpoints } = expectOk(await get(fedStaff, `/api/v1/placements/${placementId}`));
    const month = 31 * 86_400_000;
    // Each checkpoint's day, an hour after its reminder: the scheduler's clock, not the wall clock.
    for (const [checkpoint, until] of checkpoints.map((c: { code: string; dueOn: string }) => [
      c.code,
      new Date(`${c.dueOn}T10:00:00+08:00`).getTime(),
    ]) as [string, number][]) {
      const ran = await runDelayedJobs(placementId, new Date(until));
      expect(ran).toContain(`placements.follow-up-due:${checkpoint}`);
      tasks = expectOk(await get(fedStaff, '/api/v1/follow-ups', { due: '2099-12-31' }));
      expect(
        tasks.items.find(
          (x: { placementId: string; checkpoint: string }) =>
            x.placementId === placementId && x.checkpoint === checkpoint,
        ),
      ).toMatchObject({ state: 'due' });
      expectOk(await post(fedStaff, `/api/v1/placements/${placementId}/follow-ups/${checkpoint}`, visit));
    }
    // The overdue reminders of recorded checkpoints find nothing to do.
    await runDelayedJobs(placementId, new Date(Date.now() + 8 * month));

    const placement = expectOk(await get(fedStaff, `/api/v1/placements/${placementId}`));
    expect(placement).toMatchObject({
      status: 'retained',
      retention: { m3: true, m6: true, subsidyEvidence: true },
    });
    expect(placement.checkpoints.map((c: { state: string }) => c.state)).toEqual([
      'done',
      'done',
      'done',
      'done',
    ]);
    const match = expectOk(await get(reviewer, `/api/v1/matches/${m.id}`));
    expect(match.status).toBe('retained');
    expect(match.history.map((h: { action: string }) => h.action)).toEqual([
      'approve',
      'propose',
      'interested',
      'interview',
      'hire',
      'place',
      'retain',
    ]);

    const count = async (a: TestActor) => {
      // Only this match's and this placement's notifications (the users act in other tests too).
      const list = (await inbox(a.user.id)).filter(
        (n) => n.data.matchId === m.id || n.data.placementId === placementId,
      );
      const byType: Record<string, number> = {};
      for (const n of list) byType[n.type] = (byType[n.type] ?? 0) + 1;
      return byType;
    };
    expect(await count(fedStaff)).toEqual({
      'match.approved': 1,
      'match.interested': 1,
      'interview.scheduled': 1,
      'placement.created': 1,
      'follow_up.due': 4,
    });
    expect(await count(reviewer)).toEqual({
      'match.interested': 1,
      'interview.scheduled': 1,
      'placement.created': 1,
    });
    expect(await count(employerUser)).toMatchObject({
      'match.proposed': 1,
      'interview.scheduled': 1,
      'placement.created': 1,
    });
    // Each follow-up reminder once per checkpoint.
    const due = (await inbox(fedStaff.user.id, 'follow_up.due')).filter(
      (n) => n.data.placementId === placementId,
    );
    expect(new Set(due.map((n) => n.data.checkpoint))).toEqual(new Set(['d7', 'm1', 'm3', 'm6']));
  }, 180_000);

  it('when a checkpoint passes its grace period unrecorded, then the overdue reminder goes out once', async () => {
    const opening = await openOpening();
    const m = await walkToInterested(await liangshanProfile(), opening);
    const start = new Date().toISOString().slice(0, 10);
    const hired = await placed(
      reviewer,
      await post(reviewer, `/api/v1/matches/${m.id}/hire`, {
        ...hire,
        contractStart: start,
        contractEnd: '2099-01-01',
      }),
    );
    await runDelayedJobs(hired.placementId, new Date(Date.now() + 15 * 86_400_000));
    const overdue = (await inbox(fedStaff.user.id, 'follow_up.overdue')).filter(
      (n) => n.data.placementId === hired.placementId,
    );
    expect(overdue.map((n) => n.data.checkpoint)).toEqual(['d7']);
    const tasks = expectOk(await get(fedStaff, '/api/v1/follow-ups', { due: '2099-12-31' }));
    expect(
      tasks.items.find(
        (x: { placementId: string; checkpoint: string }) =>
          x.placementId === hired.placementId && x.checkpoint === 'd7',
      ).state,
    ).toBe('overdue');
  });
});

describe('placements, quota and transfer batches', () => {
  it('when one person is placed at two employers at once, then both quotas flag paper employment for federations and admins only', async () => {
    const profile = await liangshanProfile();
    const a = await walkToInterested(profile, await openOpening());
    const hiredA = await placed(employerUser, await post(employerUser, `/api/v1/matches/${a.id}/hire`, hire));
    // The second employer's placement, recorded as if made elsewhere: the person is counted twice.
    const otherOpening = await openOpening(5, otherEmployer);
    const b = await makeMatch(profile, otherOpening, { status: 'interviewing' });
    await placed(
      admin,
      await post(admin, `/api/v1/matches/${b.id}/hire`, { ...hire, socialInsurance: false }),
    );

    const q = expectOk(await get(admin, `/api/v1/employers/${employer.id}/quota`));
    const line = q.lines.find((l: { placementId: string }) => l.placementId === hiredA.placementId);
    expect(line).toMatchObject({ qualifies: true, weight: expect.any(Number), paperEmployment: true });
    expect(q.paperEmploymentCount).toBeGreaterThanOrEqual(1);
    expect(q.ratePercent).toBe(1.5);
    expect(q.required).toBe(3);
    const own = expectOk(await get(employerUser, `/api/v1/employers/${employer.id}/quota`));
    expect(own.paperEmploymentCount).toBeNull();
    expect(own.lines.every((l: { paperEmployment: unknown }) => l.paperEmployment === null)).toBe(true);
    const other = expectOk(await get(admin, `/api/v1/employers/${otherEmployer.id}/quota`));
    expect(other.lines[0]).toMatchObject({
      qualifies: false,
      reasons: ['no_social_insurance'],
      paperEmployment: true,
    });
    expect((await get(otherEmployerUser, `/api/v1/employers/${employer.id}/quota`)).status).toBe(404);

    // The profile page lists the person's placements: both for the federation, only its own for
    // an employer.
    const ofPerson = expectOk(await get(fedStaff, `/api/v1/placements?profileId=${profile.id}`));
    expect(ofPerson.items.map((p: { employerId: string }) => p.employerId).sort()).toEqual(
      [employer.id, otherEmployer.id].sort(),
    );
    const employerView = expectOk(await get(employerUser, `/api/v1/placements?profileId=${profile.id}`));
    expect(employerView.items.map((p: { id: string }) => p.id)).toEqual([hiredA.placementId]);
  });

  it('when a placement ends, then it no longer counts and the match and profile follow', async () => {
    const m = await walkToInterested(await liangshanProfile(), await openOpening());
    const hired = await placed(employerUser, await post(employerUser, `/api/v1/matches/${m.id}/hire`, hire));
    const ended = expectOk(
      await post(employerUser, `/api/v1/placements/${hired.placementId}/end`, { reasonCode: 'resigned' }),
    );
    expect(ended.status).toBe('ended');
    expect(
      (await post(employerUser, `/api/v1/placements/${hired.placementId}/end`, { reasonCode: 'resigned' }))
        .status,
    ).toBe(409);
    expect(expectOk(await get(reviewer, `/api/v1/matches/${m.id}`)).status).toBe('ended');
  });

  it('when federation staff organise a transfer batch, then its roster exports as XLSX with the members', async () => {
    const opening = await openOpening();
    const p1 = await liangshanProfile();
    const m1 = await walkToInterested(p1, opening);
    const h1 = await placed(employerUser, await post(employerUser, `/api/v1/matches/${m1.id}/hire`, hire));
    const p2 = await liangshanProfile();
    const m2 = await makeMatch(p2, opening);
    expectOk(await post(reviewer, `/api/v1/matches/${m2.id}/approve`));
    const body = {
      originCode: '513401',
      employerId: employer.id,
      destinationCode: '440600',
      travelDate: '2026-03-01',
      transport: 'chartered_bus',
      escorts: [{ name: '李干事', phone: '13800000000' }],
      groupLeader: { name: '阿木' },
      placementIds: [h1.placementId],
      matchIds: [m2.id],
    };
    const batch = expectOk(await post(fedStaff, '/api/v1/transfer-batches', body), 201);
    expect(batch.members).toHaveLength(2);
    // Staff may not read employer organisations: the batch names its employer itself.
    expect(batch.employerName).toBe(employer.name);
    const listed = expectOk(await get(fedStaff, '/api/v1/transfer-batches')).items as { id: string }[];
    expect(listed.find((b) => b.id === batch.id)).toMatchObject({ employerName: employer.name });

    // One batch shows its members as people lists do (masked name, sex, age) to the origin's staff,
    // audited; the destination city's staff, who may not read those people, get null.
    const one = expectOk(await get(fedStaff, `/api/v1/transfer-batches/${batch.id}`));
    const shown = one.members.map((m: { person: { name: string } | null }) => m.person?.name).sort();
    expect(shown).toEqual([maskName(p1.identity.name), maskName(p2.identity.name)].sort());
    expect(one.members[0].person).toMatchObject({ sex: expect.any(String), age: expect.any(Number) });
    expect(JSON.stringify(one)).not.toContain(p1.identity.name);
    const reads = await mongoose.connection
      .db!.collection('audit')
      .countDocuments({ action: 'transfer_batch.read_members', resourceId: batch.id });
    expect(reads).toBeGreaterThanOrEqual(1);
    const foshanStaff = await signIn(t.config, await makeUser(foshanFed, ['federation_staff']), foshanFed);
    const seenByDestination = expectOk(await get(foshanStaff, `/api/v1/transfer-batches/${batch.id}`));
    expect(seenByDestination.members.map((m: { person: unknown }) => m.person)).toEqual([null, null]);

    // Who may travel for the opening: the approved and hired, of the origin's own people, by masked
    // name; a suggestion is not offered, and the destination's staff are offered nobody.
    const extra = await makeMatch(await liangshanProfile(), opening);
    const candidates = expectOk(
      await get(fedStaff, `/api/v1/openings/${opening.id}/transfer-candidates`, { originCode: '513401' }),
    ).items as { matchId: string; placementId: string | null; person: { name: string } }[];
    expect(candidates.map((c) => c.matchId).sort()).toEqual([m1.id, m2.id].sort());
    expect(candidates.find((c) => c.matchId === m1.id)).toMatchObject({
      placementId: h1.placementId,
      person: { name: maskName(p1.identity.name) },
    });
    expect(candidates.map((c) => c.matchId)).not.toContain(extra.id);
    expect(JSON.stringify(candidates)).not.toContain(p2.identity.name);
    const elsewhere = expectOk(
      await get(fedStaff, `/api/v1/openings/${opening.id}/transfer-candidates`, { originCode: '513422' }),
    );
    expect(elsewhere.items).toEqual([]);
    expect(
      expectOk(await get(foshanStaff, `/api/v1/openings/${opening.id}/transfer-candidates`)).items,
    ).toEqual([]);
    expect(listed.find((b) => b.id === batch.id)).toMatchObject({
      members: [expect.objectContaining({ person: null }), expect.objectContaining({ person: null })],
    });
    expect(expectOk(await get(fedStaff, `/api/v1/placements/${h1.placementId}`)).transferBatchId).toBe(
      batch.id,
    );
    const foreign = await makeProfile(t.deps, ganzi, '513301');
    const fm = await makeMatch(foreign, opening);
    expect((await post(fedStaff, '/api/v1/transfer-batches', { ...body, matchIds: [fm.id] })).status).toBe(
      404,
    );

    const patched = expectOk(
      await request(t.app)
        .patch(`/api/v1/transfer-batches/${batch.id}`)
        .set(bearer(fedStaff.token))
        .set('If-Match', 'W/"1"')
        .send({ transport: 'train', matchIds: [] }),
    );
    expect(patched).toMatchObject({ transport: 'train', version: 2 });
    expect(patched.members).toHaveLength(1);

    const res = await request(t.app)
      .get(`/api/v1/transfer-batches/${batch.id}/roster`)
      .set(bearer(fedStaff.token))
      .buffer(true)
      .parse(binaryBody);
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as never);
    const sheet = wb.getWorksheet('花名册')!;
    expect(sheet.getRow(6).getCell(2).value).toBe(p1.identity.name);
    expect(JSON.stringify(sheet.getSheetValues())).not.toContain(p1.identity.idNumber);
  });

  it('when an admin edits a city’s minimum wage, then new placements record it at hire', async () => {
    const res = await request(t.app)
      .put('/api/v1/reference/minimum-wages/440600')
      .set(bearer(admin.token))
      .send({ monthlyCny: 2100, effectiveFrom: '2026-01-01' });
    expectOk(res);
    const m = await walkToInterested(await liangshanProfile(), await openOpening());
    const hired = await placed(employerUser, await post(employerUser, `/api/v1/matches/${m.id}/hire`, hire));
    expect(
      expectOk(await get(employerUser, `/api/v1/placements/${hired.placementId}`)).minimumWageAtHire,
    ).toBe(2100);
    const list = expectOk(await request(t.app).get('/api/v1/reference/minimum-wages'));
    expect(list.items.find((w: { regionCode: string }) => w.regionCode === '440600').monthlyCny).toBe(2100);
  });
});
