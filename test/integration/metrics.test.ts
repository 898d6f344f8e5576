import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueue } from '../../src/jobs/queues.js';
import { bearer, makeOrg, makeUser, signIn } from '../fixtures/accounts.js';
import { startTestApp, type TestApp } from '../fixtures/app.js';
import { freePort, spawnEntry, stopChild, waitFor } from '../fixtures/processes.js';

let t: TestApp;
let worker: ReturnType<typeof spawnEntry> | undefined;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  if (worker) await stopChild(worker);
  await t?.close();
});

describe('metrics', () => {
  it('when an admin scrapes /metrics, then request durations by route and status are there', async () => {
    const org = await makeOrg('platform');
    const admin = await signIn(t.config, await makeUser(org, ['admin']), org);
    await request(t.app).get('/healthz').expect(200);
    const res = await request(t.app).get('/metrics').set(bearer(admin.token)).expect(200);
    expect(res.text).toMatch(
      /tongxin_http_request_duration_seconds_bucket\{[^}]*route="\/healthz"[^}]*status="200"/,
    );
    expect(res.text).toMatch(/tongxin_queue_jobs\{/);
  });

  it('when a federation user scrapes /metrics, then 403', async () => {
    const org = await makeOrg('recipient_federation', '513400');
    const staff = await signIn(t.config, await makeUser(org, ['federation_staff']), org);
    await request(t.app).get('/metrics').set(bearer(staff.token)).expect(403);
  });

  it('when the worker processes jobs, then its metrics port reports durations, failures and queue depths', async () => {
    const port = await freePort();
    worker = spawnEntry('workers/main.ts', {
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      MONGODB_URI: t.config.mongo.uri,
      REDIS_URL: t.config.redis.url,
      QUEUE_PREFIX: t.config.redis.queuePrefix,
      WORKER_METRICS_PORT: String(port),
    });
    await enqueue(
      t.runtime.queues,
      'system.heartbeat',
      { reason: 'test', token: 'metrics' },
      { jobId: 'hb-metrics' },
    );
    const text = await waitFor(
      'worker metrics with a completed heartbeat',
      async () => {
        const body = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
        return /tongxin_job_duration_seconds_count\{[^}]*job="system.heartbeat"[^}]*outcome="completed"\} [1-9]/.test(
          body,
        )
          ? body
          : undefined;
      },
      30_000,
      250,
    );
    expect(text).toMatch(/tongxin_queue_jobs\{queue="system",state="waiting"\}/);
    expect(text).toMatch(/# TYPE tongxin_job_failures_total counter/);
  });
});
