import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/lib/logger.js';
import { notify } from '../../src/modules/notifications/notifications.service.js';
import { maskWebhookUrl } from '../../src/modules/notifications/webhook-url.js';
import { insertWebhook, newObjectId } from '../../src/modules/notifications/webhooks.repository.js';
import { webhookCipher } from '../../src/modules/notifications/webhooks.service.js';
import { startWorkerHost, type WorkerHost } from '../../workers/host.js';
import { allProcessors } from '../../workers/processors.js';
import { bearer, makeOrg, makeUser, signIn } from '../fixtures/accounts.js';
import { startTestApp, type TestApp } from '../fixtures/app.js';
import { waitFor } from '../fixtures/processes.js';
import { TestReceiver } from '../fixtures/receiver.js';
import { REFUSED } from '../fixtures/ssrf-targets.js';

// Private targets are NOT allowed here (the production default). The only listener is on
// 127.0.0.1, and nothing may reach it; no other address is ever connected to.
let t: TestApp;
let receiver: TestReceiver;
let host: WorkerHost;

beforeAll(async () => {
  receiver = await TestReceiver.start();
  t = await startTestApp({
    NOTIFY_WEBHOOK_ALLOW_PRIVATE: 'false',
    NOTIFY_WEBHOOK_PER_SECOND: '1000',
    NOTIFY_SEND_TIMEOUT_MS: '3000',
    RATE_LIMIT_PER_MINUTE: '100000',
  });
  host = await startWorkerHost(t.config, createLogger('silent'), allProcessors, []);
});
afterAll(async () => {
  await host?.close();
  await t?.close();
  await receiver?.close();
});

async function employer() {
  const org = await makeOrg('employer', '440600');
  return signIn(t.config, await makeUser(org, ['employer']), org);
}

describe('webhook targets inside', () => {
  it('when a webhook is created for a loopback, private or metadata target in any notation, then it is refused naming the field', async () => {
    expect.hasAssertions();
    const a = await employer();
    for (const [url] of REFUSED) {
      const res = await request(t.app)
        .post(`/api/v1/organizations/${a.org.id}/webhooks`)
        .set(bearer(a.token))
        .send({ kind: 'generic', name: 'inside', url });
      expect(res.status, url).toBe(400);
      expect(res.headers['content-type'], url).toMatch(/^application\/problem\+json/);
      expect(res.body.code, url).toBe('validation_failed');
      expect(res.body.issues, url).toEqual([
        expect.objectContaining({ path: 'body.url', code: 'webhook_url.private_address' }),
      ]);
    }
    const listed = await request(t.app)
      .get(`/api/v1/organizations/${a.org.id}/webhooks`)
      .set(bearer(a.token));
    expect(listed.body.items ?? listed.body).toEqual([]);
  });

  it('when a stored webhook names a host resolving to loopback, or a loopback literal, then nothing is delivered and the delivery records the refusal', async () => {
    expect.hasAssertions();
    const a = await employer();
    // Stored directly, as if created while private targets were allowed: the send-time checks
    // must hold on their own.
    const targets = [
      `http://localhost:${receiver.port}/by-name`,
      `http://[::ffff:127.0.0.1]:${receiver.port}/mapped`,
    ];
    const cipher = webhookCipher(t.config);
    for (const url of targets) {
      const id = newObjectId();
      await insertWebhook({
        id,
        organizationId: a.org.id,
        kind: 'generic',
        name: 'inside',
        urlEncrypted: cipher.encrypt(url, { field: 'url', recordId: id }),
        urlMasked: maskWebhookUrl(url),
        secretEncrypted: cipher.encrypt('whsec_test', { field: 'secret', recordId: id }),
        events: [],
        language: 'zh-CN',
        enabled: true,
      });
    }
    await notify(
      { type: 'match.approved', data: { matchId: newObjectId(), openingId: newObjectId() } },
      { organizationId: a.org.id, role: 'employer' },
      { config: t.config, logger: t.deps.logger, queues: t.runtime.queues },
    );
    const adminOrg = await makeOrg('platform');
    const admin = await signIn(t.config, await makeUser(adminOrg, ['admin']), adminOrg);
    const failed = await waitFor('both deliveries refused', async () => {
      const res = await request(t.app)
        .get('/api/v1/notification-deliveries')
        .query({ state: 'failed', organizationId: a.org.id })
        .set(bearer(admin.token));
      return res.body.items?.length === 2 && res.body.items;
    });
    for (const d of failed) {
      expect(d.attempts).toBe(1);
      expect(d.lastError).toMatch(/refused: .*loopback/);
    }
    await new Promise((r) => setTimeout(r, 500));
    expect(receiver.requests).toEqual([]);
  });
});
