import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaDay } from '../../src/lib/china-time.js';
import { insertDeliveries, updateDelivery } from '../../src/modules/notifications/deliveries.repository.js';
import { newObjectId } from '../../src/modules/notifications/webhooks.repository.js';
import type { Opening } from '../../src/modules/openings/openings.service.js';
import type { Organization } from '../../src/modules/orgs/orgs.repository.js';
import { addDays } from '../../src/modules/placements/follow-ups.js';
import type { WorkItem } from '../../src/modules/work/work.schemas.js';
import { updateImport } from '../../src/modules/worker-profiles/imports.repository.js';
import { createImport } from '../../src/modules/worker-profiles/imports.service.js';
import type { WorkerProfile } from '../../src/modules/worker-profiles/worker-profiles.service.js';
import { bearer, makeOrg, makeUser, signIn, type TestActor } from '../fixtures/accounts.js';
import { startTestApp, type TestApp } from '../fixtures/app.js';
import { placementOfHire } from '../fixtures/jobs.js';
import { makeMatch, shareConsent } from '../fixtures/matches.js';
import { makeOpening } from '../fixtures/openings.js';
import { rosterCsv, rosterRow } from '../fixtures/rosters.js';
import { makeProfile, staffActor } from '../fixtures/worker-profiles.js';

/**
 * GET /api/v1/work: each role's to-do counts, each in the scope of the list it links to. Every
 * count below has a twin outside the caller's scope (甘孜 for 凉山's staff and 佛山's reviewer,
 * another employer for the employer) that must not be counted.
 */
let t: TestApp;
let liangshan: Organization;
let ganzi: Organization;
let employer: Organization;
let otherEmployer: Organization;
let reviewer: TestActor; // 佛山: its partnership covers 凉山, not 甘孜
let fedStaff: TestActor; // 凉山
let ganziStaff: TestActor;
let employerUser: TestActor;
let otherEmployerUser: TestActor;
let admin: TestActor;
const DAY = 86_400_000;
const oldest = new Date(Date.now() - 3 * DAY);

const post = (a: TestActor, path: string, body: Record<string, unknown> = {}) =>
  request(t.app).post(path).set(bearer(a.token)).send(body);

async function ok(res: request.Test | request.Response, status = 200) {
  const r = await res;
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  return r.body;
}

async function workOf(a: TestActor): Promise<Map<string, WorkItem>> {
  const body = await ok(request(t.app).get('/api/v1/work').set(bearer(a.token)));
  return new Map((body.items as WorkItem[]).map((i) => [i.code, i]));
}

/** Suggestion → approved → proposed (with share consent), as reviewer and staff do it. */
async function propose(fed: Organization, rev: TestActor, profile: WorkerProfile, opening: Opening) {
  const m = await makeMatch(profile, opening);
  await ok(post(rev, `/api/v1/matches/${m.id}/approve`));
  await shareConsent(t.deps, fed, profile, opening);
  await ok(post(rev, `/api/v1/matches/${m.id}/propose`));
  return m;
}

/** A placement whose contract started on `start`: its checkpoints fall due from a week later. */
async function place(
  fed: Organization,
  rev: TestActor,
  emp: TestActor,
  profile: WorkerProfile,
  opening: Opening,
  start: string,
) {
  const m = await propose(fed, rev, profile, opening);
  await ok(post(emp, `/api/v1/matches/${m.id}/interested`));
  await ok(
    post(emp, `/api/v1/matches/${m.id}/hire`, {
      contractStart: start,
      contractEnd: addDays(start, 400),
      monthlyWage: 4200,
      socialInsurance: true,
    }),
  );
  await placementOfHire(t, m.id);
}

async function importWithRejections(org: Organization, status: 'completed' | 'failed', rejected: number) {
  const record = await createImport(
    t.deps,
    staffActor(org),
    Buffer.from(rosterCsv([rosterRow({ code: org.jurisdictionCode!, name: '某县' })])),
  );
  await updateImport(record.id, { status, rejected, finishedAt: new Date() });
  return record.id;
}

