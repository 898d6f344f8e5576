import mongoose from 'mongoose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDeliveriesByKeys } from '../../src/modules/notifications/deliveries.repository.js';
import { deliveryJobId } from '../../src/modules/notifications/notifications.service.js';
import { sendSms } from '../../src/modules/notifications/sms.js';
import { employerShortName } from '../../src/modules/notifications/sms-templates.js';
import type { Organization } from '../../src/modules/orgs/orgs.repository.js';
import { remindFollowUp } from '../../src/modules/placements/placements.service.js';
import type { WorkerProfile } from '../../src/modules/worker-profiles/worker-profiles.service.js';
import { startWorkerHost, type WorkerHost } from '../../workers/host.js';
import { allProcessors } from '../../workers/processors.js';
import { bearer, makeOrg, makeUser, signIn, type TestActor } from '../fixtures/accounts.js';
import { startTestApp, type TestApp } from '../fixtures/app.js';
import { placementOfHire } from '../fixtures/jobs.js';
import { makeMatch, shareConsent } from '../fixtures/matches.js';
import { makeOpening } from '../fixtures/openings.js';
import { waitFor } from '../fixtures/processes.js';
import { SmsStub } from '../fixtures/sms-stub.js';
import { makeProfile } from '../fixtures/worker-profiles.js';

/**
 * Text messages to job seekers through Tencent Cloud SMS's official SDK, against a loopback stub
 * that verifies the SDK's TC3-HMAC-SHA256 signature and answers like the provider.
 */
const SECRET_KEY = 'sms-test-secret-key-0123456789';
const TEMPLATES = { access_link: '100001', proposal: '100002', follow_up: '100003' };

let stub: SmsStub;
let t: TestApp;
let host: WorkerHost;
let federation: Organization;
let employer: Organization;
let staff: TestActor;
let reviewer: TestActor;
let employerUser: TestActor;
let admin: TestActor;
const secrets: string[] = [];

beforeAll(async () => {
  stub = await SmsStub.start({
    secretId: 'AKIDsmstest',
    secretKey: SECRET_KEY,
    sdkAppId: '1400000001',
    signName: '同心就业',
    templates: { [TEMPLATES.access_link]: 1, [TEMPLATES.proposal]: 1, [TEMPLATES.follow_up]: 1 },
  });
  t = await startTestApp({
    RATE_LIMIT_PER_MINUTE: '100000',
    PUBLIC_URL: 'https://tongxin.example',
    NOTIFY_SEND_TIMEOUT_MS: '3000',
    SMS_PROVIDER: 'tencent',
    SMS_ENDPOINT: stub.endpoint,
    SMS_SECRET_ID: 'AKIDsmstest',
    SMS_SECRET_KEY: SECRET_KEY,
    SMS_SDK_APP_ID: '1400000001',
    SMS_SIGN_NAME: '同心就业',
    SMS_TEMPLATE_ACCESS_LINK: TEMPLATES.access_link,
    SMS_TEMPLATE_PROPOSAL: TEMPLATES.proposal,
    SMS_TEMPLATE_FOLLOW_UP: TEMPLATES.follow_up,
    SMS_PER_NUMBER_PER_HOUR: '2',
  });
  host = await startWorkerHost(t.config, t.deps.logger, allProcessors, []);
  federation = await makeOrg('recipient_federation', '513400');
  employer = await makeOrg('employer', '440600');
  const foshan = await makeOrg('supporting_federation', '440600');
  staff = await signIn(t.config, await makeUser(federation, ['federation_staff']), federation);
  reviewer = await signIn(t.config, await makeUser(foshan, ['reviewer']), foshan);
  employerUser = await signIn(t.config, await makeUser(employer, ['employer']), employer);
  const platform = await makeOrg('platform');
  admin = await signIn(t.config, await makeUser(platform, ['admin']), platform);
});
afterAll(async () => {
  await host?.close();
  await t?.close();
  await stub?.close();
});

const ctx = () => ({ config: t.config, logger: t.deps.logger, queues: t.runtime.queues });

async function person(): Promise<WorkerProfile> {
  const p = await makeProfile(t.deps, federation, '513401');
  expect(p.identity.phone).toMatch(/^1[3-9]\d{9}$/);
  secrets.push(p.identity.phone!, p.identity.idNumber);
  return p;
}

async function deliveryOf(key: string) {
  const [d] = await findDeliveriesByKeys([key]);
  return d!;
}

async function settled(key: string, state: 'sent' | 'failed') {
  return waitFor(`delivery ${state}`, async () => {
    const d = await deliveryOf(key);
    return d?.state === state ? d : undefined;
  });
}

