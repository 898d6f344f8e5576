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
 * Accommodation advice end to end (issue 21): an opening that needs hearing for safety and offers
 * no visual alarms, in a population where some people are deaf or hard of hearing. The advice
 * counts them; adding visual alarms through PATCH changes the advice, and the new suggestions
 * include exactly the people it counted.
 */

let t: TestApp;
let host: WorkerHost;
let liangshan: Organization;
let staff: TestActor;
let reviewer: TestActor;
let employer: TestActor;
let otherEmployer: TestActor;

const XICHANG = '513401';

async function actorOf(org: Organization, role: 'federation_staff' | 'reviewer' | 'employer') {
  return signIn(t.config, await makeUser(org, [role]), org);
}

async function register(over: Record<string, unknown> = {}): Promise<string> {
  const res = await request(t.app)
    .post('/api/v1/worker-profiles')
    .set(bearer(staff.token))
    .send(profileBody(XICHANG, over, makeIdentity({ addressCode: XICHANG })));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}

const adviceOf = (who: TestActor, id: string) =>
  request(t.app).get(`/api/v1/openings/${id}/advice`).set(bearer(who.token));

const itemOf = (body: { items: { code: string }[] }, code: string) =>
  body.items.find((i) => i.code === code) as
    | { gained: { count: number | null; fewerThan: number | null }; text: { zh: string; en: string } }
    | undefined;

beforeAll(async () => {
  t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
  host = await startWorkerHost(t.config, t.deps.logger, allProcessors);
  liangshan = await makeOrg('recipient_federation', '513400');
  staff = await actorOf(liangshan, 'federation_staff');
  reviewer = await actorOf(liangshan, 'reviewer');
  employer = await actorOf(await makeOrg('employer', '440600'), 'employer');
  otherEmployer = await actorOf(await makeOrg('employer', '440600'), 'employer');
});
afterAll(async () => {
  await host?.close();
  await t?.close();
});

describe('when an opening needing hearing for safety offers no visual alarms', () => {
  let openingId: string;
  const deaf: string[] = [];
  const hearing: string[] = [];
  const signers: string[] = [];
  const body = openingBody({
    jobDemands: ['hearing_safety', 'fine_motor'],
    accommodationsOffered: ['seated_workstation', 'accessible_dorm'],
    headcount: 10,
  });

  beforeAll(async () => {
    for (let i = 0; i < 6; i++) hearing.push(await register());
    for (let i = 0; i < 5; i++) deaf.push(await register({ functionalLimitations: ['hearing_deaf'] }));
    for (let i = 0; i < 3; i++)
      deaf.push(await register({ functionalLimitations: ['hearing_hard', 'standing'] }));
    // Deaf and needing a sign-language interpreter: visual alarms alone do not open this job to them.
    for (let i = 0; i < 2; i++)
      signers.push(
        await register({ functionalLimitations: ['hearing_deaf'], accommodationsNeeded: ['sign_language'] }),
      );
    const created = await request(t.app).post('/api/v1/openings').set(bearer(employer.token)).send(body);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    openingId = created.body.id;
    await request(t.app).post(`/api/v1/openings/${openingId}/open`).set(bearer(employer.token)).expect(200);
  });

  it('then the advice counts the people visual alarms would add, and the draft endpoint gives the same answer', async () => {
    const res = await adviceOf(employer, openingId);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.current.eligible).toEqual({ count: 6, fewerThan: null });
    expect(res.body.items[0]).toMatchObject({ kind: 'accommodation', code: 'visual_alarms' });
    expect(itemOf(res.body, 'visual_alarms')?.gained).toEqual({ count: 8, fewerThan: null });
    expect(itemOf(res.body, 'visual_alarms')?.text.zh).toContain('可多匹配 8 人');
    expect(res.body.items[0].costBand).toMatchObject({ per: 'once' });
    expect(res.body.items[0].serves.map((s: { code: string }) => s.code).sort()).toEqual([
      'hearing_deaf',
      'hearing_hard',
    ]);
    expect(itemOf(res.body, 'hearing_safety')?.gained).toEqual({ count: 8, fewerThan: null });
    expect(itemOf(res.body, 'sign_language')?.gained).toEqual({ count: 0, fewerThan: null });
    // The best pair reaches the signers too: 10, chosen greedily from visual alarms.
    expect(res.body.bundles[0].changes.map((c: { code: string }) => c.code)).toEqual([
      'visual_alarms',
      'sign_language',
    ]);
    expect(res.body.bundles[0].gained).toEqual({ count: 10, fewerThan: null });
    // Counts only: no ids anywhere in the answer.
    for (const id of [...deaf, ...hearing, ...signers]) expect(JSON.stringify(res.body)).not.toContain(id);

    const draft = await request(t.app)
      .post('/api/v1/openings/advice')
      .set(bearer(employer.token))
      .send(body)
      .expect(200);
    expect(draft.body.openingId).toBeNull();
    expect(itemOf(draft.body, 'visual_alarms')?.gained).toEqual({ count: 8, fewerThan: null });

    // Reviewers who may read the opening get it too.
    await adviceOf(reviewer, openingId).expect(200);
  });

  it('then another employer asking about it gets 404, audited as denied', async () => {
    await adviceOf(otherEmployer, openingId).expect(404);
    const entries = await mongoose.connection
      .db!.collection('audit')
      .find({ action: 'opening.advice', resourceId: openingId })
      .toArray();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ outcome: 'denied', actorUserId: otherEmployer.user.id });
  });

  it('then adding visual alarms through PATCH changes the advice, and the new suggestions include the people it counted', async () => {
    await waitFor(
      'the first suggestions',
      async () => {
        const res = await request(t.app)
          .get(`/api/v1/openings/${openingId}/matches`)
          .set(bearer(reviewer.token))
          .expect(200);
        return res.body.total === 6 ? true : undefined;
      },
      20_000,
      200,
    );
    const current = await request(t.app)
      .get(`/api/v1/openings/${openingId}`)
      .set(bearer(employer.token))
      .expect(200);
    await request(t.app)
      .patch(`/api/v1/openings/${openingId}`)
      .set(bearer(employer.token))
      .set('If-Match', `W/"${current.body.version}"`)
      .send({ accommodationsOffered: ['seated_workstation', 'accessible_dorm', 'visual_alarms'] })
      .expect(200);

    const after = await adviceOf(employer, openingId).expect(200);
    expect(after.body.current.eligible).toEqual({ count: 14, fewerThan: null });
    expect(itemOf(after.body, 'visual_alarms')).toBeUndefined();
    expect(itemOf(after.body, 'hearing_safety')?.gained).toEqual({ count: 0, fewerThan: null });
    // The two signers remain, below the mask.
    expect(itemOf(after.body, 'sign_language')?.gained).toEqual({ count: null, fewerThan: 5 });

    const suggested = await waitFor(
      'the suggestions after the change',
      async () => {
        const res = await request(t.app)
          .get(`/api/v1/openings/${openingId}/matches`)
          .query({ limit: '50' })
          .set(bearer(reviewer.token))
          .expect(200);
        return res.body.total === 14 ? (res.body.items as { profileId: string }[]) : undefined;
      },
      20_000,
      200,
    );
    const ids = suggested.map((m) => m.profileId);
    expect(ids).toEqual(expect.arrayContaining(deaf));
    expect(ids.filter((id) => !hearing.includes(id)).sort()).toEqual([...deaf].sort());
  });
});

