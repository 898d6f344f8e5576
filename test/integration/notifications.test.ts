import mongoose from 'mongoose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueue } from '../../src/jobs/queues.js';
import { claim } from '../../src/lib/claims.js';
import { createLogger } from '../../src/lib/logger.js';
import {
  findDeliveriesByKeys,
  insertDeliveries,
  updateDeliveries,
} from '../../src/modules/notifications/deliveries.repository.js';
import { sendClaimKey } from '../../src/modules/notifications/delivery.js';
import { notify } from '../../src/modules/notifications/notifications.service.js';
import { startWorkerHost, type WorkerHost } from '../../workers/host.js';
import { allProcessors } from '../../workers/processors.js';
import { bearer, makeOrg, makeUser, signIn, type TestActor } from '../fixtures/accounts.js';
import { startTestApp, type TestApp } from '../fixtures/app.js';
import { waitFor } from '../fixtures/processes.js';
import { loadReadmeVerifier } from '../fixtures/readme-snippet.js';
import { TestReceiver } from '../fixtures/receiver.js';
import { TestSmtpServer } from '../fixtures/smtp.js';

let t: TestApp;
let smtp: TestSmtpServer;
let receiver: TestReceiver;
let host: WorkerHost;
let ctx: Parameters<typeof notify>[2];

const oid = () =>
  Array.from({ length: 24 }, () => '0123456789abcdef'[Math.floor(Math.random() * 16)]).join('');

beforeAll(async () => {
  smtp = await TestSmtpServer.start();
  receiver = await TestReceiver.start();
  t = await startTestApp({
    SMTP_PORT: String(smtp.port),
    NOTIFY_WEBHOOK_ALLOW_PRIVATE: 'true',
    NOTIFY_COLLAPSE_WINDOW_MS: '1500',
    NOTIFY_EMAIL_PER_SECOND: '1000',
    NOTIFY_WEBHOOK_PER_SECOND: '1000',
    NOTIFY_SEND_TIMEOUT_MS: '3000',
    RATE_LIMIT_PER_MINUTE: '100000',
    PUBLIC_URL: 'https://tongxin.example',
  });
  host = await startWorkerHost(t.config, createLogger('silent'), allProcessors, []);
  ctx = { config: t.config, logger: t.deps.logger, queues: t.runtime.queues };
});
afterAll(async () => {
  await host?.close();
  await t?.close();
  await smtp?.close();
  await receiver?.close();
});

const claimModel = () => mongoose.model('Claim');

async function employer(): Promise<TestActor> {
  const org = await makeOrg('employer', '440600');
  return signIn(t.config, await makeUser(org, ['employer']), org);
}

