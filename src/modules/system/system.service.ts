import type { Redis } from 'ioredis';
import type { Queues } from '../../jobs/queues.js';
import { pingMongo, withTimeout } from '../../lib/db/index.js';
import { pingRedis } from '../../lib/redis.js';
import type { IndexDefinition, SearchDocument, SearchEngine } from '../../lib/search/index.js';
import { SEARCH_INDEXES } from '../../lib/search/indexes.js';

export interface DependencyState {
  status: 'up' | 'down';
  latencyMs: number;
  error?: string;
}

async function probe(check: () => Promise<void>): Promise<DependencyState> {
  const started = performance.now();
  try {
    await withTimeout(check(), 2_000);
    return { status: 'up', latencyMs: Math.round(performance.now() - started) };
  } catch (err) {
    return {
      status: 'down',
      latencyMs: Math.round(performance.now() - started),
      error: err instanceof Error ? err.message : String(err),
    };
  }
}

/** The engine answers and every index exists with its declared settings (a search would 503 otherwise). */
async function searchReady(search: SearchEngine): Promise<void> {
  await search.health();
  await Promise.all(
    (Object.values(SEARCH_INDEXES) as IndexDefinition<SearchDocument>[]).map((d) => search.index(d).check()),
  );
}

/** Checks every backing service in parallel; the caller answers 503 naming those that are down. */
export async function readiness(deps: { redis: Redis; search: SearchEngine }) {
  const [mongodb, redis, search] = await Promise.all([
    probe(() => pingMongo()),
    probe(() => pingRedis(deps.redis)),
    probe(() => searchReady(deps.search)),
  ]);
  const checks = { mongodb, redis, search };
  const down = Object.entries(checks)
    .filter(([, s]) => s.status === 'down')
    .map(([name]) => name);
  return { status: down.length ? ('unavailable' as const) : ('ready' as const), checks, down };
}

/**
 * Failed and waiting jobs of every queue, from BullMQ. Delayed jobs are left out: scheduled
 * reminders wait there for months by design.
 */
export async function queueHealth(queues: Queues) {
  return Promise.all(
    Object.entries(queues).map(async ([name, queue]) => {
      const c = await queue.getJobCounts('failed', 'waiting', 'prioritized');
      return {
        queue: name,
        failed: c.failed ?? 0,
        waiting: (c.waiting ?? 0) + (c.prioritized ?? 0),
      };
    }),
  );
}
