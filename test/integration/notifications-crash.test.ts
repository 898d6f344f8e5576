import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  countDeliveries,
  findDeliveriesByKeys,
  savePreference,
} from '../../src/modules/notifications/notifications.repository.js';
import { notify } from '../../src/modules/notifications/notifications.service.js';
import { makeOrg, makeUser } from '../fixtures/accounts.js';
import { startTestApp, type TestApp } from '../fixtures/app.js';
import { spawnEntry, stopChild, waitFor } from '../fixtures/processes.js';
import { TestSmtpServer } from '../fixtures/smtp.js';

/**
 * Acceptance: the worker process is killed with SIGKILL while it delivers 1,000 emails and then
 * restarted; the SMTP server must hold each message, and none twice — except where SMTP itself
 * cannot tell (RFC 1047: the server accepted, the worker died before recording it), and then the
 * repeat carries the same Message-ID and is counted on the delivery as an interrupted send.
 */

const TOTAL = 1000;
let t: TestApp;
let smtp: TestSmtpServer;
let worker: ReturnType<typeof spawnEntry> | undefined;

const hex = (n: number) => n.toString(16).padStart(24, '0');

beforeAll(async () => {
  smtp = await TestSmtpServer.start();
  t = await startTestApp({ SMTP_PORT: String(smtp.port) });
});
afterAll(async () => {
  if (worker) await stopChild(worker, 'SIGKILL');
  await t?.close();
  await smtp?.close();
});

function startWorker() {
  return spawnEntry('workers/main.ts', {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    MONGODB_URI: t.config.mongo.uri,
    REDIS_URL: t.config.redis.url,
    QUEUE_PREFIX: t.config.redis.queuePrefix,
    WORKER_METRICS_PORT: '0',
    // The port of this test's own SMTP server.
    SMTP_PORT: String(smtp.port),
    NOTIFY_EMAIL_PER_SECOND: '250',
    WORKER_LOCK_DURATION_MS: '3000',
    NOTIFY_SEND_TIMEOUT_MS: '2000',
  });
}

describe('when the worker is killed while delivering 1,000 emails and restarted', () => {
  it('then the SMTP server holds every message once per Message-ID, and repeats only where a send was interrupted', async () => {
    const org = await makeOrg('employer', '440600');
    const users = [];
    for (let i = 0; i < 10; i++) {
      const u = await makeUser(org, ['employer']);
      await savePreference(u.id, { email: `crash${i}@example.com` });
      users.push(u);
    }
    const ctx = { config: t.config, logger: t.deps.logger, queues: t.runtime.queues };
    const keys: string[] = [];
    for (let i = 0; i < TOTAL; i++) {
      const user = users[i % users.length]!;
      const importId = hex(i + 1);
      await notify(
        { type: 'import.finished', data: { importId, created: i, updated: 0, failed: 0 } },
        { userId: user.id },
        ctx,
      );
      keys.push(`import.finished/${importId}@${user.id}/email`);
    }
    const deliveries = await findDeliveriesByKeys(keys);
    expect(deliveries).toHaveLength(TOTAL);

    worker = startWorker();
    await waitFor('the first emails', () => smtp.received.length > 0, 60_000, 20);
    // Killed at a moment unrelated to any one send (not right after a reception).
    await new Promise((r) => setTimeout(r, 400 + Math.floor(Math.random() * 800)));
    const atKill = smtp.received.length;
    await stopChild(worker, 'SIGKILL');
    expect(atKill).toBeGreaterThan(0);
    expect(atKill).toBeLessThan(TOTAL);

    worker = startWorker();
    await waitFor(
      'every delivery sent',
      async () => (await countDeliveries({ state: 'sent', channel: 'email' })) === TOTAL,
      120_000,
      250,
    );
    await new Promise((r) => setTimeout(r, 1000));

    const byDelivery = new Map<string, number>();
    for (const m of smtp.received) byDelivery.set(m.deliveryId, (byDelivery.get(m.deliveryId) ?? 0) + 1);
    const expected = new Set(deliveries.map((d) => d.id));
    expect(new Set(byDelivery.keys())).toEqual(expected);
    // Each Message-ID names one delivery: a repeat is recognisable as the same message.
    for (const m of smtp.received) expect(m.messageId).toBe(`<notification-${m.deliveryId}@tongxin.local>`);

    const repeated = [...byDelivery.entries()].filter(([, n]) => n > 1).map(([id]) => id);
    const after = await findDeliveriesByKeys(keys);
    const interrupted = new Set(after.filter((d) => d.interruptedSends > 0).map((d) => d.id));
    for (const id of repeated) {
      expect(byDelivery.get(id)).toBe(2);
      expect(interrupted.has(id), `delivery ${id} was repeated without an interrupted send`).toBe(true);
    }
    // At most the sends in flight at the kill can be ambiguous (queue concurrency 8).
    expect(repeated.length).toBeLessThanOrEqual(8);
    console.log(
      JSON.stringify({
        received: smtp.received.length,
        atKill,
        distinct: byDelivery.size,
        repeated: repeated.length,
        interrupted: interrupted.size,
      }),
    );
  }, 240_000);
});