async function failedDelivery() {
  const [d] = await insertDeliveries(
    [
      {
        id: newObjectId(),
        key: `work/${newObjectId()}`,
        channel: 'webhook',
        type: 'system.test',
        data: {},
        organizationId: employer.id,
        notificationId: null,
        userId: null,
        webhookId: newObjectId(),
      },
    ],
    new Date(),
  );
  await updateDelivery(d!.id, { state: 'failed', lastError: 'http status 410' });
}

let latestImport: string;

beforeAll(async () => {
  t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
  liangshan = await makeOrg('recipient_federation', '513400');
  ganzi = await makeOrg('recipient_federation', '513300');
  const foshanFed = await makeOrg('supporting_federation', '440600');
  employer = await makeOrg('employer', '440600');
  otherEmployer = await makeOrg('employer', '440600');
  const as = async (org: Organization, roles: Parameters<typeof makeUser>[1]) =>
    signIn(t.config, await makeUser(org, roles), org);
  reviewer = await as(foshanFed, ['reviewer']);
  const ganziReviewer = await as(ganzi, ['reviewer']);
  fedStaff = await as(liangshan, ['federation_staff']);
  ganziStaff = await as(ganzi, ['federation_staff']);
  employerUser = await as(employer, ['employer']);
  otherEmployerUser = await as(otherEmployer, ['employer']);
  admin = await as(await makeOrg('platform'), ['admin']);

  const ls = (over: Record<string, unknown> = {}) => makeProfile(t.deps, liangshan, '513401', over);
  const gz = (over: Record<string, unknown> = {}) => makeProfile(t.deps, ganzi, '513301', over);
  const wide = await makeOpening(t.deps, employer, 'open', { headcount: 9 });
  const lastPlaces = await makeOpening(t.deps, employer, 'open', { headcount: 2 });
  await makeOpening(t.deps, employer, 'open', { headcount: 1 });
  const foreignOpening = await makeOpening(t.deps, otherEmployer, 'open', { headcount: 3 });

  // Reviewer: two suggestions of 凉山 (the older three days old); 甘孜's, older still, is not theirs.
  await makeMatch(await ls(), wide, { suggestedAt: oldest });
  await makeMatch(await ls(), wide);
  await makeMatch(await gz(), wide, { suggestedAt: new Date(Date.now() - 20 * DAY) });

  // Employer: one proposal waiting for its answer; the other employer's is not its.
  await propose(liangshan, reviewer, await ls(), wide);
  await propose(ganzi, ganziReviewer, await gz(), foreignOpening);

  // Staff: one placement a week old (7-day visit due today), one from January (four overdue);
  // 甘孜's placement is 甘孜's. The January hire takes one of `lastPlaces`' two places.
  const today = chinaDay(new Date());
  await place(liangshan, reviewer, employerUser, await ls(), wide, addDays(today, -7));
  await place(liangshan, reviewer, employerUser, await ls(), lastPlaces, '2026-01-05');
  await place(ganzi, ganziReviewer, otherEmployerUser, await gz(), foreignOpening, '2026-01-05');

  // Consents: two of 凉山's people have none (one is inactive: not counted); 甘孜 has one.
  await ls({ processingConsent: undefined });
  const inactive = await ls({ processingConsent: undefined });
  await ok(
    post(fedStaff, `/api/v1/worker-profiles/${inactive.id}/status`, {
      action: 'deactivate',
      reason: 'studying',
    }),
  );
  await gz({ processingConsent: undefined });

  // Imports: 凉山 has one with rejected rows and one that failed; one clean; 甘孜's failed.
  await importWithRejections(liangshan, 'completed', 2);
  await importWithRejections(liangshan, 'completed', 0);
  latestImport = await importWithRejections(liangshan, 'failed', 0);
  await importWithRejections(ganzi, 'failed', 0);

  await failedDelivery();
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('GET /api/v1/work', () => {
  it('when a reviewer asks, then the suggestions of their partnership scope are counted, with the oldest, linking oldest first', async () => {
    const items = await workOf(reviewer);
    expect([...items.keys()]).toEqual(['review_waiting']);
    const waiting = items.get('review_waiting')!;
    expect(waiting).toMatchObject({ role: 'reviewer', count: 2, path: '/review?sort=suggestedAt' });
    expect(waiting.oldestAt).toBe(oldest.toISOString());
  });

  it('when the review queue is sorted by suggestedAt, then the oldest suggestion comes first', async () => {
    const page = await ok(
      request(t.app).get('/api/v1/review/queue').set(bearer(reviewer.token)).query({ sort: 'suggestedAt' }),
    );
    expect(page.items.map((m: { suggestedAt: string }) => m.suggestedAt)[0]).toBe(oldest.toISOString());
  });

  it('when 凉山 staff ask, then follow-ups, consents and imports of 凉山 only are counted', async () => {
    const items = await workOf(fedStaff);
    const counts = Object.fromEntries([...items].map(([code, i]) => [code, i.count]));
    expect(counts).toEqual({
      follow_ups_overdue: 4,
      follow_ups_due: 1,
      consents_to_record: 1,
      imports_attention: 2,
    });
    expect(items.get('follow_ups_due')!.path).toBe('/follow-ups');
    expect(items.get('imports_attention')!.path).toBe(`/profiles/import?id=${latestImport}`);
  });

  it('when the follow-up list is read, then it holds as many open checkpoints as the counts say', async () => {
    const list = await ok(request(t.app).get('/api/v1/follow-ups').set(bearer(fedStaff.token)));
    expect(list.items).toHaveLength(5);
  });

  it('when the consent link’s list is read, then it holds the people the count says, none of 甘孜', async () => {
    const page = await ok(
      request(t.app).get('/api/v1/worker-profiles').set(bearer(fedStaff.token)).query({ consent: 'missing' }),
    );
    expect(page.total).toBe(1);
    expect(page.items.map((p: { originCode: string; status: string }) => [p.originCode, p.status])).toEqual([
      ['513401', 'available'],
    ]);
    expect((await workOf(fedStaff)).get('consents_to_record')!.path).toBe('/profiles?consent=missing');
  });

  it('when 甘孜 staff ask, then they get their own counts, none of 凉山', async () => {
    const items = await workOf(ganziStaff);
    expect(items.get('follow_ups_overdue')!.count).toBe(4);
    expect(items.get('consents_to_record')!.count).toBe(1);
    expect(items.get('imports_attention')!.count).toBe(1);
  });

  it('when an employer asks, then its own proposals and nearly filled openings are counted', async () => {
    const items = await workOf(employerUser);
    expect(Object.fromEntries([...items].map(([code, i]) => [code, [i.count, i.path]]))).toEqual({
      proposals_awaiting: [1, '/proposals?status=proposed'],
      openings_nearly_filled: [2, '/openings?status=open'],
    });
  });

  it('when the other employer asks, then only its own proposal is counted, none of the first employer’s items', async () => {
    const items = await workOf(otherEmployerUser);
    expect(items.get('proposals_awaiting')!.count).toBe(1);
    expect(items.get('openings_nearly_filled')!.count).toBe(0);
  });

  it('when an admin asks, then every partnership’s waiting suggestions, failed deliveries and the queues’ failed and waiting jobs are counted', async () => {
    const items = await workOf(admin);
    const reviewerWaiting = (await workOf(reviewer)).get('review_waiting')!.count;
    expect(reviewerWaiting).toBeGreaterThan(0);
    expect(items.get('review_waiting')!.count).toBeGreaterThan(reviewerWaiting);
    expect(items.get('deliveries_failed')!.count).toBe(1);
    const waiting = items.get('queue_jobs_waiting')!;
    let expected = 0;
    for (const queue of Object.values(t.runtime.queues)) {
      const c = await queue.getJobCounts('waiting', 'prioritized');
      expected += (c.waiting ?? 0) + (c.prioritized ?? 0);
    }
    expect(expected).toBeGreaterThan(0);
    expect(waiting.count).toBe(expected);
    expect(waiting.queues!.reduce((n, q) => n + q.count, 0)).toBe(expected);
    expect(items.get('queue_jobs_failed')!.path).toBe('/admin/queue-dashboard');
  });

  it('when nobody is signed in, then 401', async () => {
    expect((await request(t.app).get('/api/v1/work')).status).toBe(401);
  });
});
