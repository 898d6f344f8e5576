import mongoose, { Types } from 'mongoose';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { routeTable } from '../../src/app.js';
import { matchesProcessors } from '../../src/modules/matches/matches.processors.js';
import type { Organization } from '../../src/modules/orgs/orgs.repository.js';
import {
  clearIpFailures,
  IP_MAX_FAILURES,
  LINK_MAX_FAILURES,
} from '../../src/modules/self-service/self-service.service.js';
import type { WorkerProfile } from '../../src/modules/worker-profiles/worker-profiles.service.js';
import { bearer, makeOrg, makeUser, signIn, type TestActor } from '../fixtures/accounts.js';
import { startTestApp, type TestApp } from '../fixtures/app.js';
import { makeMatch } from '../fixtures/matches.js';
import { makeOpening } from '../fixtures/openings.js';
import { makeProfile } from '../fixtures/worker-profiles.js';

/**
 * The job seeker's own page through the API: personal links (issue, open with a second factor,
 * expiry, revocation, attempt limits per link and per address), a person's session that reaches
 * their own data only and no staff route, and the actions taken with it, seen by staff.
 */
let t: TestApp;
let liangshan: Organization;
let ganzi: Organization;
let employer: Organization;
let staff: TestActor; // 凉山 staff
let ganziStaff: TestActor;
let reviewer: TestActor;
let employerUser: TestActor;
let admin: TestActor;

beforeAll(async () => {
  t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '100000', LOGIN_RATE_LIMIT_PER_MINUTE: '100000' });
  liangshan = await makeOrg('recipient_federation', '513400');
  ganzi = await makeOrg('recipient_federation', '513300');
  employer = await makeOrg('employer', '440600');
  const foshan = await makeOrg('supporting_federation', '440600');
  const as = async (org: Organization, roles: Parameters<typeof makeUser>[1]) =>
    signIn(t.config, await makeUser(org, roles), org);
  staff = await as(liangshan, ['federation_staff']);
  ganziStaff = await as(ganzi, ['federation_staff']);
  reviewer = await as(foshan, ['reviewer']);
  employerUser = await as(employer, ['employer']);
  admin = await as(await makeOrg('platform'), ['admin']);
});
afterAll(async () => {
  await t?.close();
});
beforeEach(async () => {
  await clearIpFailures(t.deps, '::ffff:127.0.0.1');
  await clearIpFailures(t.deps, '127.0.0.1');
});

const api = () => request(t.app);
const profileOf = (over: Record<string, unknown> = {}) => makeProfile(t.deps, liangshan, '513401', over);

