import mongoose from 'mongoose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../src/modules/accounts/users.repository.js';
import type { Organization } from '../../src/modules/orgs/orgs.repository.js';
import { bearer, makeOrg, makeUser, signIn, TEST_PASSWORD, type TestActor } from '../fixtures/accounts.js';
import { startTestApp, type TestApp } from '../fixtures/app.js';

let t: TestApp;
let platform: Organization;
let ganzi: Organization;
let admin: TestActor;

beforeAll(async () => {
  t = await startTestApp({
    LOGIN_RATE_LIMIT_PER_MINUTE: '60',
    LOGIN_SLOWDOWN_MS: '5',
    LOGIN_ACCOUNT_MAX_FAILURES: '12',
    RATE_LIMIT_PER_MINUTE: '5000',
  });
  platform = await makeOrg('platform');
  ganzi = await makeOrg('recipient_federation', '513300');
  admin = await signIn(t.config, await makeUser(platform, ['admin']), platform);
});
afterAll(async () => {
  await t?.close();
});

const login = (username: string, password: string) =>
  request(t.app).post('/api/v1/auth/login').send({ username, password });

async function auditFor(userId: string, action?: string) {
  const res = await request(t.app)
    .get('/api/v1/audit')
    .query({ resourceId: userId, ...(action ? { action } : {}), limit: '200' })
    .set(bearer(admin.token))
    .expect(200);
  return res.body.items as { action: string; outcome: string; reason: string | null; ip: string | null }[];
}

const users = () => mongoose.connection.db!.collection('users');
const loginFailures = () => mongoose.connection.db!.collection('login_failures');
const from = (ip: string, username: string, password: string) =>
  request(t.app).post('/api/v1/auth/login').set('X-Forwarded-For', ip).send({ username, password });
/** A problem body without what differs per request. */
const problem = (body: Record<string, unknown>) => {
  const { requestId: _r, instance: _i, ...rest } = body;
  return rest;
};
const sessions = () => mongoose.connection.db!.collection('sessions');

describe('login, me, logout', () => {
  let user: User;
  beforeAll(async () => {
    user = await makeUser(ganzi, ['federation_staff']);
  });

  it('when the password is right, then a session token works for /auth/me and shows the scope', async () => {
    const res = await login(user.username.toUpperCase(), TEST_PASSWORD).expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body.token).toMatch(/^tx_/);
    expect(res.body.tokenType).toBe('Bearer');
    const me = await request(t.app).get('/api/v1/auth/me').set(bearer(res.body.token)).expect(200);
    expect(me.body.user).toMatchObject({ id: user.id, roles: ['federation_staff'] });
    expect(me.body.organization).toMatchObject({ id: ganzi.id, type: 'recipient_federation' });
    expect(me.body.scope).toEqual({ jurisdictionCode: '513300', partnershipScope: ['513300'] });
    expect((await auditFor(user.id, 'auth.login'))[0]).toMatchObject({ outcome: 'success' });
  });

  it('when a session is created, then only a hash of its token is stored', async () => {
    const res = await login(user.username, TEST_PASSWORD).expect(200);
    const stored = await sessions().find({}).toArray();
    expect(JSON.stringify(stored)).not.toContain(res.body.token);
    expect(JSON.stringify(stored)).not.toContain(res.body.token.slice(3));
  });

  it('when the user logs out, then the token is refused afterwards and the logout is audited', async () => {
    const { body } = await login(user.username, TEST_PASSWORD).expect(200);
    await request(t.app).post('/api/v1/auth/logout').set(bearer(body.token)).expect(204);
    const res = await request(t.app).get('/api/v1/auth/me').set(bearer(body.token)).expect(401);
    expect(res.body.code).toBe('unauthenticated');
    const entries = await request(t.app)
      .get('/api/v1/audit')
      .query({ actor: user.id, action: 'auth.logout' })
      .set(bearer(admin.token))
      .expect(200);
    expect(entries.body.items.length).toBeGreaterThan(0);
  });

  it('when the session has expired, then 401 session_expired', async () => {
    const { body } = await login(user.username, TEST_PASSWORD).expect(200);
    await sessions().updateMany(
      { userId: new mongoose.Types.ObjectId(user.id) },
      { $set: { expiresAt: new Date(Date.now() - 1000) } },
    );
    const res = await request(t.app).get('/api/v1/auth/me').set(bearer(body.token)).expect(401);
    expect(res.body.code).toBe('session_expired');
  });

  it('when the token is garbage or the scheme is not Bearer, then 401 unauthenticated', async () => {
    await request(t.app).get('/api/v1/auth/me').set('Authorization', 'Bearer nonsense').expect(401);
    await request(t.app)
      .get('/api/v1/auth/me')
      .set('Authorization', `Basic ${Buffer.from('a:b').toString('base64')}`)
      .expect(401);
    const forged = `tx_${'A'.repeat(43)}`;
    const res = await request(t.app).get('/api/v1/auth/me').set(bearer(forged)).expect(401);
    expect(res.body.code).toBe('unauthenticated');
  });

  it('when the username is unknown, then the same 401 as a wrong password, audited without a user', async () => {
    const a = await login('nobody.here', TEST_PASSWORD).expect(401);
    const b = await login(user.username, 'Wrong-password-1').expect(401);
    expect(a.body.code).toBe('invalid_credentials');
    expect(b.body.code).toBe('invalid_credentials');
    expect(a.body.title).toBe(b.body.title);
    await users().updateOne({ _id: new mongoose.Types.ObjectId(user.id) }, { $set: { failedLogins: 0 } });
  });

  it('when a request is served under a session, then log lines carry the user id and never the token', async () => {
    const { body } = await login(user.username, TEST_PASSWORD).expect(200);
    await request(t.app)
      .get('/api/v1/auth/me')
      .set(bearer(body.token))
      .set('x-request-id', 'req-me-log')
      .expect(200);
    const lines = t.logs.lines.filter((l) => l.includes('req-me-log'));
    expect(lines.some((l) => l.includes(user.id))).toBe(true);
    expect(t.logs.lines.join('\n')).not.toContain(body.token);
    expect(t.logs.lines.join('\n')).not.toContain(TEST_PASSWORD);
  });
});

