import type { Config } from '../../config.js';
import { createEmbeddedSearch } from './embedded.js';
import { createMeilisearch } from './meilisearch.js';
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
  const { meiliHost, meiliApiKey, meiliSearchKey, indexPrefix } = config.search;
  // The API's embedded engine answers only once a follower has filled it (search.follower.ts).
  if (!meiliHost)
    return createEmbeddedSearch(indexPrefix, {
      notReady: role === 'api' ? 'nothing follows MongoDB into the search index yet' : undefined,
    });
  return createMeilisearch(
    meiliHost,
    role === 'api' ? (meiliSearchKey ?? meiliApiKey) : meiliApiKey,
    indexPrefix,
  );
}
