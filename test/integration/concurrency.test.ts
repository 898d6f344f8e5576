import mongoose, { Types } from 'mongoose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { takePlace } from '../../src/modules/openings/openings.repository.js';
import type { Organization } from '../../src/modules/orgs/orgs.repository.js';
import {
  countFairnessRows,
  currentFairnessRun,
  FAIRNESS_REPORT,
  publishFairnessRun,
} from '../../src/modules/reports/fairness.runs.repository.js';
import { computeFairnessSnapshot } from '../../src/modules/reports/fairness.service.js';
import { startWorkerHost, type WorkerHost } from '../../workers/host.js';
import { allProcessors } from '../../workers/processors.js';
import { bearer, makeOrg, makeUser, signIn, TEST_PASSWORD, type TestActor } from '../fixtures/accounts.js';
import { startTestApp, type TestApp } from '../fixtures/app.js';
import { runWaitingJobs } from '../fixtures/jobs.js';
import { makeMatch } from '../fixtures/matches.js';
import { makeOpening } from '../fixtures/openings.js';
import { waitFor } from '../fixtures/processes.js';
import { distinctRosterRows, rosterXlsx } from '../fixtures/rosters.js';
import { makeProfile, makeProfileOf } from '../fixtures/worker-profiles.js';

/**
 * One winner under real concurrency: 20 racers at once against the same state change, through the
 * API where there is a route. Every assertion is on outcomes (statuses, documents, counts), so the
 * same tests hold on MongoDB and on the local substitute.
 */

const RACERS = 20;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const KANGDING = { code: '513301', name: '康定市' };

let t: TestApp;
let worker: WorkerHost | undefined;
let liangshan: Organization; // 凉山 recipient federation
let ganzi: Organization; // 甘孜 recipient federation
let employer: Organization; // in 佛山
let reviewer: TestActor; // 佛山 reviewer: reviews 凉山's people
let ganziStaff: TestActor;
let employerUser: TestActor;

beforeAll(async () => {
  t = await startTestApp({
    RATE_LIMIT_PER_MINUTE: '100000',
    LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
    LOGIN_SLOWDOWN_MS: '5',
  });
  liangshan = await makeOrg('recipient_federation', '513400');
  ganzi = await makeOrg('recipient_federation', '513300');
  const foshanFed = await makeOrg('supporting_federation', '440600');
  employer = await makeOrg('employer', '440600', { staffCount: 200 });
  const as = async (org: Organization, roles: Parameters<typeof makeUser>[1]) =>
    signIn(t.config, await makeUser(org, roles), org);
  reviewer = await as(foshanFed, ['reviewer']);
  ganziStaff = await as(ganzi, ['federation_staff']);
  employerUser = await as(employer, ['employer']);
});
afterAll(async () => {
  await worker?.close();
  await t?.close();
});

const race = <T>(fn: (i: number) => Promise<T>) =>
  Promise.all(Array.from({ length: RACERS }, (_, i) => fn(i)));
const post = (a: TestActor, path: string, body: Record<string, unknown> = {}) =>
  request(t.app).post(path).set(bearer(a.token)).send(body);
const get = (a: TestActor, path: string) => request(t.app).get(path).set(bearer(a.token));
const patch = (a: TestActor, path: string, ifMatch: string, body: Record<string, unknown>) =>
  request(t.app).patch(path).set(bearer(a.token)).set('If-Match', ifMatch).send(body);
const statuses = (results: request.Response[]) => results.map((r) => r.status);
const count = (xs: number[], x: number) => xs.filter((v) => v === x).length;

const liangshanProfile = () => makeProfile(t.deps, liangshan, '513401');
const openOpening = (headcount: number) => makeOpening(t.deps, employer, 'open', { headcount });

