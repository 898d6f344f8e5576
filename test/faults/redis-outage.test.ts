import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, makeOrg, makeUser, signIn, type TestActor } from '../fixtures/accounts.js';
import { startTestApp, type TestApp } from '../fixtures/app.js';
import { OwnRedis, spawnEntry, stopChild, waitFor } from '../fixtures/processes.js';
import { figures, sleep, startWriteLoad } from './support.js';

/**
 * Redis stopped for 30 s during a write load (a private Redis: the shared one is never stopped).
 * Acceptance: every acknowledged write is there afterwards; the index has caught up within 60 s of
 * Redis returning; every job Redis accepted has run (none waiting, none failed).
 */
let redis: OwnRedis;
let t: TestApp;
let staff: TestActor;
let worker: ReturnType<typeof spawnEntry> | undefined;

beforeAll(async () => {
  redis = await OwnRedis.create();
  t = await startTestApp({ REDIS_URL: redis.url, SEARCH_SYNC_INTERVAL_MS: '1000' });
  const org = await makeOrg('recipient_federation', '513400');
  staff = await signIn(t.config, await makeUser(org, ['federation_staff']), org);
  worker = spawnEntry('workers/main.ts', {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    MONGODB_URI: t.config.mongo.uri,
    REDIS_URL: redis.url,
    QUEUE_PREFIX: t.config.redis.queuePrefix,
    SEARCH_INDEX_PREFIX: t.config.search.indexPrefix,
    WORKER_METRICS_PORT: '0',
  });
});
afterAll(async () => {
  if (worker) await stopChild(worker);
  await t?.close();
  await redis?.stop();
});

describe('when Redis is stopped for 30 s during a write load', () => {
  it('then every acknowledged write is present, the index catches up within 60 s, and no accepted job is lost', async () => {
    const load = startWriteLoad(t.app, staff.token, '513431', 250);
    await sleep(8_000);
    await redis.stop();
    await sleep(30_000);
    await redis.start();
    const back = Date.now();
    await sleep(8_000);
    await load.stop();

    // Every acknowledged write is in MongoDB.
    let present = 0;
    for (const id of load.acknowledged)
      if ((await request(t.app).get(`/api/v1/worker-profiles/${id}`).set(bearer(staff.token))).status === 200)
        present++;

    // The index has every profile (the embedded engine's follower reads MongoDB, not Redis).
    const searchTotal = async () =>
      (await request(t.app).get('/api/v1/search/worker-profiles?limit=0').set(bearer(staff.token))).body
        .total as number;
    await waitFor(
      'the index caught up',
      async () => (await searchTotal()) >= load.acknowledged.length,
      60_000,
      500,
    );
    const indexCaughtUpMs = Date.now() - back;

    // Every job Redis accepted has run: nothing waiting or active, nothing failed.
    const counts = async () => {
      const all = { waiting: 0, active: 0, prioritized: 0, completed: 0, failed: 0 };
      for (const q of Object.values(t.runtime.queues)) {
        const c = await q.getJobCounts('waiting', 'active', 'prioritized', 'completed', 'failed');
        for (const k of Object.keys(all) as (keyof typeof all)[]) all[k] += c[k] ?? 0;
      }
      return all;
    };
    const drained = await waitFor(
      'the queues drained',
      async () => {
        const c = await counts();
        return c.waiting + c.active + c.prioritized === 0 ? c : undefined;
      },
      Math.max(1_000, 60_000 - (Date.now() - back)),
      500,
    );
    const notPublished = t.logs.lines.filter((l) => l.includes('change not published')).length;
    figures('redis-stopped-30s', {
      writesAttempted: Object.values(load.statuses).reduce((a, b) => a + b, 0),
      writesAcknowledged: load.acknowledged.length,
      writesPresent: present,
      statuses: JSON.stringify(load.statuses),
      changesNotPublishedWhileDown: notPublished,
      jobsCompleted: drained.completed,
      jobsFailed: drained.failed,
      indexCaughtUpMsAfterRedisBack: indexCaughtUpMs,
    });
    expect(present).toBe(load.acknowledged.length);
    expect(load.acknowledged.length).toBeGreaterThan(0);
    expect(indexCaughtUpMs).toBeLessThanOrEqual(60_000);
    expect(drained.failed).toBe(0);
    // Redis returned: jobs were accepted again and all of them ran.
    expect(drained.completed).toBeGreaterThan(0);
  });
});
