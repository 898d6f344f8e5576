import { Queue } from 'bullmq';
import mongoose from 'mongoose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueue } from '../../src/jobs/queues.js';
import { listHeartbeats } from '../../src/modules/system/system.repository.js';
import { startTestApp, type TestApp } from '../fixtures/app.js';
import { OwnRedis, spawnEntry, stopChild, waitFor } from '../fixtures/processes.js';

let redis: OwnRedis;
let t: TestApp;
let worker: ReturnType<typeof spawnEntry> | undefined;

beforeAll(async () => {
  redis = await OwnRedis.create();
  t = await startTestApp({ REDIS_URL: redis.url });
});
afterAll(async () => {
  if (worker) await stopChild(worker);
  await t?.close();
  await redis?.stop();
});

async function heartbeatWithToken(token: string) {
  const beats = await listHeartbeats();
  return beats.find((b) => b.lastToken === token);
}

describe('when Redis goes away and comes back', () => {
  it('then /readyz answers 503 naming redis within seconds, and 200 again without an API restart', async () => {
    await request(t.app).get('/readyz').expect(200);
    await redis.stop();
    const down = await waitFor(
      'readyz 503',
      async () => {
        const res = await request(t.app).get('/readyz');
        return res.status === 503 ? res : undefined;
      },
      5_000,
    );
    expect(down.body.down).toEqual(['redis']);
    expect(down.body.checks.mongodb.status).toBe('up');

    await redis.start();
    const up = await waitFor(
      'readyz 200',
      async () => {
        const res = await request(t.app).get('/readyz');
        return res.status === 200 ? res : undefined;
      },
      10_000,
    );
    expect(up.body.down).toEqual([]);
  });

  it('then the worker process keeps consuming after Redis was stopped for 20 s', async () => {
    worker = spawnEntry('workers/main.ts', {
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      MONGODB_URI: t.config.mongo.uri,
      REDIS_URL: redis.url,
      QUEUE_PREFIX: t.config.redis.queuePrefix,
      WORKER_METRICS_PORT: '0',
    });
    await enqueue(
      t.runtime.queues,
      'system.heartbeat',
      { reason: 'test', token: 'before' },
      { jobId: 'hb-before' },
    );
    await waitFor('heartbeat before the outage', () => heartbeatWithToken('before'), 30_000);

    await redis.stop();
    await new Promise((r) => setTimeout(r, 20_000));
    expect(worker.exitCode).toBeNull(); // the worker waited for Redis instead of dying
    await redis.start();

    // A fresh queue connection, as a restarted API would have.
    const queue = new Queue('system', { connection: { url: redis.url }, prefix: t.config.redis.queuePrefix });
    await queue.add('system.heartbeat', { reason: 'test', token: 'after' }, { jobId: 'hb-after' });
    await queue.close();
    const beat = await waitFor('heartbeat after the outage', () => heartbeatWithToken('after'), 30_000);
    expect(beat.pid).toBe(worker.pid);
    expect(mongoose.connection.readyState).toBe(1);
  }, 90_000);
});