describe('when a federation asks what training would open more places to its job seekers', () => {
  let massageId: string;

  beforeAll(async () => {
    const created = await request(t.app)
      .post('/api/v1/openings')
      .set(bearer(employer.token))
      .send(
        openingBody({
          title: '盲人按摩师',
          skills: [{ code: 'massage', level: '1' }],
          preferredTraining: [],
          jobDemands: [],
          accommodationsOffered: ['seated_workstation', 'accessible_dorm'],
          headcount: 6,
        }),
      );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    massageId = created.body.id;
    await request(t.app).post(`/api/v1/openings/${massageId}/open`).set(bearer(employer.token)).expect(200);
  });

  it('then the massage course unlocks the massage opening’s places for the origin’s people, named by city', async () => {
    const body = await waitFor(
      'the advice to see the new opening',
      async () => {
        const res = await request(t.app)
          .get('/api/v1/advice/training')
          .query({ origin: '513400' })
          .set(bearer(reviewer.token))
          .expect(200);
        const item = res.body.items.find((i: { programme: string }) => i.programme === 'tp_massage');
        return item?.places === 6 ? res.body : undefined;
      },
      20_000,
      200,
    );
    expect(body.items[0]).toMatchObject({
      programme: 'tp_massage',
      places: 6,
      // The 16 registered above hold electronics only; the 2 needing an interpreter cannot take it.
      people: { count: 14, fewerThan: null },
      cities: [{ code: '440600', name: { zh: '佛山市' }, openings: 1, places: 6 }],
    });
    expect(body.items[0].skills.map((s: { code: string }) => s.code)).toEqual(['massage']);
    // They already hold electronics skills: that course unlocks nothing.
    const electronics = body.items.find((i: { programme: string }) => i.programme === 'tp_electronics');
    expect(electronics).toMatchObject({ places: 0, people: { count: 0, fewerThan: null } });
    expect(JSON.stringify(body)).not.toContain(massageId);
  });

  it('then an origin outside the caller’s scope reads as absent, audited as denied', async () => {
    await request(t.app)
      .get('/api/v1/advice/training')
      .query({ origin: '513300' })
      .set(bearer(staff.token))
      .expect(404);
    const entries = await mongoose.connection
      .db!.collection('audit')
      .find({ action: 'training.advice', outcome: 'denied', actorUserId: staff.user.id })
      .toArray();
    expect(entries).toHaveLength(1);
    await request(t.app)
      .get('/api/v1/advice/training')
      .query({ origin: '513401' })
      .set(bearer(staff.token))
      .expect(200);
    await request(t.app)
      .get('/api/v1/advice/training')
      .query({ origin: '513400' })
      .set(bearer(employer.token))
      .expect(403);
  });
});
