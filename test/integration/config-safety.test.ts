import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig, uniqueName, withDatabase } from '../fixtures/app.js';
import { OwnRedis, spawnEntry } from '../fixtures/processes.js';

/**
 * The start-up refusals that need a live Redis: each entry point is started as a real process in
 * production mode against a private Redis whose eviction policy is wrong.
 */
const secrets = {
  NODE_ENV: 'production',
  FIELD_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64'),
  HASH_KEY: 'h'.repeat(40),
  SESSION_SECRET: 's'.repeat(40),
  LOG_LEVEL: 'warn',
  WORKER_METRICS_PORT: '0',
};

let redis: OwnRedis;
const name = uniqueName('cfg');

beforeAll(async () => {
  redis = await OwnRedis.create();
  testConfig(name); // fails early when the shared services are not configured
});
afterAll(async () => {
  await redis.stop();
});

function exitOf(child: ReturnType<typeof spawnEntry>): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

describe('configuration safety at start', () => {
  for (const entry of ['src/server.ts', 'workers/main.ts']) {
    it(`when Redis may evict keys in production, then ${entry} refuses to start naming the policy`, async () => {
      const { Redis } = await import('ioredis');
      const admin = new Redis(redis.url);
      await admin.config('SET', 'maxmemory-policy', 'allkeys-lru');
      admin.disconnect();
      const child = spawnEntry(entry, {
        ...secrets,
        PORT: '0',
        MONGODB_URI: withDatabase(process.env.MONGODB_URI!, name),
        REDIS_URL: redis.url,
        QUEUE_PREFIX: name,
      });
      const timeout = new Promise<'running'>((r) => setTimeout(() => r('running'), 45_000).unref());
      const code = await Promise.race([exitOf(child), timeout]);
      if (code === 'running') child.kill('SIGKILL');
      expect(code).not.toBe('running');
      expect(code).not.toBe(0);
      expect(child.output.join('')).toMatch(/maxmemory-policy is "allkeys-lru"/);
    });
  }

  it('when production keeps a demo secret, then the API exits with EX_CONFIG before touching any service', async () => {
    const child = spawnEntry('src/server.ts', {
      ...secrets,
      SESSION_SECRET: 'demo-only-session-secret-change-me-0123456789',
      REDIS_URL: redis.url,
    });
    expect(await exitOf(child)).toBe(78);
    expect(child.output.join('')).toMatch(/SESSION_SECRET: the demo value/);
  });
});