describe('lockout', () => {
  it('when the password is wrong five times, then the sixth attempt is refused even with the right one, and it is all audited', async () => {
    const user = await makeUser(ganzi, ['federation_staff']);
    for (let i = 0; i < 5; i++) {
      const res = await login(user.username, `Wrong-password-${i}`);
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('invalid_credentials');
    }
    const sixth = await login(user.username, TEST_PASSWORD);
    expect(sixth.status).toBe(423);
    expect(sixth.body.code).toBe('account_locked');
    expect(Number(sixth.headers['retry-after'])).toBeGreaterThan(0);

    const trail = await auditFor(user.id);
    const logins = trail.filter((e) => e.action === 'auth.login');
    expect(logins.filter((e) => e.outcome === 'failure' && e.reason === 'wrong_password')).toHaveLength(5);
    expect(logins.filter((e) => e.outcome === 'denied' && e.reason === 'locked')).toHaveLength(1);
    expect(trail.filter((e) => e.action === 'auth.lockout')).toHaveLength(1);
    expect(trail.every((e) => e.ip)).toBe(true);

    // Visible to admins as failures; the account itself is not locked (only this address is).
    const seen = await request(t.app).get(`/api/v1/users/${user.id}`).set(bearer(admin.token)).expect(200);
    expect(seen.body).toMatchObject({ locked: false, failedLogins: 5 });

    // An admin lifts it, and the right password works again from the same address.
    const unlocked = await request(t.app)
      .post(`/api/v1/users/${user.id}/unlock`)
      .set(bearer(admin.token))
      .expect(200);
    expect(unlocked.body).toMatchObject({ locked: false, failedLogins: 0, lockedUntil: null });
    await login(user.username, TEST_PASSWORD).expect(200);
    expect((await auditFor(user.id, 'user.unlock')).length).toBe(1);
  });

  it('when the lock has run out, then the right password works and the count starts over', async () => {
    const user = await makeUser(ganzi, ['federation_staff']);
    for (let i = 0; i < 5; i++) await login(user.username, 'Wrong-password-x').expect(401);
    await login(user.username, TEST_PASSWORD).expect(423);
    // The lock period passing, without waiting for it (nothing expires the documents but the code).
    const past = new Date(Date.now() - 1);
    await loginFailures().updateMany(
      { accountId: user.id },
      { $set: { lockedUntil: past, expiresAt: past } },
    );
    await login(user.username, TEST_PASSWORD).expect(200);
    const after = await users().findOne({ _id: new mongoose.Types.ObjectId(user.id) });
    expect(after).toMatchObject({ failedLogins: 0, lockedUntil: null });
    expect(await loginFailures().countDocuments({ accountId: user.id })).toBe(0);
  });

  it('when wrong passwords arrive in parallel, then every one counts and the account locks once', async () => {
    const user = await makeUser(ganzi, ['federation_staff']);
    const results = await Promise.all(
      Array.from({ length: 7 }, () => login(user.username, 'Wrong-password-p')),
    );
    expect(results.every((r) => r.status === 401 || r.status === 423)).toBe(true);
    await login(user.username, TEST_PASSWORD).expect(423);
    expect((await auditFor(user.id, 'auth.lockout')).length).toBe(1);
  });

  it('when an unknown username and an existing one each get six wrong passwords, then the answers are the same', async () => {
    const user = await makeUser(ganzi, ['federation_staff']);
    const known: request.Response[] = [];
    const unknown: request.Response[] = [];
    for (let i = 0; i < 6; i++) {
      known.push(await from('192.0.2.10', user.username, `Wrong-password-${i}`));
      unknown.push(await from('192.0.2.10', `${user.username}.nobody`, `Wrong-password-${i}`));
    }
    expect(known.map((r) => r.status)).toEqual([401, 401, 401, 401, 401, 423]);
    expect(unknown.map((r) => r.status)).toEqual(known.map((r) => r.status));
    for (let i = 0; i < 6; i++) {
      expect(problem(unknown[i]!.body)).toEqual(problem(known[i]!.body));
      expect(unknown[i]!.headers['retry-after']).toEqual(known[i]!.headers['retry-after']);
    }
    expect(JSON.stringify(known[5]!.body)).not.toContain(user.id);
  });

  it('when five wrong passwords come from one address, then another address still signs in and the first stays locked until an admin unlocks', async () => {
    const user = await makeUser(ganzi, ['federation_staff']);
    for (let i = 0; i < 5; i++) await from('192.0.2.20', user.username, 'Wrong-password-s').expect(401);
    await from('192.0.2.20', user.username, TEST_PASSWORD).expect(423);
    await from('198.51.100.7', user.username, TEST_PASSWORD).expect(200);
    // The success elsewhere does not lift the lock on the first address.
    await from('192.0.2.20', user.username, TEST_PASSWORD).expect(423);
    const lockouts = await auditFor(user.id, 'auth.lockout');
    expect(lockouts).toHaveLength(1);
    expect(lockouts[0]!.ip).toBe('192.0.2.20');
    await request(t.app).post(`/api/v1/users/${user.id}/unlock`).set(bearer(admin.token)).expect(200);
    await from('192.0.2.20', user.username, TEST_PASSWORD).expect(200);
  });

  it('when wrong passwords come from many addresses, then the account itself locks at LOGIN_ACCOUNT_MAX_FAILURES', async () => {
    const user = await makeUser(ganzi, ['federation_staff']);
    const ceiling = t.config.security.login.accountMaxFailures;
    expect(ceiling).toBeGreaterThan(t.config.security.login.maxFailures);
    for (let i = 0; i < ceiling; i++)
      await from(`203.0.113.${i % 250}`, user.username, 'Wrong-password-m').expect(401);
    await from('198.51.100.99', user.username, TEST_PASSWORD).expect(423);
    const seen = await request(t.app).get(`/api/v1/users/${user.id}`).set(bearer(admin.token)).expect(200);
    expect(seen.body).toMatchObject({ locked: true, failedLogins: ceiling });
    await request(t.app).post(`/api/v1/users/${user.id}/unlock`).set(bearer(admin.token)).expect(200);
    await from('198.51.100.99', user.username, TEST_PASSWORD).expect(200);
  });

  it('when an admin resets a locked user’s password, then the lock is cleared and old sessions end', async () => {
    const user = await makeUser(ganzi, ['federation_staff']);
    const before = await signIn(t.config, user, ganzi);
    for (let i = 0; i < 5; i++) await login(user.username, 'Wrong-password-r').expect(401);
    const weak = await request(t.app)
      .post(`/api/v1/users/${user.id}/password`)
      .set(bearer(admin.token))
      .send({ password: 'short' })
      .expect(400);
    expect(weak.body.issues[0].path).toBe('body.password');
    await request(t.app)
      .post(`/api/v1/users/${user.id}/password`)
      .set(bearer(admin.token))
      .send({ password: 'Brand-new-Pass42' })
      .expect(200);
    await request(t.app).get('/api/v1/auth/me').set(bearer(before.token)).expect(401);
    await login(user.username, TEST_PASSWORD).expect(401);
    await login(user.username, 'Brand-new-Pass42').expect(200);
  });
});

