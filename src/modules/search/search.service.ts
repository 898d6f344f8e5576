import type { Actor } from '../../lib/auth/actor.js';
import { AppError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import {
  type HighlightedText,
  type SearchDocument,
  type SearchEngine,
  type SearchIndex,
  SearchInputError,
  type SearchRequest,
  type SearchResult,
  SearchUnavailableError,
} from '../../lib/search/index.js';
import { type OpeningSearchDocument, openingsIndex } from '../../lib/search/indexes.js';
import { chinaDateOf } from '../openings/openings.search.js';
import { searchScopeOf, visibleOpeningIds } from '../openings/openings.service.js';
import {
  OPENING_FACET_FIELDS,
  OPENING_HIGHLIGHTS,
  OPENING_PARAMS,
  openingSearchRequest,
} from './search.query.js';
import type { SearchOpeningsQuery } from './search.schemas.js';

export interface SearchDeps {
  search: SearchEngine;
  logger: Logger;
}

/** A search that has not answered by then is answered 503: the caller may retry; nothing waits longer. */
export const SEARCH_TIMEOUT_MS = 2_000;

function unavailable(cause: unknown): AppError {
  return new AppError('service_unavailable', {
    detail: '搜索服务暂时不可用，请稍后再试',
    detailEn: 'Search is temporarily unavailable; try again shortly',
    headers: { 'Retry-After': '5' },
    cause,
  });
}

/**
 * Runs a search; engine problems become problem documents: bad input → 400 naming the query
 * parameter (`params` maps the engine's field to it), engine down or slow → a fast 503. Never a
 * fallback that could answer without the scope.
 */
async function run<D extends SearchDocument>(
  index: SearchIndex<D>,
  request: SearchRequest<D>,
  params: Readonly<Record<string, string>>,
  logger: Logger,
): Promise<SearchResult<D>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new SearchUnavailableError(`no answer within ${SEARCH_TIMEOUT_MS} ms`)),
      SEARCH_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([index.search(request), timeout]);
  } catch (err) {
    if (err instanceof SearchInputError) {
      const param = params[err.field] ?? err.field;
      throw new AppError('validation_failed', {
        detail: `参数 ${param} 不符合要求`,
        detailEn: `Invalid parameter: ${param}`,
        issues: [{ path: `query.${param}`, code: 'invalid_search', message: err.message }],
      });
    }
    if (err instanceof SearchUnavailableError) {
      logger.warn({ index: index.uid, err: err.message }, 'search unavailable');
      throw unavailable(err);
    }
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function presentOpeningHit(
  d: OpeningSearchDocument,
  highlights: Partial<Record<string, readonly HighlightedText[]>>,
) {
  return {
    id: d.id,
    employerId: d.employerId,
    employerName: d.employerName,
    title: d.title,
    regionCodes: [...d.regionCodes],
    regionNames: [...d.regionNames],
    occupationGroup: d.occupationCode,
    skills: [...d.skillCodes],
    accommodations: [...d.accommodationCodes],
    wageMin: d.wageMin,
    wageMax: d.wageMax,
    dormitory: d.dormitory,
    status: d.status,
    headcountOpen: d.headcountOpen,
    startDate: d.startDate === null ? null : chinaDateOf(d.startDate),
    publishedAt: iso(d.publishedAt),
    updatedAt: new Date(d.updatedAt).toISOString(),
    version: d.version,
    highlights: Object.fromEntries(
      OPENING_HIGHLIGHTS.map((f) => [f, (highlights[f] ?? []).map((h) => h.map((s) => ({ ...s })))]),
    ) as Record<(typeof OPENING_HIGHLIGHTS)[number], { text: string; match: boolean }[][]>,
  };
}

/** API facet names → value → count. */
function presentFacets(facets: SearchResult<SearchDocument>['facets'], asked: readonly string[]) {
  const out: Record<string, Record<string, number>> = {};
  for (const name of asked) {
    const field = OPENING_FACET_FIELDS[name as keyof typeof OPENING_FACET_FIELDS];
    out[name] = { ...(facets[field] ?? {}) };
  }
  return out;
}

/**
 * Openings matching `q` that `actor` may read: the openings module's read rules as an engine
 * filter (so totals and facets count only what the caller may see), then the page checked again
 * against MongoDB — a hit the index shows but MongoDB no longer allows (the index lags a change)
 * is dropped from the page.
 */
export async function searchOpenings(actor: Actor, q: SearchOpeningsQuery, deps: SearchDeps) {
  const request = openingSearchRequest(q, await searchScopeOf(actor));
  const facetNames = q.facets ?? [];
  if (!request)
    return {
      items: [],
      page: q.page,
      limit: q.limit,
      total: 0,
      totalPages: 0,
      facets: Object.fromEntries(facetNames.map((f) => [f, {}])),
    };
  const index = deps.search.index(openingsIndex);
  const result = await run(index, request, OPENING_PARAMS, deps.logger);
  const visible = await visibleOpeningIds(
    actor,
    result.hits.map((h) => h.document.id),
  );
  const hits = result.hits.filter((h) => visible.has(h.document.id));
  if (hits.length < result.hits.length)
    deps.logger.info(
      { index: index.uid, dropped: result.hits.length - hits.length },
      'search hits dropped by the MongoDB check (index lagging)',
    );
  return {
    items: hits.map((h) => presentOpeningHit(h.document, h.highlights)),
    page: result.page,
    limit: result.hitsPerPage,
    total: result.totalHits,
    totalPages: result.totalPages,
    facets: presentFacets(result.facets, facetNames),
  };
}
