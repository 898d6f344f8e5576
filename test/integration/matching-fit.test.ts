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
 * The fit of any pair (`GET /worker-profiles/:id/fit?openingId=`): why a person was or was not
 * suggested for an opening, with every hard constraint that fails, read under the same scope as
 * the profile and the opening, and audited either way.
 */

let t: TestApp;
let host: WorkerHost;
let liangshan: Organization;
let staff: TestActor;
let reviewer: TestActor;
let ganziStaff: TestActor;
let employer: TestActor;
let openingId: string;
let suggested: string;
let excluded: string;

const XICHANG = '513401';

async function actorOf(org: Organization, role: 'federation_staff' | 'reviewer' | 'employer') {
  return signIn(t.config, await makeUser(org, [role]), org);
}

async function register(over: Record<string, unknown> = {}, birthDate?: string): Promise<string> {
  const res = await request(t.app)
    .post('/api/v1/worker-profiles')
    .set(bearer(staff.token))
    .send(
      profileBody(XICHANG, over, makeIdentity({ addressCode: XICHANG, ...(birthDate ? { birthDate } : {}) })),
    );
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}

const fitOf = (who: TestActor, profileId: string, opening: string) =>
  request(t.app)
    .get(`/api/v1/worker-profiles/${profileId}/fit`)
    .query({ openingId: opening })
    .set(bearer(who.token));

const auditOf = (resourceId: string) =>
  mongoose.connection
    .db!.collection('audit')
    .find({ action: 'worker_profile.fit', resourceId })
    .sort({ _id: 1 })
    .toArray();

beforeAll(async () => {
  t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
  host = await startWorkerHost(t.config, t.deps.logger, allProcessors);
  liangshan = await makeOrg('recipient_federation', '513400');
  staff = await actorOf(liangshan, 'federation_staff');
  reviewer = await actorOf(liangshan, 'reviewer');
  ganziStaff = await actorOf(await makeOrg('recipient_federation', '513300'), 'federation_staff');
  employer = await actorOf(await makeOrg('employer', '440600'), 'employer');

  suggested = await register({ skills: [{ code: 'electronic_assembly', level: '2' }] });
  // Wants 温州 only, and more than the opening's maximum: two hard constraints fail.
  excluded = await register({
    preferences: {
      destinationCodes: ['330300'],
      minimumWage: 9000,
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
afterAll(async () => {
  await host?.close();
  await t?.close();
});

describe('when staff ask how a person and an opening fit', () => {
  it('then a pair excluded for two reasons lists both failures, in both languages, and the chart marks both rows', async () => {
    const res = await fitOf(staff, excluded, openingId);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      profileId: excluded,
      openingId,
      matchId: null,
      status: null,
      eligible: false,
      score: 0,
    });
    expect(res.body.failures.map((f: { code: string }) => f.code)).toEqual([
      'destination_not_acceptable',
      'wage_expectation_above_max',
    ]);
    for (const f of res.body.failures) {
      expect(f.kind).toBe('exclusion');
      expect(f.zh.length).toBeGreaterThan(0);
      expect(f.en.length).toBeGreaterThan(0);
    }
    const unmet = res.body.rows.filter((r: { hard: boolean; met: boolean }) => r.hard && r.met === false);
    expect(unmet.map((r: { key: string }) => r.key)).toEqual(['destination', 'wage']);
    expect(res.body.components.map((c: { key: string }) => c.key)).toContain('skills');
    // Audited naming the person asked about.
    expect(await auditOf(excluded)).toEqual([expect.objectContaining({ outcome: 'success' })]);
  });

  it('then a suggested pair returns the same chart and components as its stored match’s explanation', async () => {
    const matchId = await waitFor(
      'the suggestion',
      async () => {
        const res = await request(t.app)
          .get(`/api/v1/worker-profiles/${suggested}/matches`)
          .set(bearer(staff.token))
          .expect(200);
        return res.body.items.find((m: { openingId: string }) => m.openingId === openingId)?.id as
          | string
          | undefined;
      },
      20_000,
      200,
    );
    const chart = await request(t.app)
      .get(`/api/v1/matches/${matchId}/explanation`)
      .set(bearer(reviewer.token))
      .expect(200);
    const fit = await fitOf(reviewer, suggested, openingId).expect(200);
    expect(fit.body).toEqual({ ...chart.body, failures: [] });
    expect(fit.body).toMatchObject({ matchId, status: 'suggested', eligible: true });
  });

  it('then a caller out of scope gets 404 and a denied audit entry, an employer 403, a malformed id 400', async () => {
    const before = (await auditOf(suggested)).length;
    const res = await fitOf(ganziStaff, suggested, openingId);
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    // Unknown and out of scope read the same.
    const unknown = await fitOf(staff, new mongoose.Types.ObjectId().toHexString(), openingId).expect(404);
    expect(unknown.body.type).toBe(res.body.type);
    const entries = await auditOf(suggested);
    expect(entries).toHaveLength(before + 1);
    expect(entries.at(-1)).toMatchObject({
      outcome: 'denied',
      resourceType: 'worker_profile',
      actorUserId: ganziStaff.user.id,
    });
    // An opening out of scope (not existing here) is refused the same way, naming the person.
    await fitOf(staff, suggested, new mongoose.Types.ObjectId().toHexString()).expect(404);
    expect((await auditOf(suggested)).at(-1)).toMatchObject({
      outcome: 'denied',
      reason: 'opening_not_found',
    });

    await fitOf(employer, suggested, openingId).expect(403);
    const bad = await fitOf(staff, suggested, 'not-an-id').expect(400);
    expect(bad.headers['content-type']).toMatch(/application\/problem\+json/);
    await request(t.app).get(`/api/v1/worker-profiles/${suggested}/fit`).set(bearer(staff.token)).expect(400);
  });
});
