import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logout } from '../../src/modules/accounts/accounts.service.js';
import { sessionIdFor } from '../../src/modules/accounts/session-token.js';
import { bearer, makeOrg, makeUser, signIn, type TestActor } from '../fixtures/accounts.js';
import { startTestApp, type TestApp } from '../fixtures/app.js';

let t: TestApp;
let admin: TestActor;

beforeAll(async () => {
  t = await startTestApp();
  const platform = await makeOrg('platform');
  admin = await signIn(t.config, await makeUser(platform, ['admin']), platform);
});
afterAll(async () => {
  await t.close();
});

async function ticketFor(token: string) {
  const res = await request(t.app)
    .post('/api/v1/system/queue-dashboard/tickets')
    .set(bearer(token))
    .expect(201);
  return res.body as { ticket: string; action: string; expiresAt: string };
}

/** Exchanges a ticket the way the console's form does; returns the dashboard cookie. */
async function enter(ticket: string): Promise<string> {
  const res = await request(t.app)
    .post('/admin/queues/session')
    .set('Sec-Fetch-Site', 'same-origin')
    .type('form')
    .send({ ticket })
    .expect(303)
    .expect('Location', '/admin/queues/');
  const cookie = String(res.headers['set-cookie']);
  expect(cookie).toMatch(/tx_queue_dashboard=/);
  expect(cookie).toMatch(/HttpOnly/i);
  expect(cookie).toMatch(/SameSite=Strict/i);
  expect(cookie).toMatch(/Path=\/admin\/queues/);
  return cookie.split(';')[0]!;
}

describe('the queue dashboard at /admin/queues', () => {
  it('when an admin exchanges a fresh ticket, then the dashboard and its API answer with the cookie', async () => {
    const { ticket, action } = await ticketFor(admin.token);
    expect(action).toBe('/admin/queues/session');
    const cookie = await enter(ticket);
    const page = await request(t.app).get('/admin/queues/').set('Cookie', cookie).expect(200);
    expect(page.text).toContain('__UI_CONFIG__');
    expect(page.headers['cache-control']).toBe('no-store');
    const queues = await request(t.app).get('/admin/queues/api/queues').set('Cookie', cookie).expect(200);
    expect(queues.body.queues.map((q: { name: string }) => q.name)).toContain('system');
    const audit = await request(t.app)
      .get('/api/v1/audit')
      .query({ action: 'queue_dashboard.open', outcome: 'success' })
      .set(bearer(admin.token))
      .expect(200);
    expect(audit.body.items[0].actor.userId).toBe(admin.user.id);
  });

  it('when a ticket is used twice, then the second time is refused', async () => {
    const { ticket } = await ticketFor(admin.token);
    await enter(ticket);
    const again = await request(t.app)
      .post('/admin/queues/session')
      .set('Accept', 'application/json')
      .type('form')
      .send({ ticket });
    expect(again.status).toBe(401);
  });

  it('when there is no cookie or a forged one, then a page visit goes back to the console and the API refuses', async () => {
    await request(t.app)
      .get('/admin/queues/')
      .set('Accept', 'text/html')
      .expect(303)
      .expect('Location', '/admin/queue-dashboard?refused=unauthenticated');
    await request(t.app).get('/admin/queues/api/queues').set('Accept', 'application/json').expect(401);
    const forged = `tx_queue_dashboard=${Buffer.from(JSON.stringify({ sid: 'x', exp: Date.now() + 60_000 })).toString('base64url')}.AAAA`;
    await request(t.app).get('/admin/queues/api/queues').set('Cookie', forged).expect(401);
  });

  it('when the admin signs out, then the dashboard cookie stops working at once', async () => {
    const a = await signIn(t.config, await makeUser(admin.org, ['admin']), admin.org);
    const cookie = await enter((await ticketFor(a.token)).ticket);
    await request(t.app).get('/admin/queues/api/queues').set('Cookie', cookie).expect(200);
    await logout(sessionIdFor(a.token, t.config.security.sessionSecret));
    await request(t.app).get('/admin/queues/api/queues').set('Cookie', cookie).expect(401);
  });

  it('when a changing request comes from another site, then it is refused even with the cookie', async () => {
    const cookie = await enter((await ticketFor(admin.token)).ticket);
    await request(t.app)
      .put('/admin/queues/api/queues/system/pause')
      .set('Cookie', cookie)
      .set('Sec-Fetch-Site', 'cross-site')
      .expect(403);
    await request(t.app)
      .post('/admin/queues/session')
      .set('Origin', 'https://evil.example')
      .type('form')
      .send({ ticket: (await ticketFor(admin.token)).ticket })
      .expect(403);
  });

  it('when someone who is not an admin asks for a ticket, then 403', async () => {
    const fed = await makeOrg('recipient_federation', '513300');
    const staff = await signIn(t.config, await makeUser(fed, ['federation_staff']), fed);
    await request(t.app).post('/api/v1/system/queue-dashboard/tickets').set(bearer(staff.token)).expect(403);
  });
});
