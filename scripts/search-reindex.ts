/**
 * `npm run search:reindex [-- --index openings] [-- --batch 1000]`: rebuilds search indexes from
 * MongoDB with no downtime — a new index filled in batches, swapped in for the live one, then the
 * documents changed meanwhile written again (src/modules/search/search.sync.ts `rebuildIndex`).
 *
 * With the embedded engine the index lives in the API process, which rebuilds it at every start:
 * restart the API instead (this script says so and changes nothing).
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../src/config.js';
import { connectMongo, disconnectMongo } from '../src/lib/db/index.js';
import { createLogger } from '../src/lib/logger.js';
import { createSearchEngine } from '../src/lib/search/index.js';
import { searchSources } from '../src/modules/search/search.sources.js';
import { rebuildIndex } from '../src/modules/search/search.sync.js';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { index: { type: 'string' }, batch: { type: 'string', default: '1000' } },
  });
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      return 78;
    }
    throw err;
  }
  if (!config.search.meiliHost) {
    console.log(
      'search:reindex: embedded engine (MEILI_HOST unset): the API rebuilds its index from MongoDB at every start; restart the API',
    );
    return 0;
  }
  const sources = searchSources().filter((s) => !values.index || s.definition.name === values.index);
  if (sources.length === 0) {
    console.error(`search:reindex: no index named ${values.index}`);
    return 64;
  }
  const batch = Number(values.batch);
  if (!Number.isInteger(batch) || batch < 1 || batch > 10_000) {
    console.error('search:reindex: --batch must be an integer from 1 to 10000');
    return 64;
  }
  const logger = createLogger('warn');
  await connectMongo(config.mongo.uri, logger);
  const engine = createSearchEngine(config, 'worker');
  try {
    for (const source of sources) {
      const started = Date.now();
      const index = engine.index(source.definition);
      const result = await rebuildIndex(index, source, batch);
      console.log(
        JSON.stringify({
          index: index.uid,
          ...result,
          seconds: Math.round((Date.now() - started) / 100) / 10,
        }),
      );
    }
  } finally {
    await engine.close();
    await disconnectMongo();
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error('search:reindex failed:', err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
