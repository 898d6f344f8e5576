import type { Config } from '../../config.js';
import { createEmbeddedSearch } from './embedded.js';
import { createMeilisearch } from './meilisearch.js';
import type { SearchEngine } from './port.js';

export type { SearchEngine } from './port.js';

/** The API searches with a search-only key; the worker writes with the write key (issue: search). */
export function createSearchEngine(config: Config, role: 'api' | 'worker'): SearchEngine {
  const { meiliHost, meiliApiKey, meiliSearchKey } = config.search;
  if (!meiliHost) return createEmbeddedSearch();
  return createMeilisearch(meiliHost, role === 'api' ? (meiliSearchKey ?? meiliApiKey) : meiliApiKey);
}
