import type { Config } from '../../config.js';
import type { Logger } from '../../lib/logger.js';
import { isEmbedded, type SearchEngine } from '../../lib/search/index.js';
import { subscribeSearchChanges } from './search.changes.js';
import { type SearchFollower, startSearchFollower } from './search.follower.js';
import { searchSources } from './search.sources.js';

/**
 * What the API process runs to keep search in step with MongoDB: with the embedded engine, the
 * follower (rebuild at start, then the change events from Redis, with a rare sweep); with
 * Meilisearch nothing — the worker writes the index from change jobs and sweeps. Call after the
 * reference data is in place (labels).
 */
export function startApiSearchSync(deps: {
  config: Config;
  logger: Logger;
  search: SearchEngine;
}): SearchFollower | null {
  if (!isEmbedded(deps.search)) return null;
  const { config, logger } = deps;
  return startSearchFollower({
    engine: deps.search,
    sources: searchSources(),
    sweepIntervalMs: config.search.sweepIntervalMs,
    subscribe: (handlers, since) =>
      subscribeSearchChanges(
        { redisUrl: config.redis.url, queuePrefix: config.redis.queuePrefix, since, logger },
        handlers,
      ),
    logger,
  });
}