describe('SMS to job seekers', () => {
  it('when staff issue a link with sendSms, then the person gets the link template with the URL, signed', async () => {
    const p = await person();
    const res = await request(t.app)
      .post(`/api/v1/worker-profiles/${p.id}/access-links`)
      .set(bearer(staff.token))
      .send({ sendSms: true });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.sms).toBe('queued');
    secrets.push(new URL(res.body.url).hash.slice(3));

    const [msg] = await waitFor('the link SMS', () =>
      stub.sentTo(p.identity.phone!).length ? stub.sentTo(p.identity.phone!) : undefined,
    );
    expect(msg).toMatchObject({
      templateId: TEMPLATES.access_link,
      params: [res.body.url],
      signName: '同心就业',
      signatureOk: true,
    });
    const d = await settled(`sms/access_link/access-link/${res.body.id}@p/${p.id}`, 'sent');
    expect(msg!.sessionContext).toBe(d.id);
    // The token travels only inside the sealed variables.
    expect(JSON.stringify(d.data)).not.toContain(new URL(res.body.url).hash.slice(3));
    expect(d).toMatchObject({ channel: 'sms', type: 'sms.access_link', profileId: p.id, attempts: 1 });
  });

  it('when a reviewer proposes a job, then the person gets the proposal template naming the employer', async () => {
    const p = await person();
    const opening = await makeOpening(t.deps, employer, 'open');
    const m = await makeMatch(p, opening, { status: 'approved' });
    await shareConsent(t.deps, federation, p, opening);
    const res = await request(t.app)
      .post(`/api/v1/matches/${m.id}/propose`)
      .set(bearer(reviewer.token))
      .send({});
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const [msg] = await waitFor('the proposal SMS', () =>
      stub.sentTo(p.identity.phone!).length ? stub.sentTo(p.identity.phone!) : undefined,
    );
    expect(msg).toMatchObject({ templateId: TEMPLATES.proposal, params: [employerShortName(employer.name)] });
  });

  it('when a hired person’s follow-up visit is due, then they get the follow-up template with its day', async () => {
    const p = await person();
    const opening = await makeOpening(t.deps, employer, 'open');
    const m = await makeMatch(p, opening, { status: 'approved' });
    await shareConsent(t.deps, federation, p, opening);
    const act = async (who: TestActor, action: string, body: Record<string, unknown> = {}) => {
      const res = await request(t.app)
        .post(`/api/v1/matches/${m.id}/${action}`)
        .set(bearer(who.token))
        .send(body);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body;
    };
    await act(reviewer, 'propose');
    await act(employerUser, 'interested');
    // Started 8 days ago: only the 7-day visit is due, so no other reminder (nor the per-number
    // limit they would use up) comes between.
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const hire = await act(employerUser, 'hire', {
      contractStart: day(-8),
      contractEnd: day(357),
      monthlyWage: 4200,
      socialInsurance: true,
    });
    const hired = { placementId: await placementOfHire(t, hire.id) };
    const placement = await request(t.app)
      .get(`/api/v1/placements/${hired.placementId}`)
      .set(bearer(staff.token));
    expect(placement.status, JSON.stringify(placement.body)).toBe(200);
    const first = placement.body.checkpoints[0] as { code: string; dueOn: string };
    await remindFollowUp(ctx(), hired.placementId, first.code, 'due', new Date());
    const [, monthDay] = /^\d{4}-(\d{2}-\d{2})$/.exec(first.dueOn)!;
    const [month, date] = monthDay!.split('-').map(Number);
    const followUps = () =>
      stub
        .sentTo(p.identity.phone!)
        .filter((r) => r.templateId === TEMPLATES.follow_up)
        .map((r) => r.params);
    await waitFor('the follow-up SMS', () => followUps().length > 0);
    await waitFor(`the follow-up SMS of ${first.dueOn}`, () =>
      followUps().some((params) => params.join() === `${month}月${date}日`),
    );
    expect(followUps()).toContainEqual([`${month}月${date}日`]);
  });

  it('when the provider answers a retryable error, then the message is retried and sent once', async () => {
    const p = await person();
    stub.failNext({ error: 'InternalError.SendAndRecvFail', message: '接口超时或短信收发包超时' }, 2);
    const out = await sendSms(ctx(), {
      template: 'follow_up',
      profileId: p.id,
      organizationId: federation.id,
      eventKey: 'retry-test',
      vars: ['2026-03-12'],
    });
    expect(out.queued).toBe(true);
    const d = await settled(`sms/follow_up/retry-test@p/${p.id}`, 'sent');
    expect(d.attempts).toBe(3);
    expect(stub.sentTo(p.identity.phone!)).toHaveLength(1);
    expect(stub.sentTo(p.identity.phone!)[0]!.params).toEqual(['3月12日']);
  });

  it('when the provider refuses for good (template, number limit, signature), then the delivery fails at once, listed for admins', async () => {
    expect.hasAssertions();
    const cases = [
      {
        error: 'FailedOperation.TemplateIncorrectOrUnapproved',
        message: 'Template is not approved or is not found.',
      },
      { status: 'LimitExceeded.PhoneNumberDailyLimit', message: '单个手机号日下发短信条数超过设定的上限' },
      { status: 'InvalidParameterValue.IncorrectPhoneNumber', message: '手机号格式错误' },
    ];
    for (const [i, answer] of cases.entries()) {
      const p = await person();
      stub.failNext(answer);
      await sendSms(ctx(), {
        template: 'follow_up',
        profileId: p.id,
        organizationId: federation.id,
        eventKey: `refused-${i}`,
        vars: ['2026-04-01'],
      });
      const d = await settled(`sms/follow_up/refused-${i}@p/${p.id}`, 'failed');
      const code = ('error' in answer ? answer.error : answer.status) as string;
      expect(d.attempts).toBe(1);
      expect(d.lastError).toContain(code);
      const listed = await request(t.app)
        .get('/api/v1/notification-deliveries')
        .query({ state: 'failed', channel: 'sms' })
        .set(bearer(admin.token));
      expect(listed.status, JSON.stringify(listed.body)).toBe(200);
      expect(listed.body.items.find((x: { id: string }) => x.id === d.id)).toMatchObject({
        channel: 'sms',
        profileId: p.id,
        lastError: expect.stringContaining(code),
      });
    }
  });

  it('when the signing key is wrong, then the stub refuses the signature and the delivery fails', async () => {
    const p = await person();
    const right = stub.opts.secretKey;
    (stub.opts as { secretKey: string }).secretKey = `${right}-rotated`;
    try {
      await sendSms(ctx(), {
        template: 'follow_up',
        profileId: p.id,
        organizationId: federation.id,
        eventKey: 'bad-signature',
        vars: ['2026-05-01'],
      });
      const d = await settled(`sms/follow_up/bad-signature@p/${p.id}`, 'failed');
      expect(d.lastError).toContain('AuthFailure.SignatureFailure');
    } finally {
      (stub.opts as { secretKey: string }).secretKey = right;
    }
    expect(
      stub.requests.filter((r) => r.phone === `+86${p.identity.phone}`).map((r) => r.signatureOk),
    ).toEqual([false]);
  });

  it('when the same event is sent twice (also at once), then one message goes out', async () => {
    const p = await person();
    const send = () =>
      sendSms(ctx(), {
        template: 'follow_up',
        profileId: p.id,
        organizationId: federation.id,
        eventKey: 'twice',
        vars: ['2026-06-01'],
      });
    await Promise.all([send(), send(), send()]);
    await settled(`sms/follow_up/twice@p/${p.id}`, 'sent');
    await send();
    await new Promise((r) => setTimeout(r, 500));
    expect(stub.requests.filter((r) => r.phone === `+86${p.identity.phone}`)).toHaveLength(1);
    expect(await findDeliveriesByKeys([`sms/follow_up/twice@p/${p.id}`])).toHaveLength(1);
  });

  it('when more messages than the per-number limit are due within the hour, then the extra one waits', async () => {
    const p = await person();
    for (const day of ['01', '02', '03'])
      await sendSms(ctx(), {
        template: 'follow_up',
        profileId: p.id,
        organizationId: federation.id,
        eventKey: `limit-${day}`,
        vars: [`2026-07-${day}`],
      });
    await waitFor('two messages', () => stub.sentTo(p.identity.phone!).length === 2);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(stub.sentTo(p.identity.phone!)).toHaveLength(2);
    const states = await findDeliveriesByKeys(
      ['01', '02', '03'].map((day) => `sms/follow_up/limit-${day}@p/${p.id}`),
    );
    expect(states.map((d) => d.state).sort()).toEqual(['pending', 'sent', 'sent']);
    const waiting = states.find((d) => d.state === 'pending')!;
    expect(await t.runtime.queues['notify-sms'].getJobState(deliveryJobId(waiting))).toBe('delayed');
  });

  it('when SMS went out, then no phone number, ID number or link token is in the logs or the delivery records', async () => {
    expect(secrets.length).toBeGreaterThan(5);
    const logs = t.logs.lines.join('\n');
    const records = JSON.stringify(
      await mongoose.connection.db!.collection('notification_deliveries').find({ channel: 'sms' }).toArray(),
    );
    for (const s of secrets) {
      expect(logs).not.toContain(s);
      expect(records).not.toContain(s);
    }
  });
});