async function setPrefs(a: TestActor, body: Record<string, unknown>) {
  const res = await request(t.app).patch('/api/v1/notification-preferences').set(bearer(a.token)).send(body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

async function inbox(a: TestActor, query: Record<string, string> = {}) {
  const res = await request(t.app).get('/api/v1/notifications').query(query).set(bearer(a.token));
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

async function jobCount(): Promise<number> {
  let n = 0;
  for (const q of [
    t.runtime.queues['notify-email'],
    t.runtime.queues['notify-webhook'],
    t.runtime.queues['notify-wecom'],
  ]) {
    const c = await q.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized');
    n += Object.values(c).reduce((a, b) => a + b, 0);
  }
  return n;
}

describe('inbox', () => {
  it('when an event is notified to an organisation role, then each of its users sees it in their language, and only their own', async () => {
    const a = await employer();
    const colleague = await signIn(t.config, await makeUser(a.org, ['employer']), a.org);
    const outsider = await employer();
    await setPrefs(colleague, { language: 'en' });
    const matchId = oid();
    const openingId = oid();
    const r = await notify(
      { type: 'match.proposed', data: { matchId, openingId } },
      { organizationId: a.org.id, role: 'employer' },
      ctx,
    );
    expect(r.recipients).toBe(2);
    expect(r.notifications).toBe(2);

    const mine = await inbox(a);
    expect(mine.unreadCount).toBe(1);
    expect(mine.items[0].title).toBe('新的求职者推荐');
    expect(mine.items[0].body).toContain(`#${openingId.slice(-6)}`);
    expect(mine.items[0].link).toBe(`https://tongxin.example/matches/${matchId}`);
    expect(mine.items[0].data).toEqual({ matchId, openingId });
    expect((await inbox(colleague)).items[0].title).toBe('A new candidate was proposed');
    expect((await inbox(outsider)).items).toEqual([]);

    // Another user's notification is not found, whoever asks.
    const res = await request(t.app)
      .post(`/api/v1/notifications/${mine.items[0].id}/read`)
      .set(bearer(outsider.token));
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('not_found');
    const ok = await request(t.app)
      .post(`/api/v1/notifications/${mine.items[0].id}/read`)
      .set(bearer(a.token));
    expect(ok.status).toBe(200);
    expect(ok.body.readAt).not.toBeNull();
    expect((await inbox(a)).unreadCount).toBe(0);
    expect((await inbox(colleague)).unreadCount).toBe(1);
  });

  it('when the same event is notified twice (also at once), then there is one notification per user and no new job', async () => {
    const a = await employer();
    await setPrefs(a, { email: 'hr@example.com' });
    const event = { type: 'match.interested' as const, data: { matchId: oid(), openingId: oid() } };
    const first = await notify(event, { userId: a.user.id }, ctx);
    expect(first.notifications).toBe(1);
    const before = await jobCount();
    const again = await Promise.all(
      Array.from({ length: 5 }, () => notify(event, { userId: a.user.id }, ctx)),
    );
    expect(again.map((r) => r.notifications)).toEqual([0, 0, 0, 0, 0]);
    expect(await jobCount()).toBe(before);
    expect((await inbox(a)).total).toBe(1);
    await waitFor(
      'one email',
      () => smtp.received.filter((m) => m.to.includes('hr@example.com')).length === 1,
    );
  });

  it('when pages are requested, then the cursor walks all notifications and read-all clears the count', async () => {
    const a = await employer();
    for (let i = 0; i < 5; i++)
      await notify(
        { type: 'import.finished', data: { importId: oid(), created: i, updated: 0, failed: 0 } },
        { userId: a.user.id },
        ctx,
      );
    const p1 = await inbox(a, { limit: '2' });
    const p2 = await inbox(a, { limit: '2', cursor: p1.nextCursor });
    const p3 = await inbox(a, { limit: '2', cursor: p2.nextCursor });
    const ids = [...p1.items, ...p2.items, ...p3.items].map((i: { id: string }) => i.id);
    expect(new Set(ids).size).toBe(5);
    expect(p3.nextCursor).toBeNull();
    const all = await request(t.app).post('/api/v1/notifications/read-all').set(bearer(a.token));
    expect(all.body).toEqual({ updated: 5, unreadCount: 0 });
    expect((await inbox(a, { unread: 'true' })).items).toEqual([]);
  });
});

describe('email', () => {
  it('when a user has an address, then the SMTP server receives one message in their language, ids only', async () => {
    const a = await employer();
    await setPrefs(a, { email: 'lang@example.com', language: 'en' });
    const importId = oid();
    await notify(
      { type: 'import.finished', data: { importId, created: 3, updated: 1, failed: 0 } },
      { userId: a.user.id },
      ctx,
    );
    const mail = await waitFor('email', () => smtp.received.find((m) => m.to.includes('lang@example.com')));
    expect(mail.subject).toBe('Your import finished');
    expect(mail.messageId).toMatch(/^<notification-[0-9a-f]{24}@tongxin\.local>$/);
    expect(mail.raw).toContain(`https://tongxin.example/imports/${importId}`);
  });

  it('when the event is turned off by email, then only the inbox gets it', async () => {
    const a = await employer();
    await setPrefs(a, {
      email: 'quiet@example.com',
      events: [{ type: 'placement.created', inApp: true, email: false }],
    });
    await notify(
      { type: 'placement.created', data: { placementId: oid(), openingId: oid() } },
      { userId: a.user.id },
      ctx,
    );
    expect((await inbox(a)).total).toBe(1);
    await new Promise((r) => setTimeout(r, 500));
    expect(smtp.received.filter((m) => m.to.includes('quiet@example.com'))).toEqual([]);
  });
});

describe('a burst of email deliveries (reads and writes batched across the jobs)', () => {
  it('when some sends of a burst are claimed by another attempt, then only the others go out, once each, and the claimed ones wait', async () => {
    const a = await employer();
    await setPrefs(a, { email: 'burst@example.com', language: 'en' });
    const emailQueue = t.runtime.queues['notify-email'];
    // Held back so that every job of the burst runs at once, after the claims below.
    await emailQueue.pause();
    const keys: string[] = [];
    try {
      for (let i = 0; i < 12; i++) {
        const importId = oid();
        await notify(
          { type: 'import.finished', data: { importId, created: i, updated: 0, failed: 0 } },
          { userId: a.user.id },
          ctx,
        );
        keys.push(`import.finished/${importId}@${a.user.id}/email`);
      }
      const byKey = new Map((await findDeliveriesByKeys(keys)).map((d) => [d.key, d]));
      expect(byKey.size).toBe(12);
      for (const d of keys.slice(0, 4).map((k) => byKey.get(k)!))
        expect(await claim(sendClaimKey(d), 'another-attempt')).toBe(true);
    } finally {
      await emailQueue.resume();
    }
    const received = () => smtp.received.filter((m) => m.to.includes('burst@example.com'));
    await waitFor('the unclaimed eight', () => received().length >= 8);
    await new Promise((r) => setTimeout(r, 500));
    const after = new Map((await findDeliveriesByKeys(keys)).map((d) => [d.key, d]));
    const claimed = keys.slice(0, 4).map((k) => after.get(k)!);
    const free = keys.slice(4).map((k) => after.get(k)!);
    expect(free.map((d) => d.state)).toEqual(Array(8).fill('sent'));
    expect(claimed.map((d) => d.state)).toEqual(Array(4).fill('pending'));
    expect(
      received()
        .map((m) => m.deliveryId)
        .sort(),
    ).toEqual(free.map((d) => d.id).sort());
  });

  it('when one outcome of a batched write fails, then only that delivery reports the error and the others are recorded', async () => {
    const a = await employer();
    await setPrefs(a, {
      email: 'record@example.com',
      events: [{ type: 'import.finished', inApp: true, email: false }],
    });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const importId = oid();
      await notify(
        { type: 'import.finished', data: { importId, created: i, updated: 0, failed: 0 } },
        { userId: a.user.id },
        ctx,
      );
      ids.push(importId);
    }
    // Deliveries written directly (the user turned email off, so no job sends them meanwhile).
    const made = await insertDeliveries(
      ids.map((importId) => ({
        id: oid(),
        key: `test/${importId}/email`,
        channel: 'email' as const,
        type: 'import.finished',
        data: { importId, created: 0, updated: 0, failed: 0 },
        organizationId: a.org.id,
        notificationId: null,
        userId: a.user.id,
        webhookId: null,
      })),
      new Date(),
    );
    // A document the update cannot apply to: $inc on a value that is not a number.
    await mongoose.connection
      .collection('notification_deliveries')
      .updateOne({ _id: new mongoose.Types.ObjectId(made[1]!.id) }, { $set: { attempts: 'x' } });
    const results = await updateDeliveries(
      made.map((d) => ({
        id: d.id,
        set: { state: 'sent' as const, sentAt: new Date() },
        inc: { attempts: 1 },
      })),
    );
    expect(results[0]).toBeUndefined();
    expect(results[1]).toBeInstanceOf(Error);
    expect(results[2]).toBeUndefined();
    const states = new Map((await findDeliveriesByKeys(made.map((d) => d.key))).map((d) => [d.id, d.state]));
    expect(made.map((d) => states.get(d.id))).toEqual(['sent', 'pending', 'sent']);
  });
});

describe('bursts and digest', () => {
  it('when 300 suggestions arrive for one reviewer within the window, then they become one notification saying 300', async () => {
    const org = await makeOrg('supporting_federation', '440600');
    const reviewer = await signIn(t.config, await makeUser(org, ['reviewer']), org);
    await setPrefs(reviewer, { email: 'reviewer@example.com', language: 'en' });
    const openings = [oid(), oid(), oid()];
    await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        notify(
          { type: 'match.suggested', data: { matchId: oid(), openingId: openings[i % 3]! } },
          { userId: reviewer.user.id },
          ctx,
        ),
      ),
    );
    const page = await waitFor('the summary', async () => {
      const p = await inbox(reviewer);
      return p.total > 0 && p;
    });
    await new Promise((r) => setTimeout(r, 2500));
    const after = await inbox(reviewer);
    expect(after.total).toBe(1);
    expect(page.items[0].title).toBe('300 new suggestions in your scope');
    expect(page.items[0].data.count).toBe(300);
    const mails = await waitFor('one summary email', () => {
      const m = smtp.received.filter((x) => x.to.includes('reviewer@example.com'));
      return m.length > 0 && m;
    });
    expect(mails).toHaveLength(1);
  });

  it('when a reviewer chose the digest, then suggestions reach the inbox at once and email only in the daily digest', async () => {
    const org = await makeOrg('supporting_federation', '330300');
    const reviewer = await signIn(t.config, await makeUser(org, ['reviewer']), org);
    await setPrefs(reviewer, { email: 'digest@example.com', digest: true });
    const opening = oid();
    for (let i = 0; i < 4; i++)
      await notify(
        { type: 'match.suggested', data: { matchId: oid(), openingId: opening } },
        { userId: reviewer.user.id },
        ctx,
      );
    await waitFor('inbox summary', async () => (await inbox(reviewer)).total === 1);
    await new Promise((r) => setTimeout(r, 500));
    expect(smtp.received.filter((m) => m.to.includes('digest@example.com'))).toEqual([]);

    await enqueue(t.runtime.queues, 'notify.digest', { reason: 'test' });
    const mail = await waitFor('digest email', () =>
      smtp.received.find((m) => m.to.includes('digest@example.com')),
    );
    expect(mail.subject).toBe('每日摘要：4 条匹配建议待审核');
    // A second run the same day sends nothing new.
    await enqueue(t.runtime.queues, 'notify.digest', { reason: 'test' }, { jobId: 'digest-again' });
    await new Promise((r) => setTimeout(r, 1500));
    expect(smtp.received.filter((m) => m.to.includes('digest@example.com'))).toHaveLength(1);
  });
});