async function issue(p: WorkerProfile, body: Record<string, unknown> = {}) {
  const res = await api()
    .post(`/api/v1/worker-profiles/${p.id}/access-links`)
    .set(bearer(staff.token))
    .send(body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const token = new URL(res.body.url).hash.replace(/^#t=/, '');
  return { link: res.body, token };
}

const open = (token: string, factor: Record<string, string>) =>
  api()
    .post('/api/v1/me/sessions')
    .send({ token, ...factor });

const last4 = (p: WorkerProfile) => ({ idLast4: p.identity.idNumber.slice(-4) });
const wrong4 = (p: WorkerProfile) => ({
  idLast4: p.identity.idNumber.slice(-4) === '0000' ? '1111' : '0000',
});

async function signInAs(p: WorkerProfile) {
  const { token, link } = await issue(p);
  const res = await open(token, last4(p));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { session: res.body.token as string, link, linkToken: token };
}

describe('personal links', () => {
  it('when staff issue a link, then the URL carries a token shown once, stored only as a hash, valid 14 days, audited', async () => {
    const p = await profileOf();
    const { link, token } = await issue(p);
    expect(link.url).toMatch(/\/me#t=txl_[A-Za-z0-9_-]{43}$/);
    expect(link.state).toBe('active');
    const days = (new Date(link.expiresAt).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(13.9);
    expect(days).toBeLessThanOrEqual(14);
    const stored = await mongoose.connection.db!.collection('access_links').findOne({ profileId: p.id });
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(JSON.stringify(stored)).not.toContain(token.slice(4));
    const listed = await api().get(`/api/v1/worker-profiles/${p.id}/access-links`).set(bearer(staff.token));
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.body)).not.toContain(token);
    expect(listed.body.items.map((l: { id: string }) => l.id)).toEqual([link.id]);
    const audited = await mongoose.connection
      .db!.collection('audit')
      .countDocuments({ action: 'access_link.issue', resourceId: p.id });
    expect(audited).toBe(1);
  });

  it('when staff of another federation, a reviewer or an employer issue a link, then 404 or 403', async () => {
    const p = await profileOf();
    const path = `/api/v1/worker-profiles/${p.id}/access-links`;
    expect((await api().post(path).set(bearer(ganziStaff.token)).send({})).status).toBe(404);
    expect((await api().post(path).set(bearer(reviewer.token)).send({})).status).toBe(403);
    expect((await api().post(path).set(bearer(employerUser.token)).send({})).status).toBe(403);
  });

  it('when the person gives the last 4 of the ID number or the birth date, then a session opens; with neither or a wrong one, not', async () => {
    const p = await profileOf();
    const { token } = await issue(p);
    expect((await open(token, {})).status).toBe(400);
    const bad = await open(token, wrong4(p));
    expect(bad.status).toBe(401);
    expect(bad.body).toMatchObject({ code: 'wrong_second_factor', attemptsLeft: LINK_MAX_FAILURES - 1 });
    const byId = await open(token, last4(p));
    expect(byId.status).toBe(201);
    expect(byId.body.token).toMatch(/^txp_/);
    const byBirth = await open(token, { birthDate: p.birthDate });
    expect(byBirth.status).toBe(201);
    const mins = (new Date(byBirth.body.expiresAt).getTime() - Date.now()) / 60_000;
    expect(mins).toBeLessThanOrEqual(30);
  });

  it('when the link has expired, then it is refused and a session opened before it stops working', async () => {
    const p = await profileOf();
    const { session, link } = await signInAs(p);
    const { token } = await issue(p);
    await mongoose.connection
      .db!.collection('access_links')
      .updateMany({ profileId: p.id }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await open(token, last4(p))).body.code).toBe('link_invalid');
    const res = await api().get('/api/v1/me').set(bearer(session));
    expect(res.status).toBe(401);
    expect(link.id).toBeTruthy();
  });

  it('when staff revoke a link, then it cannot be opened and its sessions end at once', async () => {
    const p = await profileOf();
    const { session, link, linkToken } = await signInAs(p);
    expect((await api().get('/api/v1/me').set(bearer(session))).status).toBe(200);
    const del = await api()
      .delete(`/api/v1/worker-profiles/${p.id}/access-links/${link.id}`)
      .set(bearer(staff.token));
    expect(del.status).toBe(204);
    expect((await api().get('/api/v1/me').set(bearer(session))).status).toBe(401);
    const again = await open(linkToken, last4(p));
    expect(again.status).toBe(401);
    expect(again.body.code).toBe('link_invalid');
    const listed = await api().get(`/api/v1/worker-profiles/${p.id}/access-links`).set(bearer(staff.token));
    expect(listed.body.items[0].state).toBe('revoked');
  });

  it('when the second factor is wrong 5 times, then the link locks a while, even for the right answer', async () => {
    const p = await profileOf();
    const { token } = await issue(p);
    const statuses: number[] = [];
    for (let i = 0; i < LINK_MAX_FAILURES; i++) statuses.push((await open(token, wrong4(p))).status);
    expect(statuses).toEqual([401, 401, 401, 401, 423]);
    const right = await open(token, last4(p));
    expect(right.status).toBe(423);
    expect(right.body.code).toBe('link_locked');
    expect(Number(right.headers['retry-after'])).toBeGreaterThan(60);
    // When the lock has run out, the right answer opens it again.
    await mongoose.connection
      .db!.collection('access_links')
      .updateOne({ profileId: p.id }, { $set: { lockedUntil: new Date(Date.now() - 1000) } });
    expect((await open(token, last4(p))).status).toBe(201);
  });

  it('when one address guesses across many links, then it is refused after the address limit', async () => {
    const people = await Promise.all([1, 2, 3, 4, 5, 6].map(() => profileOf()));
    const tokens = await Promise.all(people.map(async (p) => (await issue(p)).token));
    let guesses = 0;
    for (const [i, token] of tokens.entries())
      for (let k = 0; k < LINK_MAX_FAILURES - 1 && guesses < IP_MAX_FAILURES; k++, guesses++)
        expect((await open(token, wrong4(people[i]!))).status).toBe(401);
    // The next answer — even a right one, on a link with guesses left — is refused.
    const res = await open(tokens[5]!, last4(people[5]!));
    expect(res.status).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    // Unknown tokens count too: they are guesses as well.
    await clearIpFailures(t.deps, '::ffff:127.0.0.1');
    await clearIpFailures(t.deps, '127.0.0.1');
    for (let i = 0; i < IP_MAX_FAILURES; i++)
      expect((await open(`txl_${'A'.repeat(42)}${i % 10}`, { idLast4: '1234' })).status).toBe(401);
    expect((await open(tokens[5]!, last4(people[5]!))).status).toBe(429);
  });

  it('when links are issued and opened, right and wrong, then no token and no second factor reaches the log', async () => {
    const p = await profileOf();
    const { token, linkToken, session } = await (async () => {
      const s = await signInAs(p);
      return { token: s.linkToken, linkToken: s.linkToken, session: s.session };
    })();
    await open(token, wrong4(p));
    await open(token, { birthDate: p.birthDate });
    await api().get('/api/v1/me').set(bearer(session));
    const logs = t.logs.lines.join('\n');
    expect(logs).not.toContain(linkToken.slice(4));
    expect(logs).not.toContain(session.slice(4));
    expect(logs).not.toContain(p.identity.idNumber);
    const audits = await mongoose.connection.db!.collection('audit').find({}).toArray();
    expect(JSON.stringify(audits)).not.toContain(linkToken.slice(4));
    expect(JSON.stringify(audits)).not.toContain(session.slice(4));
  });
});

describe('the person’s session', () => {
  it('when a person’s session calls any staff route, then 401', async () => {
    expect.hasAssertions();
    const p = await profileOf();
    const { session } = await signInAs(p);
    const staffRoutes = routeTable(t.deps).filter((r) => !('public' in r.access));
    expect(staffRoutes.length).toBeGreaterThan(50);
    for (const r of staffRoutes) {
      const path = r.path.replace(/:([A-Za-z]+)/g, p.id);
      const res = await api()[r.method](path).set(bearer(session)).send({});
      expect(res.status, `${r.method} ${r.path}`).toBe(401);
    }
  });

  it('when a staff session calls the person’s routes, then 401', async () => {
    expect.hasAssertions();
    const personRoutes = routeTable(t.deps).filter(
      (r) => r.path.startsWith('/api/v1/me') && r.operationId !== 'openPersonSession',
    );
    expect(personRoutes.length).toBeGreaterThanOrEqual(7);
    for (const token of [staff.token, admin.token]) {
      for (const r of personRoutes) {
        const path = r.path.replace(/:([A-Za-z]+)/g, new Types.ObjectId().toHexString());
        const res = await api()[r.method](path).set(bearer(token)).send({ actedBy: 'self' });
        expect(res.status, `${r.method} ${r.path}`).toBe(401);
      }
    }
  });

  it('when a person names another person’s consent or match, then it is not found and nothing changes', async () => {
    const me = await profileOf();
    const other = await profileOf();
    const { session } = await signInAs(me);
    const opening = await makeOpening(t.deps, employer, 'open');
    const theirs = await makeMatch(other, opening, { status: 'approved' });
    const consents = await api().get(`/api/v1/worker-profiles/${other.id}/consents`).set(bearer(staff.token));
    const theirConsent = consents.body.items[0].id;
    const w = await api().post(`/api/v1/me/consents/${theirConsent}/withdraw`).set(bearer(session)).send({});
    expect(w.status).toBe(404);
    const a = await api()
      .post(`/api/v1/me/proposals/${theirs.id}/answer`)
      .set(bearer(session))
      .send({ answer: 'want' });
    expect(a.status).toBe(404);
    const s = await api()
      .post(`/api/v1/me/proposals/${theirs.id}/share-consent`)
      .set(bearer(session))
      .send({});
    expect(s.status).toBe(404);
    const after = await api().get(`/api/v1/worker-profiles/${other.id}/consents`).set(bearer(staff.token));
    expect(after.body.items.every((c: { active: boolean }) => c.active)).toBe(true);
    expect(after.body.items).toHaveLength(1);
    const page = await api().get('/api/v1/me').set(bearer(session));
    expect(JSON.stringify(page.body)).not.toContain(other.identity.name);
    expect(page.body.proposals).toEqual([]);
  });

  it('when the person reads their page, then it shows their own name, masked numbers, skills, preferences and consents in words', async () => {
    const p = await profileOf();
    const { session } = await signInAs(p);
    const res = await api().get('/api/v1/me').set(bearer(session));
    expect(res.status).toBe(200);
    expect(res.body.me.name).toBe(p.identity.name);
    expect(res.body.me.idNumber).not.toBe(p.identity.idNumber);
    expect(JSON.stringify(res.body)).not.toContain(p.identity.idNumber);
    expect(res.body.me.skills[0]).toMatchObject({ code: 'electronic_assembly' });
    expect(res.body.me.decidesWith).toBe('self');
    expect(res.body.consents[0]).toMatchObject({ purpose: 'sensitive_processing', active: true });
    expect(res.body.consents[0].words).toContain('残联');
  });
});

describe('what the person does', () => {
  it('when the person withdraws their processing consent, then it takes effect as when staff record it: the person leaves matching', async () => {
    const p = await profileOf();
    const { session } = await signInAs(p);
    const page = (await api().get('/api/v1/me').set(bearer(session))).body;
    const res = await api()
      .post(`/api/v1/me/consents/${page.consents[0].id}/withdraw`)
      .set(bearer(session))
      .send({});
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const profile = (await api().get(`/api/v1/worker-profiles/${p.id}`).set(bearer(staff.token))).body;
    expect(profile.consent.processing).toBe(false);
    expect(profile.matching.eligible).toBe(false);
    const consents = (await api().get(`/api/v1/worker-profiles/${p.id}/consents`).set(bearer(staff.token)))
      .body;
    expect(consents.items[0]).toMatchObject({ active: false, withdrawalReason: 'person_request' });
    const history = await api()
      .get(`/api/v1/worker-profiles/${p.id}/self-service-actions`)
      .set(bearer(staff.token));
    expect(history.body.items.map((a: { kind: string }) => a.kind)).toContain('consent_withdrawn');
    const again = await api()
      .post(`/api/v1/me/consents/${page.consents[0].id}/withdraw`)
      .set(bearer(session))
      .send({});
    expect(again.status).toBe(409);
  });

  it('when the person says 我想去 and grants share consent, then staff can propose and the employer sees the name', async () => {
    const p = await profileOf();
    const { session } = await signInAs(p);
    const opening = await makeOpening(t.deps, employer, 'open');
    const suggested = await makeMatch(p, opening);
    // A mere suggestion is not shown to the person.
    expect((await api().get('/api/v1/me').set(bearer(session))).body.proposals).toEqual([]);
    const approve = await api()
      .post(`/api/v1/matches/${suggested.id}/approve`)
      .set(bearer(reviewer.token))
      .send({});
    expect(approve.status, JSON.stringify(approve.body)).toBe(200);
    const page = (await api().get('/api/v1/me').set(bearer(session))).body;
    expect(page.proposals).toHaveLength(1);
    expect(page.proposals[0]).toMatchObject({
      matchId: suggested.id,
      employerName: employer.name,
      shared: false,
    });

    const want = await api()
      .post(`/api/v1/me/proposals/${suggested.id}/answer`)
      .set(bearer(session))
      .send({ answer: 'want' });
    expect(want.status, JSON.stringify(want.body)).toBe(201);
    const share = await api()
      .post(`/api/v1/me/proposals/${suggested.id}/share-consent`)
      .set(bearer(session))
      .send({});
    expect(share.status, JSON.stringify(share.body)).toBe(201);
    const after = (await api().get('/api/v1/me').set(bearer(session))).body;
    expect(after.proposals[0]).toMatchObject({ myAnswer: 'want', shared: true });

    const propose = await api()
      .post(`/api/v1/matches/${suggested.id}/propose`)
      .set(bearer(reviewer.token))
      .send({});
    expect(propose.status, JSON.stringify(propose.body)).toBe(200);
    const seen = await api()
      .get(`/api/v1/employer/proposals/${suggested.id}`)
      .set(bearer(employerUser.token));
    expect(seen.status).toBe(200);
    expect(seen.body.identityStatus).toBe('shared');
    expect(seen.body.identity.name).toBe(p.identity.name);

    const consents = (await api().get(`/api/v1/worker-profiles/${p.id}/consents`).set(bearer(staff.token)))
      .body;
    expect(
      consents.items.find((c: { purpose: string }) => c.purpose === 'share_with_employer'),
    ).toMatchObject({
      channel: 'self',
      givenBy: 'self',
      employerId: employer.id,
      openingId: opening.id,
    });
    const history = (
      await api().get(`/api/v1/worker-profiles/${p.id}/self-service-actions`).set(bearer(staff.token))
    ).body;
    expect(history.items.map((a: { kind: string }) => a.kind)).toEqual(['share_consent', 'proposal_answer']);
    const audit = await mongoose.connection
      .db!.collection('audit')
      .find({ resourceId: p.id, action: { $regex: '^self_service' } })
      .toArray();
    expect(audit.map((a) => a.action).sort()).toEqual([
      'self_service.proposal_answer',
      'self_service.share_consent',
    ]);
    expect(audit[0]!.actorRoles).toEqual(['job_seeker']);
  });

  it('when the person asks for help or says something is wrong, then the federation staff get a notification', async () => {
    const p = await profileOf();
    const { session } = await signInAs(p);
    expect((await api().post('/api/v1/me/help').set(bearer(session)).send({ topic: 'work' })).status).toBe(
      201,
    );
    expect(
      (await api().post('/api/v1/me/corrections').set(bearer(session)).send({ topic: 'skills' })).status,
    ).toBe(201);
    const inbox = await mongoose.connection
      .db!.collection('notifications')
      .find({ userId: new Types.ObjectId(staff.user.id) })
      .toArray();
    const types = inbox
      .filter((n) => (n.data as { profileId?: string }).profileId === p.id)
      .map((n) => n.type);
    expect(types.sort()).toEqual(['person.correction_requested', 'person.help_requested']);
    const listed = await api().get('/api/v1/notifications').set(bearer(staff.token));
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.body)).not.toContain(p.identity.name);
  });

  it('when decisions are taken with a supporter, then the page says so and the actions record who acted', async () => {
    const p = await profileOf({
      guardian: { relation: 'supporter', name: '李支持' },
      processingConsent: {
        textVersion: 'pi-2024.1',
        channel: 'paper_form',
        givenBy: 'supporter',
        representative: { relation: 'supporter', name: '李支持' },
      },
    });
    const { session } = await signInAs(p);
    const page = (await api().get('/api/v1/me').set(bearer(session))).body;
    expect(page.me.decidesWith).toBe('supporter');
    const res = await api().post('/api/v1/me/help').set(bearer(session)).send({ actedBy: 'supporter' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const history = (
      await api().get(`/api/v1/worker-profiles/${p.id}/self-service-actions`).set(bearer(admin.token))
    ).body;
    expect(history.items[0]).toMatchObject({ kind: 'help_requested', actedBy: 'supporter' });
    // Without a guardian or supporter on record, nobody may say they act as one.
    const alone = await profileOf();
    const s2 = (await signInAs(alone)).session;
    const refused = await api().post('/api/v1/me/help').set(bearer(s2)).send({ actedBy: 'guardian' });
    expect(refused.status).toBe(400);
  });

  it('when the review worker reads the withdrawn consent, then the person’s approved match is withdrawn', async () => {
    const p = await profileOf();
    const { session } = await signInAs(p);
    const opening = await makeOpening(t.deps, employer, 'open');
    const m = await makeMatch(p, opening, { status: 'approved' });
    const page = (await api().get('/api/v1/me').set(bearer(session))).body;
    await api().post(`/api/v1/me/consents/${page.consents[0].id}/withdraw`).set(bearer(session)).send({});
    const processors = matchesProcessors({
      config: t.config,
      logger: t.deps.logger,
      queues: t.runtime.queues,
      workerId: 'test',
      redis: t.runtime.redis,
    });
    const job = processors.find((x) => x.job === 'review.profile-changed')!;
    const version = (await mongoose.connection
      .db!.collection('worker_profiles')
      .findOne({ _id: new Types.ObjectId(p.id) }))!.version;
    await (job.process as (x: unknown, j: unknown) => Promise<unknown>)(
      { id: p.id, version, kind: 'consent' },
      {},
    );
    const match = await mongoose.connection
      .db!.collection('matches')
      .findOne({ _id: new Types.ObjectId(m.id) });
    expect(match!.status).toBe('withdrawn');
  });
});
