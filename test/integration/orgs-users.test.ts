import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Organization } from '../../src/modules/orgs/orgs.repository.js';
import { bearer, makeCreditCode, makeOrg, makeUser, signIn, type TestActor } from '../fixtures/accounts.js';
import { startTestApp, type TestApp } from '../fixtures/app.js';

let t: TestApp;
let admin: TestActor;
let foshanEmployer: TestActor;
let otherEmployer: Organization;

beforeAll(async () => {
  t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '5000' });
  const platform = await makeOrg('platform');
  admin = await signIn(t.config, await makeUser(platform, ['admin']), platform);
  const foshan = await makeOrg('employer', '440600');
  foshanEmployer = await signIn(t.config, await makeUser(foshan, ['employer']), foshan);
  otherEmployer = await makeOrg('employer', '440600');
});
afterAll(async () => {
  await t?.close();
});

const employerBody = (over: Record<string, unknown> = {}) => ({
  type: 'employer',
  name: '佛山示例包装有限公司',
  creditCode: makeCreditCode('440600'),
  locationCode: '440600',
  industryCode: 'C22',
  staffCount: 120,
  ...over,
});

const post = (path: string, body: unknown, who = admin) =>
  request(t.app)
    .post(path)
    .set(bearer(who.token))
    .send(body as object);

async function auditOf(resourceId: string) {
  const res = await request(t.app)
    .get('/api/v1/audit')
    .query({ resourceId })
    .set(bearer(admin.token))
    .expect(200);
  return res.body.items as { action: string; fields: string[] }[];
}