describe('one winner among 20 racers', () => {
  it('when 20 reviewers approve the same suggestion at once, then exactly one approval applies and 19 get 409', async () => {
    expect.hasAssertions();
    const m = await makeMatch(await liangshanProfile(), await openOpening(5));
    const results = await race(() => post(reviewer, `/api/v1/matches/${m.id}/approve`));
    const codes = statuses(results);
    expect(count(codes, 200), JSON.stringify(codes)).toBe(1);
    expect(count(codes, 409)).toBe(RACERS - 1);
    for (const r of results.filter((x) => x.status === 409)) expect(r.body.currentState).toBe('approved');
    const doc = await mongoose.connection
      .db!.collection('matches')
      .findOne({ _id: new Types.ObjectId(m.id) });
    expect(doc).toMatchObject({ status: 'approved', version: 2 });
    expect((doc!.history as { action: string }[]).filter((h) => h.action === 'approve')).toHaveLength(1);
  });

  it('when 20 PATCHes of a job seeker’s profile carry the same If-Match at once, then exactly one applies and 19 get 412', async () => {
    expect.hasAssertions();
    const profile = await makeProfile(t.deps, ganzi, KANGDING.code);
    const path = `/api/v1/worker-profiles/${profile.id}`;
    const etag = (await get(ganziStaff, path).expect(200)).headers.etag as string;
    const levels = ['primary', 'senior', 'college', 'vocational'];
    const results = await race((i) =>
      patch(ganziStaff, path, etag, { education: levels[i % levels.length] }),
    );
    const codes = statuses(results);
    expect(count(codes, 200), JSON.stringify(codes)).toBe(1);
    expect(count(codes, 412)).toBe(RACERS - 1);
    const winner = results.find((r) => r.status === 200)!;
    const now = await get(ganziStaff, path).expect(200);
    expect(now.body.version).toBe(profile.version + 1);
    expect(now.body.education).toBe(winner.body.education);
  });

  it('when 20 PATCHes of an opening carry the same If-Match at once, then exactly one applies and 19 get 412', async () => {
    expect.hasAssertions();
    const opening = await openOpening(5);
    const path = `/api/v1/openings/${opening.id}`;
    const etag = (await get(employerUser, path).expect(200)).headers.etag as string;
    const results = await race((i) => patch(employerUser, path, etag, { title: `并发岗位 ${i}` }));
    const codes = statuses(results);
    expect(count(codes, 200), JSON.stringify(codes)).toBe(1);
    expect(count(codes, 412)).toBe(RACERS - 1);
    const winner = results.find((r) => r.status === 200)!;
    const now = await get(employerUser, path).expect(200);
    expect(now.body).toMatchObject({ version: opening.version + 1, title: winner.body.title });
  });

  it('when 20 runs of the fairness report publish at once, then exactly one pointer names the winner and only its rows remain', async () => {
    expect.hasAssertions();
    const pointers = () =>
      mongoose.connection.db!.collection('report_runs').countDocuments({ _id: FAIRNESS_REPORT } as never);

    // Runs that began at the same moment: exactly one of them is published.
    const at = new Date(Date.now() - 3600_000);
    const tied = await race((i) =>
      publishFairnessRun({ runId: `tied-${i}`, computedAt: at, durationMs: 1, rows: 0 }),
    );
    expect(tied.filter(Boolean)).toHaveLength(1);
    expect((await currentFairnessRun())!.runId).toBe(`tied-${tied.indexOf(true)}`);
    expect(await pointers()).toBe(1);

    // Runs that began one after another, publishing in any order: the newest is published.
    const runs = Array.from({ length: RACERS }, (_, i) => ({
      runId: `ordered-${i}`,
      computedAt: new Date(at.getTime() + 1000 + i),
      durationMs: 1,
      rows: 0,
    }));
    await Promise.all([...runs].reverse().map((r) => publishFairnessRun(r)));
    expect((await currentFairnessRun())!.runId).toBe(`ordered-${RACERS - 1}`);
    // An older run never replaces it afterwards.
    expect(await publishFairnessRun(runs[0]!)).toBe(false);
    expect(await pointers()).toBe(1);

    // Whole snapshots computed at once over real data: one run's rows are what readers see.
    await makeProfileOf(t.deps, liangshan, '513401', '4', '2');
    await makeProfileOf(t.deps, ganzi, KANGDING.code, '1', '3');
    const outs = await race(() => computeFairnessSnapshot());
    const published = (await currentFairnessRun())!;
    expect(outs.map((o) => o.runId)).toContain(published.runId);
    expect(published.rows).toBeGreaterThan(0);
    expect(await pointers()).toBe(1);
    expect(await countFairnessRows(published.runId)).toBe(published.rows);
    expect(await countFairnessRows()).toBe(published.rows);
    for (const o of outs.filter((x) => x.runId !== published.runId)) {
      expect(o.published && o.runId === published.runId).toBe(false);
      expect(await countFairnessRows(o.runId)).toBe(0);
    }
  }, 120_000);

  it('when 20 hires race on an opening with headcount 3, then exactly 3 placements exist and the opening shows 3 filled', async () => {
    expect.hasAssertions();
    const opening = await openOpening(3);
    const matches: Awaited<ReturnType<typeof makeMatch>>[] = [];
    // Made in the state a hire starts from: the race is what is tested, not the walk there.
    for (let i = 0; i < RACERS; i++)
      matches.push(await makeMatch(await liangshanProfile(), opening, { status: 'interested' }));
    const results = await race((i) =>
      post(employerUser, `/api/v1/matches/${matches[i]!.id}/hire`, {
        contractStart: '2026-03-01',
        contractEnd: '2027-02-28',
        monthlyWage: 4200,
        socialInsurance: true,
      }),
    );
    const codes = statuses(results);
    expect(count(codes, 200), JSON.stringify(codes)).toBe(3);
    expect(count(codes, 409)).toBe(RACERS - 3);
    for (const r of results.filter((x) => x.status === 409)) expect(r.body.code).toBe('headcount_full');
    const db = mongoose.connection.db!;
    // The placements are the hires' consequence jobs, run here as the worker would.
    await runWaitingJobs(t);
    expect(await db.collection('placements').countDocuments({ openingId: opening.id })).toBe(3);
    const o = (await get(employerUser, `/api/v1/openings/${opening.id}`).expect(200)).body;
    expect(o).toMatchObject({ status: 'filled', filled: 3, headcount: 3 });
    const hired = await db
      .collection('matches')
      .countDocuments({ openingId: opening.id, status: { $in: ['hired', 'placed'] } });
    expect(hired).toBe(3);
  }, 300_000);

  it('when 20 places of an opening with headcount 20 are taken at once, then each taker is told a different place, 1 to 20', async () => {
    // What each taker is told comes back with its own write: the substitute once answered the
    // stored document itself, so a later taker's increment showed through an earlier answer.
    const opening = await openOpening(RACERS);
    const taken = await race(() => takePlace(opening.id));
    expect(taken.map((o) => o?.filled).sort((a, b) => a! - b!)).toEqual(
      Array.from({ length: RACERS }, (_, i) => i + 1),
    );
    expect(await takePlace(opening.id)).toBeNull();
  });

  it('when the same spreadsheet is uploaded 20 times at once, then each person is imported exactly once', async () => {
    expect.hasAssertions();
    worker = await startWorkerHost(t.config, t.deps.logger, allProcessors);
    const rows = distinctRosterRows(5, [KANGDING]);
    const file = await rosterXlsx(rows);
    const profilesOf = () =>
      mongoose.connection
        .db!.collection('worker_profiles')
        .countDocuments({ registeringFederationId: ganzi.id, erased: false });
    const before = await profilesOf();
    const uploads = await race(() =>
      request(t.app)
        .post('/api/v1/worker-profiles/imports')
        .set(bearer(ganziStaff.token))
        .set('Content-Type', XLSX)
        .send(file),
    );
    for (const u of uploads) expect(u.status, JSON.stringify(u.body)).toBe(202);
    const done = await Promise.all(
      uploads.map((u) =>
        waitFor(
          `import ${u.body.id} to finish`,
          async () => {
            const res = await get(ganziStaff, `/api/v1/worker-profiles/imports/${u.body.id}`).expect(200);
            return res.body.status === 'completed' || res.body.status === 'failed' ? res.body : undefined;
          },
          240_000,
          250,
        ),
      ),
    );
    for (const d of done) {
      expect(d).toMatchObject({ status: 'completed', rejected: 0 });
      expect(d.imported + d.updated + d.unchanged).toBe(rows.length);
    }
    // Every person created by exactly one of the imports, and registered once.
    expect(done.reduce((n, d) => n + d.imported, 0)).toBe(rows.length);
    expect(await profilesOf()).toBe(before + rows.length);
  }, 300_000);

  it('when 20 wrong passwords for one account arrive at once, then at most LOGIN_MAX_FAILURES are checked and the account locks once', async () => {
    const user = await makeUser(ganzi, ['federation_staff']);
    const results = await race(() =>
      request(t.app)
        .post('/api/v1/auth/login')
        .send({ username: user.username, password: 'Wrong-password-z' }),
    );
    expect(statuses(results).every((s) => s === 401 || s === 423)).toBe(true);
    const audit = mongoose.connection.db!.collection('audit');
    const checked = await audit.countDocuments({
      resourceId: user.id,
      action: 'auth.login',
      reason: 'wrong_password',
    });
    expect(checked).toBeGreaterThan(0);
    expect(checked).toBeLessThanOrEqual(t.config.security.login.maxFailures);
    expect(await audit.countDocuments({ resourceId: user.id, action: 'auth.lockout' })).toBe(1);
    // Locked: the right password is refused too.
    const after = await request(t.app)
      .post('/api/v1/auth/login')
      .send({ username: user.username, password: TEST_PASSWORD });
    expect(after.status).toBe(423);
  });
});