describe('webhooks', () => {
  let adminActor: TestActor | undefined;
  /** There is one platform organisation: its admin is made once. */
  async function platformAdmin(): Promise<TestActor> {
    if (!adminActor) {
      const adminOrg = await makeOrg('platform');
      adminActor = await signIn(t.config, await makeUser(adminOrg, ['admin']), adminOrg);
    }
    return adminActor;
  }

  /** The organisation's first failed delivery, as admins list them, once there is one. */
  function firstFailedDelivery(admin: TestActor, organizationId: string) {
    return waitFor('failed delivery', async () => {
      const res = await request(t.app)
        .get('/api/v1/notification-deliveries')
        .query({ state: 'failed', organizationId })
        .set(bearer(admin.token));
      return res.body.items?.[0];
    });
  }

  async function addWebhook(a: TestActor, body: Record<string, unknown>) {
    const res = await request(t.app)
      .post(`/api/v1/organizations/${a.org.id}/webhooks`)
      .set(bearer(a.token))
      .send(body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  }

  it('when the receiver fails for a while, then each delivery arrives once after the outage, signed, and a replay is refused by the README snippet', async () => {
    const verify = await loadReadmeVerifier();
    const a = await employer();
    const hook = await addWebhook(a, { kind: 'generic', name: 'HR system', url: receiver.url('/outage') });
    expect(hook.secret).toMatch(/^whsec_/);
    let failures = 0;
    receiver.respond = ({ path }) => {
      if (path === '/outage' && failures < 3) {
        failures++;
        return { status: 500 };
      }
      return { status: 200 };
    };
    const matchId = oid();
    await notify(
      { type: 'match.proposed', data: { matchId, openingId: oid() } },
      { organizationId: a.org.id, role: 'employer' },
      ctx,
    );
    const ok = await waitFor(
      'delivered after the outage',
      () => receiver.on('/outage').find((r) => r.status === 200),
      30_000,
    );
    await new Promise((r) => setTimeout(r, 1000));
    const all = receiver.on('/outage');
    expect(all.map((r) => r.status)).toEqual([500, 500, 500, 200]);
    expect(new Set(all.map((r) => r.headers['x-tongxin-delivery'])).size).toBe(1);
    const payload = JSON.parse(ok.body);
    expect(payload).toMatchObject({ event: 'match.proposed', organizationId: a.org.id, data: { matchId } });
    expect(verify(hook.secret, ok.headers, ok.body)).toBe(true);
    expect(verify('whsec_wrong', ok.headers, ok.body)).toBe(false);
    // The same request replayed 6 minutes later is refused.
    expect(verify(hook.secret, ok.headers, ok.body, Date.now() + 6 * 60_000)).toBe(false);
  }, 60_000);

  it('when two employers have webhooks, then one never receives the other’s events', async () => {
    const a = await employer();
    const b = await employer();
    await addWebhook(a, { kind: 'generic', name: 'A', url: receiver.url('/a') });
    await addWebhook(b, { kind: 'generic', name: 'B', url: receiver.url('/b') });
    receiver.respond = () => ({ status: 200 });
    for (let i = 0; i < 3; i++)
      await notify(
        { type: 'match.proposed', data: { matchId: oid(), openingId: oid() } },
        { organizationId: a.org.id, role: 'employer' },
        ctx,
      );
    await waitFor('three to A', () => receiver.on('/a').length === 3);
    await new Promise((r) => setTimeout(r, 500));
    expect(receiver.on('/b')).toEqual([]);
    for (const r of receiver.on('/a')) expect(JSON.parse(r.body).organizationId).toBe(a.org.id);
  });

  it('when a WeCom robot is configured, then it gets a markdown message and its key is never shown or logged', async () => {
    const org = await makeOrg('recipient_federation', '513400');
    const staff = await signIn(t.config, await makeUser(org, ['federation_staff']), org);
    receiver.respond = ({ path }) =>
      path === '/cgi-bin/webhook/send'
        ? { status: 200, body: '{"errcode":0,"errmsg":"ok"}' }
        : { status: 200 };
    const key = 'robot-key-0f3c9a';
    const hook = await addWebhook(staff, {
      kind: 'wecom',
      name: '凉山群',
      url: receiver.url(`/cgi-bin/webhook/send?key=${key}`),
    });
    expect(hook.url).toBe(`http://127.0.0.1:${receiver.port}/cgi-bin/webhook/send?key=***`);
    expect(hook.secret).toBeNull();
    await notify(
      { type: 'follow_up.overdue', data: { placementId: oid(), checkpoint: 'm1', dueOn: '2025-04-01' } },
      { organizationId: org.id, role: 'federation_staff' },
      ctx,
    );
    const msg = await waitFor('robot message', () => receiver.on('/cgi-bin/webhook/send')[0]);
    const body = JSON.parse(msg.body);
    expect(body.msgtype).toBe('markdown');
    expect(body.markdown.content).toMatch(/^### 回访已逾期\n/);
    const listed = await request(t.app)
      .get(`/api/v1/organizations/${org.id}/webhooks`)
      .set(bearer(staff.token));
    expect(JSON.stringify(listed.body)).not.toContain(key);
    expect(t.logs.lines.join('\n')).not.toContain(key);
  });

  it('when a WeCom send was interrupted after claiming, then it is not repeated but failed as outcome_unknown for an admin', async () => {
    const org = await makeOrg('recipient_federation', '513300');
    const staff = await signIn(t.config, await makeUser(org, ['federation_staff']), org);
    const hook = await addWebhook(staff, {
      kind: 'wecom',
      name: '甘孜群',
      url: receiver.url('/robot-interrupted?key=k1'),
    });
    const placementId = oid();
    const deliveryKey = `follow_up.due/${placementId}/d7@w/${hook.id}`;
    await host.close();
    try {
      await notify(
        { type: 'follow_up.due', data: { placementId, checkpoint: 'd7', dueOn: '2025-04-01' } },
        { organizationId: org.id, role: 'federation_staff' },
        ctx,
      );
      const [d] = await findDeliveriesByKeys([deliveryKey]);
      // What a worker killed between claiming and recording leaves behind: an old claim.
      await claimModel().create({
        _id: `send/${d!.id}/0`,
        at: new Date(Date.now() - 60_000),
        by: 'dead-worker',
      });
    } finally {
      host = await startWorkerHost(t.config, createLogger('silent'), allProcessors, []);
    }
    const failed = await waitFor('outcome unknown', async () => {
      const [d] = await findDeliveriesByKeys([deliveryKey]);
      return d?.state === 'failed' && d;
    });
    expect(failed.lastError).toMatch(/^outcome_unknown/);
    expect(receiver.on('/robot-interrupted')).toEqual([]);
  });

  it('when a URL is not http(s), then creating the webhook is refused naming the field', async () => {
    const a = await employer();
    const res = await request(t.app)
      .post(`/api/v1/organizations/${a.org.id}/webhooks`)
      .set(bearer(a.token))
      .send({ kind: 'generic', name: 'x', url: 'ftp://example.com/in' });
    expect(res.status).toBe(400);
    expect(res.body.issues[0]).toMatchObject({ path: 'body.url', code: 'webhook_url.scheme' });
  });

  it('when a receiver answers with a redirect, then it is not followed and the delivery fails naming the status', async () => {
    const a = await employer();
    await addWebhook(a, { kind: 'generic', name: 'moved', url: receiver.url('/moved') });
    receiver.respond = ({ path }) =>
      path === '/moved'
        ? { status: 307, headers: { location: receiver.url('/redirected') } }
        : { status: 200 };
    await notify(
      { type: 'match.approved', data: { matchId: oid(), openingId: oid() } },
      { organizationId: a.org.id, role: 'employer' },
      ctx,
    );
    const failed = await firstFailedDelivery(await platformAdmin(), a.org.id);
    expect(failed.lastError).toBe('http status 307');
    expect(receiver.on('/moved')).toHaveLength(1);
    expect(receiver.on('/redirected')).toEqual([]);
  });

  it('when a receiver refuses permanently, then the delivery fails with its last error for admins, and a manual retry sends it', async () => {
    const a = await employer();
    await addWebhook(a, { kind: 'generic', name: 'gone', url: receiver.url('/gone') });
    let gone = true;
    receiver.respond = ({ path }) => (path === '/gone' && gone ? { status: 410 } : { status: 200 });
    await notify(
      { type: 'match.declined', data: { matchId: oid(), openingId: oid() } },
      { organizationId: a.org.id, role: 'employer' },
      ctx,
    );
    const admin = await platformAdmin();
    const failed = await firstFailedDelivery(admin, a.org.id);
    expect(failed).toMatchObject({
      channel: 'webhook',
      state: 'failed',
      attempts: 1,
      lastError: 'http status 410',
    });
    gone = false;
    const retry = await request(t.app)
      .post(`/api/v1/notification-deliveries/${failed.id}/retry`)
      .set(bearer(admin.token));
    expect(retry.status).toBe(202);
    expect(retry.body).toMatchObject({ state: 'pending', generation: 1 });
    await waitFor('delivered on retry', () => receiver.on('/gone').find((r) => r.status === 200));
    const again = await request(t.app)
      .post(`/api/v1/notification-deliveries/${failed.id}/retry`)
      .set(bearer(admin.token));
    expect(again.status).toBe(409);
  });
});