describe('organisations', () => {
  it('when an admin creates an employer, then 201 with ETag and an audit entry naming fields, not values', async () => {
    const body = employerBody();
    const res = await post('/api/v1/organizations', body).expect(201);
    expect(res.headers.etag).toBe('W/"1"');
    expect(res.headers.location).toBe(`/api/v1/organizations/${res.body.id}`);
    expect(res.body).toMatchObject({
      type: 'employer',
      creditCode: body.creditCode,
      staffCount: 120,
      version: 1,
    });
    const [entry] = await auditOf(res.body.id);
    expect(entry).toMatchObject({ action: 'organization.create' });
    expect(entry!.fields).toEqual(expect.arrayContaining(['name', 'creditCode', 'locationCode']));
    expect(JSON.stringify(entry)).not.toContain(body.creditCode);
    expect(JSON.stringify(entry)).not.toContain('佛山示例');
  });

  it.each([
    ['a wrong check character', '91440600MA4W0000XA'],
    ['a forbidden letter O', '91440600MA4W0O001X'],
    ['a short code', '9144060012'],
  ])('when the credit code has %s, then 400 naming body.creditCode', async (_why, creditCode) => {
    const res = await post('/api/v1/organizations', employerBody({ creditCode })).expect(400);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(res.body.code).toBe('validation_failed');
    expect(res.body.issues.map((i: { path: string }) => i.path)).toEqual(['body.creditCode']);
  });

  it('when an employer is located outside 广东/浙江, then 400 naming body.locationCode', async () => {
    const res = await post('/api/v1/organizations', employerBody({ locationCode: '510100' })).expect(400);
    expect(res.body.issues.map((i: { path: string }) => i.path)).toEqual(['body.locationCode']);
  });

  it('when a recipient federation is not in 四川, or a supporting one not in 浙江/广东, then 400 naming jurisdictionCode', async () => {
    const a = await post('/api/v1/organizations', {
      type: 'recipient_federation',
      name: '错误的残联',
      jurisdictionCode: '440600',
    }).expect(400);
    expect(a.body.issues[0].path).toBe('body.jurisdictionCode');
    const b = await post('/api/v1/organizations', {
      type: 'supporting_federation',
      name: '错误的残联',
      jurisdictionCode: '513400',
    }).expect(400);
    expect(b.body.issues[0].path).toBe('body.jurisdictionCode');
  });

  it('when the credit code is already registered, then 409 duplicate', async () => {
    const body = employerBody();
    await post('/api/v1/organizations', body).expect(201);
    const res = await post('/api/v1/organizations', { ...body, name: '另一个名字' }).expect(409);
    expect(res.body.code).toBe('duplicate');
  });

  it('when an employer reads another employer, then 404 (not 403); its own, then 200', async () => {
    const res = await request(t.app)
      .get(`/api/v1/organizations/${otherEmployer.id}`)
      .set(bearer(foshanEmployer.token))
      .expect(404);
    expect(res.body.code).toBe('not_found');
    await request(t.app)
      .get(`/api/v1/organizations/${foshanEmployer.org.id}`)
      .set(bearer(foshanEmployer.token))
      .expect(200);
    const list = await request(t.app)
      .get('/api/v1/organizations')
      .set(bearer(foshanEmployer.token))
      .expect(200);
    expect(list.body.items.map((o: { id: string }) => o.id)).toEqual([foshanEmployer.org.id]);
  });

  it('when a query key is repeated, then 400: an array can never stand in for a string', async () => {
    const res = await request(t.app)
      .get('/api/v1/organizations?type=employer&type=platform')
      .set(bearer(admin.token))
      .expect(400);
    expect(res.body.issues[0].path).toBe('query.type');
    await request(t.app).get('/api/v1/organizations?limit=1&limit=200').set(bearer(admin.token)).expect(400);
  });

  it('when an admin pages through organisations, then every one appears once', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const res = await request(t.app)
        .get('/api/v1/organizations')
        .query({ limit: '2', ...(cursor ? { cursor } : {}) })
        .set(bearer(admin.token))
        .expect(200);
      seen.push(...res.body.items.map((o: { id: string }) => o.id));
      cursor = res.body.nextCursor ?? undefined;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toContain(otherEmployer.id);
  });

  describe('updates', () => {
    it('when If-Match is missing, then 428; stale, then 412; current, then 200 and the version moves on', async () => {
      const org = await makeOrg('employer', '330300');
      const path = `/api/v1/organizations/${org.id}`;
      await request(t.app).patch(path).set(bearer(admin.token)).send({ staffCount: 99 }).expect(428);
      const stale = await request(t.app)
        .patch(path)
        .set(bearer(admin.token))
        .set('If-Match', '"7"')
        .send({ staffCount: 99 })
        .expect(412);
      expect(stale.body.currentVersion).toBe(1);
      const ok = await request(t.app)
        .patch(path)
        .set(bearer(admin.token))
        .set('If-Match', '"1"')
        .send({ staffCount: 99, nameEn: 'Example Co.' })
        .expect(200);
      expect(ok.body).toMatchObject({ staffCount: 99, nameEn: 'Example Co.', version: 2 });
      expect(ok.headers.etag).toBe('W/"2"');
      const entries = await auditOf(org.id);
      expect(entries[0]).toMatchObject({ action: 'organization.update' });
      expect(entries[0]!.fields.sort()).toEqual(['nameEn', 'staffCount']);
    });

    it('when the type is sent, then 400 mass_assignment; an employer-only field on a federation, then 400 naming it', async () => {
      const fed = await makeOrg('recipient_federation', '513300');
      const path = `/api/v1/organizations/${fed.id}`;
      const a = await request(t.app)
        .patch(path)
        .set(bearer(admin.token))
        .set('If-Match', '"1"')
        .send({ type: 'employer' })
        .expect(400);
      expect(a.body).toMatchObject({ code: 'mass_assignment', fields: ['type'] });
      const b = await request(t.app)
        .patch(path)
        .set(bearer(admin.token))
        .set('If-Match', '"1"')
        .send({ creditCode: makeCreditCode() })
        .expect(400);
      expect(b.body.issues[0]).toMatchObject({ path: 'body.creditCode', code: 'not_applicable' });
      const c = await request(t.app)
        .patch(path)
        .set(bearer(admin.token))
        .set('If-Match', '"1"')
        .send({ jurisdictionCode: '330300' })
        .expect(400);
      expect(c.body.issues[0].path).toBe('body.jurisdictionCode');
    });

    it('when two admins update with the same version one after the other, then the second gets 412', async () => {
      const org = await makeOrg('employer', '330300');
      const path = `/api/v1/organizations/${org.id}`;
      const send = (staffCount: number) =>
        request(t.app).patch(path).set(bearer(admin.token)).set('If-Match', '"1"').send({ staffCount });
      expect((await send(10)).status).toBe(200);
      expect((await send(20)).status).toBe(412);
    });
  });
});