describe('own account', () => {
  it('when a user changes their password, then other sessions end and the current one stays', async () => {
    const user = await makeUser(ganzi, ['reviewer']);
    const a = await signIn(t.config, user, ganzi);
    const b = await signIn(t.config, user, ganzi);
    const wrong = await request(t.app)
      .post('/api/v1/auth/password')
      .set(bearer(a.token))
      .send({ currentPassword: 'Not-the-one-1', newPassword: 'Yet-another-Pass7' })
      .expect(400);
    expect(wrong.body.issues[0].path).toBe('body.currentPassword');
    await request(t.app)
      .post('/api/v1/auth/password')
      .set(bearer(a.token))
      .send({ currentPassword: TEST_PASSWORD, newPassword: 'Yet-another-Pass7' })
      .expect(204);
    await request(t.app).get('/api/v1/auth/me').set(bearer(a.token)).expect(200);
    await request(t.app).get('/api/v1/auth/me').set(bearer(b.token)).expect(401);
  });

  it('when a user tries to give themselves roles, then 400 mass_assignment naming roles and nothing changes', async () => {
    const user = await makeUser(ganzi, ['federation_staff']);
    const a = await signIn(t.config, user, ganzi);
    const res = await request(t.app)
      .patch('/api/v1/auth/me')
      .set(bearer(a.token))
      .send({ language: 'en', roles: ['admin'], organizationId: platform.id })
      .expect(400);
    expect(res.body.code).toBe('mass_assignment');
    expect(res.body.issues.map((i: { path: string }) => i.path)).toEqual([
      'body.roles',
      'body.organizationId',
    ]);
    const stored = await users().findOne({ _id: new mongoose.Types.ObjectId(user.id) });
    expect(stored).toMatchObject({ roles: ['federation_staff'], language: 'zh-CN' });
    const ok = await request(t.app)
      .patch('/api/v1/auth/me')
      .set(bearer(a.token))
      .send({ language: 'en' })
      .expect(200);
    expect(ok.body.user.language).toBe('en');
  });

  it('when an admin changes roles or disables a user, then it applies to their open session at once', async () => {
    const user = await makeUser(ganzi, ['federation_staff']);
    const a = await signIn(t.config, user, ganzi);
    await request(t.app)
      .patch(`/api/v1/users/${user.id}`)
      .set(bearer(admin.token))
      .set('If-Match', '"1"')
      .send({ roles: ['reviewer'] })
      .expect(200);
    const me = await request(t.app).get('/api/v1/auth/me').set(bearer(a.token)).expect(200);
    expect(me.body.user.roles).toEqual(['reviewer']);
    await request(t.app)
      .patch(`/api/v1/users/${user.id}`)
      .set(bearer(admin.token))
      .set('If-Match', '"2"')
      .send({ disabled: true })
      .expect(200);
    await request(t.app).get('/api/v1/auth/me').set(bearer(a.token)).expect(401);
    await login(user.username, TEST_PASSWORD).expect(401);
    const changes = await auditFor(user.id, 'user.permission_change');
    expect(changes.length).toBe(2);
  });
});

describe('login rate limit', () => {
  it('when one client keeps posting logins, then 429 rate_limited (the stricter login limit)', async () => {
    let last: request.Response | undefined;
    for (let i = 0; i < 70; i++) {
      last = await login('nobody.here', 'Whatever-pass-1');
      if (last.status === 429) break;
    }
    expect(last?.status).toBe(429);
    expect(last?.body.code).toBe('rate_limited');
    // The general limit is far higher: other endpoints still answer.
    await request(t.app).get('/api/v1/auth/me').set(bearer(admin.token)).expect(200);
  });
});
