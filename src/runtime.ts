import type { Redis } from 'ioredis';
import type { Config } from './config.js';
import { createQueues, type Queues } from './jobs/queues.js';
import { connectMongo, disconnectMongo } from './lib/db/index.js';
import type { Logger } from './lib/logger.js';
import { assertNoEviction, createProducerConnection } from './lib/redis.js';
import { createSearchEngine, type SearchEngine } from './lib/search/index.js';

export interface Runtime {
  redis: Redis;
  queues: Queues;
  search: SearchEngine;
  close(): Promise<void>;
}

/**
 * Connects what the API needs. MongoDB must answer at start (nothing works without it); Redis and
 * search may come later — readiness reports them and the producer fails fast until then.
 */
export async function startApiRuntime(config: Config, logger: Logger): Promise<Runtime> {
  await connectMongo(config.mongo.uri, logger);
  const redis = createProducerConnection(config.redis.url);
  redis.on('error', (err) => logger.warn({ err: err.message }, 'redis (producer) error'));
  await checkEvictionPolicy(redis, config, logger);
  const queues = createQueues(redis, config.redis.queuePrefix, logger);
  const search = createSearchEngine(config, 'api');
  return {
    redis,
    queues,
    search,
    async close() {
      for (const q of Object.values(queues)) await q.close().catch(() => undefined);
      redis.disconnect();
      await search.close();
      await disconnectMongo();
    },
  };
}

/** In production a Redis that may evict keys is refused outright (it would lose jobs). */
export async function checkEvictionPolicy(redis: Redis, config: Config, logger: Logger): Promise<void> {
  try {
    await new Promise<void>((resolve, reject) => {
      if (redis.status === 'ready') return resolve();
      const timer = setTimeout(() => reject(new Error('redis not ready after 5 s')), 5_000);
      redis.once('ready', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    await assertNoEviction(redis);
  } catch (err) {
    if (config.isProduction) throw err;
    logger.warn({ err: (err as Error).message }, 'could not confirm Redis maxmemory-policy noeviction');
  }
}
