import type { Redis } from 'ioredis';
import type { Config } from './config.js';
import type { Queues } from './jobs/queues.js';
import type { HttpMetrics } from './lib/http/metrics.js';
import type { Logger } from './lib/logger.js';
import type { SearchEngine } from './lib/search/index.js';

/**
 * What every routes file is given. Its own file, not app.ts: app.ts imports every routes file, so
 * routes taking the type from there would make each module import the app back.
 */
export interface AppDeps {
  config: Config;
  logger: Logger;
  /** Producer connection: fails fast (DESIGN §7.9). */
  redis: Redis;
  queues: Queues;
  search: SearchEngine;
  metrics: HttpMetrics;
}
