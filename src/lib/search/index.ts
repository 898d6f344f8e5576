import type { Config } from '../../config.js';
import type { Logger } from '../logger.js';
import { createEmbeddedSearch } from './embedded.js';
import { createMeilisearch, meiliKeyKind } from './meilisearch.js';
import type { SearchEngine } from './port.js';

export type { EmbeddedSearchEngine } from './embedded.js';
export { isEmbedded } from './embedded.js';
export type {
  FieldOf,
  FilterCondition,
  HighlightedText,
  IndexDefinition,
  SearchDocument,
  SearchEngine,
  SearchFilter,
  SearchHit,
  SearchIndex,
  SearchRequest,
  SearchResult,
  SortClause,
} from './port.js';
export { SearchInputError, SearchUnavailableError, SearchWriteError } from './port.js';

/**
 * The API searches with a search-only key; the worker writes with the write key (issue: search).
 * Index names take `config.search.indexPrefix`, so test files and deployments sharing one
 * Meilisearch do not collide.
 */
export function createSearchEngine(config: Config, role: 'api' | 'worker'): SearchEngine {
  const { meiliHost, indexPrefix } = config.search;
  // The API's embedded engine answers only once a follower has filled it (search.follower.ts).
  if (!meiliHost)
    return createEmbeddedSearch(indexPrefix, {
      notReady: role === 'api' ? 'nothing follows MongoDB into the search index yet' : undefined,
    });
  return createMeilisearch(meiliHost, meiliKeyOf(config, role), indexPrefix);
}

/** Production configuration requires the search key (config.ts); elsewhere the write key serves. */
function meiliKeyOf(config: Config, role: 'api' | 'worker'): string | undefined {
  const { meiliApiKey, meiliSearchKey } = config.search;
  return role === 'api' ? (meiliSearchKey ?? meiliApiKey) : meiliApiKey;
}

/** A process was given Meilisearch's master key: it may do anything, including create keys. */
export class MasterKeyError extends Error {
  constructor(variable: string) {
    super(
      `${variable} is Meilisearch's master key: give the API a search key and the worker a write key (npm run search:keys creates both)`,
    );
    this.name = 'MasterKeyError';
  }
}

/**
 * Asks Meilisearch whether the key this process uses is the master key, at start. Production
 * refuses it (throws MasterKeyError); elsewhere the answer is returned as a warning. An engine that
 * cannot be reached leaves the key unchecked (a warning): the process still starts and reports
 * search as not ready.
 */
export async function checkSearchKey(config: Config, role: 'api' | 'worker'): Promise<string | null> {
  const { meiliHost, meiliSearchKey } = config.search;
  const key = meiliKeyOf(config, role);
  if (!meiliHost || !key) return null;
  const variable = role === 'api' && meiliSearchKey ? 'MEILI_SEARCH_KEY' : 'MEILI_API_KEY';
  const kind = await meiliKeyKind(meiliHost, key);
  if (kind === 'master') {
    if (config.isProduction) throw new MasterKeyError(variable);
    return new MasterKeyError(variable).message;
  }
  if (kind === 'unreachable') return `${variable} not checked: Meilisearch did not answer`;
  if (kind === 'invalid') return `${variable} is refused by Meilisearch`;
  return null;
}

/**
 * `checkSearchKey` at an API's or worker's start: a warning is logged; the master key in
 * production ends the process with 78, as any refused configuration does.
 */
export async function refuseMasterKeyAtStart(
  config: Config,
  role: 'api' | 'worker',
  logger: Logger,
): Promise<void> {
  try {
    const warning = await checkSearchKey(config, role);
    if (warning) logger.warn(warning);
  } catch (err) {
    if (err instanceof MasterKeyError) {
      console.error(err.message);
      process.exit(78);
    }
    throw err;
  }
}
