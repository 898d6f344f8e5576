/**
 * Regenerates web/src/api/schema.d.ts, the console's types of the API, from the same OpenAPI
 * document external clients read (/openapi.json). Run after changing a route or a schema:
 *
 *   npm run web:api-types            (writes the file)
 *   npm run web:api-types -- --check (exits 1 when the file is stale)
 *
 * The integration test web-api-types.test.ts fails while the committed file differs from what the
 * running app's /openapi.json gives.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { APP_VERSION, routeTable } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import type { Queues } from '../src/jobs/queues.js';
import { createHttpMetrics } from '../src/lib/http/metrics.js';
import { buildOpenApiDocument } from '../src/lib/http/openapi.js';
import { createLogger } from '../src/lib/logger.js';
import type { SearchEngine } from '../src/lib/search/index.js';
import { renderWebApiTypes } from './lib/web-api-types.js';

export const WEB_API_TYPES = fileURLToPath(new URL('../web/src/api/schema.d.ts', import.meta.url));

async function main(): Promise<number> {
  // Building the route table runs no handler; the rate limiters only ask Redis to load a script,
  // which this stand-in leaves pending (the document needs no connection).
  const redis = { call: () => new Promise(() => undefined) } as unknown as Redis;
  const queues = {} as Queues;
  const routes = routeTable({
    config: loadConfig({ NODE_ENV: 'test' }),
    logger: createLogger('silent'),
    redis,
    queues,
    search: {} as SearchEngine,
    metrics: createHttpMetrics(queues),
  });
  const text = await renderWebApiTypes(buildOpenApiDocument(routes, APP_VERSION));
  if (process.argv.includes('--check')) {
    const current = readFileSync(WEB_API_TYPES, 'utf8');
    if (current !== text) {
      console.error('web/src/api/schema.d.ts is stale: run `npm run web:api-types`');
      return 1;
    }
    return 0;
  }
  writeFileSync(WEB_API_TYPES, text);
  console.log(`wrote ${WEB_API_TYPES}`);
  return 0;
}

process.exitCode = await main();
