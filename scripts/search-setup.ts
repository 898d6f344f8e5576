/**
 * `npm run search:setup`: creates the search indexes and applies the settings declared in code
 * (src/lib/search/indexes.ts) where they differ — idempotent, safe to run at every deployment.
 * The worker does the same at each sweep. With the embedded engine (no MEILI_HOST) there is
 * nothing to set up: the API builds its index in memory at start.
 */
import { ConfigError, loadConfig } from '../src/config.js';
import {
  checkSearchKey,
  createSearchEngine,
  type IndexDefinition,
  MasterKeyError,
  type SearchDocument,
} from '../src/lib/search/index.js';
import { SEARCH_INDEXES } from '../src/lib/search/indexes.js';

async function main(): Promise<number> {
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
      'search:setup: embedded engine (MEILI_HOST unset): the API builds its index at start; nothing to do',
    );
    return 0;
  }
  const engine = createSearchEngine(config, 'worker');
  await engine.health();
  try {
    const warning = await checkSearchKey(config, 'worker');
    if (warning) console.warn(`search:setup: ${warning}`);
  } catch (err) {
    if (err instanceof MasterKeyError) {
      console.error(`search:setup: ${err.message}`);
      return 78;
    }
    throw err;
  }
  for (const definition of Object.values(SEARCH_INDEXES) as IndexDefinition<SearchDocument>[]) {
    const index = engine.index(definition);
    await index.configure();
    console.log(`search:setup: ${index.uid} configured`);
  }
  await engine.close();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error('search:setup failed:', err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
