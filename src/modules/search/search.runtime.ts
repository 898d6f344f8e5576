import type { Config } from '../../config.js';
import type { Logger } from '../../lib/logger.js';
import { isEmbedded, type SearchEngine } from '../../lib/search/index.js';
import { type SearchFollower, startSearchFollower } from './search.follower.js';
import { searchSources } from './search.sources.js';

/**
 * What the API process runs to keep search in step with MongoDB: with the embedded engine, the
 * follower (rebuild at start, then polling); with Meilisearch nothing — the worker writes the
 * index from change jobs and sweeps. Call after the reference data is in place (labels).
 */
export function startApiSearchSync(deps: {
  config: Config;
  logger: Logger;
  search: SearchEngine;
}): SearchFollower | null {
  if (!isEmbedded(deps.search)) return null;
  return startSearchFollower({
    engine: deps.search,
    sources: searchSources(),
    intervalMs: deps.config.search.syncIntervalMs,
    logger: deps.logger,
  });
}