describe('users', () => {
  it('when an admin creates a user whose roles fit the organisation, then that user can sign in', async () => {
    const fed = await makeOrg('recipient_federation', '511100');
    const res = await post('/api/v1/users', {
      username: 'Leshan.Staff2',
      displayName: '乐山工作人员',
      organizationId: fed.id,
      roles: ['federation_staff', 'reviewer'],
      password: 'Emei-Mountain-3099',
    }).expect(201);
    expect(res.body).toMatchObject({
      username: 'leshan.staff2',
      roles: ['federation_staff', 'reviewer'],
      locked: false,
    });
    expect(res.body.passwordHash).toBeUndefined();
    await request(t.app)
      .post('/api/v1/auth/login')
      .send({ username: 'leshan.staff2', password: 'Emei-Mountain-3099' })
      .expect(200);
    const actions = (await auditOf(res.body.id)).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['user.create', 'user.permission_change', 'auth.login']));
  });

  it('when a role does not fit the organisation type, then 400 naming body.roles', async () => {
    const res = await post('/api/v1/users', {
      username: 'wrong.role',
      displayName: 'x',
      organizationId: foshanEmployer.org.id,
      roles: ['reviewer'],
      password: 'Emei-Mountain-3099',
    }).expect(400);
    expect(res.body.issues[0]).toMatchObject({ path: 'body.roles', code: 'role_not_allowed' });
  });

  it('when the password is weak, then 400 naming body.password with every reason', async () => {
    const res = await post('/api/v1/users', {
      username: 'weakpass',
      displayName: 'x',
      organizationId: foshanEmployer.org.id,
      roles: ['employer'],
      password: 'weakpass12',
    }).expect(400);
    const codes = res.body.issues.map((i: { code: string }) => i.code);
    expect(res.body.issues.every((i: { path: string }) => i.path === 'body.password')).toBe(true);
    expect(codes).toEqual(
      expect.arrayContaining(['weak_password.too_few_kinds', 'weak_password.contains_username']),
    );
  });

  it('when the username is taken or the organisation unknown, then 409 / 400 naming organizationId', async () => {
    const body = {
      username: 'taken.name',
      displayName: 'x',
      organizationId: foshanEmployer.org.id,
      roles: ['employer'],
      password: 'Emei-Mountain-3099',
    };
    await post('/api/v1/users', body).expect(201);
    expect((await post('/api/v1/users', body).expect(409)).body.code).toBe('duplicate');
    const res = await post('/api/v1/users', {
      ...body,
      username: 'other.name',
      organizationId: '0123456789abcdef01234567',
    }).expect(400);
    expect(res.body.issues[0].path).toBe('body.organizationId');
  });

  it('when the last admin would be demoted or disabled, then 409 conflict', async () => {
    const res = await request(t.app)
      .patch(`/api/v1/users/${admin.user.id}`)
      .set(bearer(admin.token))
      .set('If-Match', `"${admin.user.version}"`)
      .send({ disabled: true })
      .expect(409);
    expect(res.body.code).toBe('conflict');
  });

  it('when a non-admin calls a user endpoint, then 403 and the denial is audited', async () => {
    await request(t.app).get('/api/v1/users').set(bearer(foshanEmployer.token)).expect(403);
    const res = await request(t.app)
      .get('/api/v1/audit')
      .query({ actor: foshanEmployer.user.id, action: 'access.denied' })
      .set(bearer(admin.token))
      .expect(200);
    expect(res.body.items[0]).toMatchObject({
      outcome: 'denied',
      resource: { type: 'users' },
      reason: 'list',
    });
  });
});

describe('scopes from partnerships', () => {
  it('when an admin adds a partnership for 温州, then a 温州 reviewer’s scope includes it at once, and the change is audited', async () => {
    const wenzhou = await makeOrg('supporting_federation', '330300');
    const reviewer = await signIn(t.config, await makeUser(wenzhou, ['reviewer']), wenzhou);
    const before = await request(t.app).get('/api/v1/auth/me').set(bearer(reviewer.token)).expect(200);
    expect(before.body.scope.partnershipScope).toEqual(expect.arrayContaining(['511321', '513231']));
    expect(before.body.scope.partnershipScope).not.toContain('513400');

    const created = await post('/api/v1/reference/partnerships', {
      supportingCode: '330300',
      receivingCode: '513400',
      from: '2024-01-01',
      to: null,
    }).expect(201);
    const after = await request(t.app).get('/api/v1/auth/me').set(bearer(reviewer.token)).expect(200);
    expect(after.body.scope.partnershipScope).toContain('513400');
    expect((await auditOf(created.body.id))[0]).toMatchObject({ action: 'partnership.create' });

    const foshanFed = await makeOrg('supporting_federation', '440600');
    const foshanReviewer = await signIn(t.config, await makeUser(foshanFed, ['reviewer']), foshanFed);
    const foshan = await request(t.app).get('/api/v1/auth/me').set(bearer(foshanReviewer.token)).expect(200);
    // 佛山 pairs with 凉山 only; the 广东 province pairing with 甘孜 is not the city's.
    expect(foshan.body.scope.partnershipScope).toEqual(['513400']);
  });
});
