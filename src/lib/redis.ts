import { Redis, type RedisOptions } from 'ioredis';

/**
 * Connections by role (DESIGN §7.9). The API's producer fails fast: with Redis down a request gets
 * a 503 at once instead of hanging, and the write it made in MongoDB still stands for the sweeper
 * to pick up. Workers wait for Redis forever (`maxRetriesPerRequest: null` is what BullMQ needs).
 */
export function createProducerConnection(url: string, extra: RedisOptions = {}): Redis {
  return new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
    lazyConnect: false,
    ...extra,
  });
}

export function createWorkerConnection(url: string, extra: RedisOptions = {}): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: null,
    enableReadyCheck: false,
    retryStrategy: (times) => Math.min(times * 500, 5_000),
    ...extra,
  });
}

export async function pingRedis(redis: Redis): Promise<void> {
  if (redis.status !== 'ready') throw new Error(`redis ${redis.status}`);
  const pong = await redis.ping();
  if (pong !== 'PONG') throw new Error(`unexpected reply ${pong}`);
}

/** Refuses a Redis that may evict BullMQ keys: an evicted job is a lost job. */
export async function assertNoEviction(redis: Redis): Promise<void> {
  const reply = (await redis.config('GET', 'maxmemory-policy')) as string[];
  const policy = reply[1];
  if (policy !== 'noeviction') {
    throw new Error(
      `Redis maxmemory-policy is "${policy}"; it must be "noeviction" or queued jobs can be lost`,
    );
  }
}
