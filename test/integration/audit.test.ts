import mongoose from 'mongoose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit } from '../../src/modules/audit/audit.service.js';
import { bearer, makeOrg, makeUser, signIn, TEST_PASSWORD, type TestActor } from '../fixtures/accounts.js';
import { startTestApp, type TestApp } from '../fixtures/app.js';

let t: TestApp;
let admin: TestActor;

beforeAll(async () => {
  t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '5000' });
  const platform = await makeOrg('platform');
  admin = await signIn(t.config, await makeUser(platform, ['admin']), platform);
});
afterAll(async () => {
  await t?.close();
});

const list = (query: Record<string, string>) =>
  request(t.app).get('/api/v1/audit').query(query).set(bearer(admin.token));

describe('audit trail', () => {
  it('when a module records a sensitive read, then it is listed with actor, resource and field names', async () => {
    await audit.record({
      action: 'worker_profile.read_sensitive',
      resource: { type: 'worker_profile', id: 'wp1' },
      fields: ['identity.idNumber', 'identity.phone'],
      actor: { userId: admin.user.id, organizationId: admin.org.id, roles: ['admin'] },
    });
    const res = await list({ resourceType: 'worker_profile', resourceId: 'wp1' }).expect(200);
    expect(res.body.items).toHaveLength(1);
    expect(res.body.items[0]).toMatchObject({
      action: 'worker_profile.read_sensitive',
      actor: { userId: admin.user.id, organizationId: admin.org.id, roles: ['admin'] },
      resource: { type: 'worker_profile', id: 'wp1' },
      fields: ['identity.idNumber', 'identity.phone'],
      outcome: 'success',
    });
  });

  it('when an action, reason or field is not a plain code, then record refuses it (no values, no free text)', async () => {
    await expect(audit.record({ action: 'read the file of 张三' })).rejects.toThrow(/not a code/);
    await expect(audit.record({ action: 'x.read', fields: ['idNumber=51343119900101001X'] })).rejects.toThrow(
      /not a code/,
    );
    await expect(audit.record({ action: 'x.read', reason: 'because I said so' })).rejects.toThrow(
      /not a code/,
    );
  });

  it('when a login happens under a request id, then its entry carries that id and the ip', async () => {
    const fed = await makeOrg('recipient_federation', '513400');
    const user = await makeUser(fed, ['federation_staff']);
    await request(t.app)
      .post('/api/v1/auth/login')
      .set('x-request-id', 'req-audit-login')
      .send({ username: user.username, password: TEST_PASSWORD })
      .expect(200);
    const res = await list({ actor: user.id, action: 'auth.login' }).expect(200);
    expect(res.body.items[0]).toMatchObject({ requestId: 'req-audit-login', outcome: 'success' });
    expect(res.body.items[0].ip).toMatch(/127\.0\.0\.1|::1/);
  });

  it('when entries are paged with the cursor, then all come once, newest first', async () => {
    for (let i = 0; i < 7; i++)
      await audit.record({ action: 'test.page', resource: { type: 'thing', id: `p${i}` }, actor: {} });
    const ids: string[] = [];
    const resources: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await list({ action: 'test.page', limit: '3', ...(cursor ? { cursor } : {}) }).expect(200);
      ids.push(...res.body.items.map((e: { id: string }) => e.id));
      resources.push(...res.body.items.map((e: { resource: { id: string } }) => e.resource.id));
      cursor = res.body.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(new Set(ids).size).toBe(7);
    expect(resources).toEqual(['p6', 'p5', 'p4', 'p3', 'p2', 'p1', 'p0']);
  });

  it('when filtered by time and outcome, then only entries inside are listed', async () => {
    await audit.record({ action: 'test.window', outcome: 'failure', reason: 'x', actor: {} });
    const from = new Date(Date.now() - 60_000).toISOString();
    const past = new Date(Date.now() - 3_600_000).toISOString();
    expect((await list({ action: 'test.window', from }).expect(200)).body.items).toHaveLength(1);
    expect((await list({ action: 'test.window', to: past }).expect(200)).body.items).toHaveLength(0);
    expect((await list({ action: 'test.window', outcome: 'success' }).expect(200)).body.items).toHaveLength(
      0,
    );
    expect((await list({ action: 'test.window', outcome: 'failure' }).expect(200)).body.items).toHaveLength(
      1,
    );
  });

  it('when a filter key is repeated, then 400 instead of a wider query', async () => {
    const res = await request(t.app)
      .get('/api/v1/audit?action=auth.login&action=auth.logout')
      .set(bearer(admin.token))
      .expect(400);
    expect(res.body.issues[0].path).toBe('query.action');
  });

  it('when anyone tries to change or delete entries over HTTP, then there is no such endpoint', async () => {
    for (const method of ['put', 'patch', 'delete'] as const) {
      await request(t.app)[method]('/api/v1/audit').set(bearer(admin.token)).expect(404);
      await request(t.app)
        [method]('/api/v1/audit/0123456789abcdef01234567')
        .set(bearer(admin.token))
        .expect(404);
    }
  });

  it('when code tries to update or delete through the model, then it is refused (append-only)', async () => {
    const model = mongoose.model('AuditEntry');
    await expect(model.updateOne({ action: 'test.page' }, { $set: { outcome: 'failure' } })).rejects.toThrow(
      /append-only/,
    );
    await expect(model.deleteMany({ action: 'test.page' })).rejects.toThrow(/append-only/);
    expect((await list({ action: 'test.page', limit: '200' }).expect(200)).body.items).toHaveLength(7);
  });
});
