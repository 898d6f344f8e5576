import type { Actor } from '../../lib/auth/actor.js';
import { chinaDay } from '../../lib/china-time.js';
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
import {
  type OpeningSearchDocument,
  openingsIndex,
  type WorkerProfileSearchDocument,
  workerProfilesIndex,
} from '../../lib/search/indexes.js';
import { audit } from '../audit/audit.service.js';
import { searchScopeOf, visibleOpeningIds } from '../openings/openings.service.js';
import { visibleProfileIds } from '../worker-profiles/search-projection.service.js';
import { profileSearchScope } from '../worker-profiles/worker-profiles.policy.js';
import {
  OPENING_FACET_FIELDS,
  OPENING_HIGHLIGHTS,
  OPENING_PARAMS,
  openingSearchRequest,
  PROFILE_FACET_FIELDS,
  PROFILE_HIGHLIGHTS,
  PROFILE_PARAMS,
  profileSearchRequest,
} from './search.query.js';
import type { SearchOpeningsQuery, SearchProfilesQuery } from './search.schemas.js';

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
    startDate: d.startDate === null ? null : chinaDay(d.startDate),
    publishedAt: iso(d.publishedAt),
    updatedAt: new Date(d.updatedAt).toISOString(),
    version: d.version,
    highlights: highlightsOf(OPENING_HIGHLIGHTS, highlights),
  };
}

function presentProfileHit(
  d: WorkerProfileSearchDocument,
  highlights: Partial<Record<string, readonly HighlightedText[]>>,
) {
  return {
    id: d.id,
    status: d.status,
    originRegionCodes: [...d.originRegionCodes],
    originRegionNames: [...d.originRegionNames],
    skills: [...d.skillCodes],
    training: [...d.trainingCodes],
    disabilityCategory: d.disabilityCategory,
    disabilityLevel: d.disabilityLevel,
    limitations: [...d.limitationCodes],
    accommodations: [...d.accommodationCodes],
    destinations: [...d.destinationCodes],
    needsAccessibleDormitory: d.needsAccessibleDormitory,
    minimumWage: d.minimumWage,
    updatedAt: new Date(d.updatedAt).toISOString(),
    version: d.version,
    highlights: highlightsOf(PROFILE_HIGHLIGHTS, highlights),
  };
}

/** API facet names → value → count. */
function presentFacets(
  facets: SearchResult<SearchDocument>['facets'],
  asked: readonly string[],
  fields: Readonly<Record<string, string>>,
) {
  const out: Record<string, Record<string, number>> = {};
  for (const name of asked) out[name] = { ...(facets[fields[name]!] ?? {}) };
  return out;
}

function highlightsOf<F extends string>(
  fields: readonly F[],
  highlights: Partial<Record<string, readonly HighlightedText[]>>,
) {
  return Object.fromEntries(
    fields.map((f) => [f, (highlights[f] ?? []).map((h) => h.map((seg) => ({ ...seg })))]),
  ) as Record<F, { text: string; match: boolean }[][]>;
}

function emptyPage(page: number, limit: number, facets: readonly string[]) {
  return {
    items: [],
    page,
    limit,
    total: 0,
    totalPages: 0,
    facets: Object.fromEntries(facets.map((f) => [f, {}])),
  };
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
  if (!request) return emptyPage(q.page, q.limit, facetNames);
  const index = deps.search.index(openingsIndex);
  const result = await run(index, request, OPENING_PARAMS, deps.logger);
  const visible = await visibleOpeningIds(
    actor,
    result.hits.map((h) => h.document.id),
  );
  const hits = dropInvisible(result.hits, visible, index.uid, deps.logger);
  return {
    items: hits.map((h) => presentOpeningHit(h.document, h.highlights)),
    page: result.page,
    limit: result.hitsPerPage,
    total: result.totalHits,
    totalPages: result.totalPages,
    facets: presentFacets(result.facets, facetNames, OPENING_FACET_FIELDS),
  };
}

function dropInvisible<H extends { document: { id: string } }>(
  hits: readonly H[],
  visible: ReadonlySet<string>,
  index: string,
  logger: Logger,
): H[] {
  const kept = hits.filter((h) => visible.has(h.document.id));
  if (kept.length < hits.length)
    logger.info(
      { index, dropped: hits.length - kept.length },
      'search hits dropped by the MongoDB check (index lagging)',
    );
  return kept;
}

/** Query parameters a profile search used, by name (the audit trail records names, never values). */
const PROFILE_FILTER_PARAMS = [
  'q',
  'region',
  'skill',
  'training',
  'category',
  'level',
  'limitation',
  'accommodation',
  'destination',
  'status',
  'accessibleDormitory',
  'wageFrom',
  'wageTo',
] as const;

/**
 * Worker profiles matching `q` that `actor` may read (de-identified documents): the profiles
 * module's read scope inside the engine query, the page checked again against MongoDB, and the
 * search recorded in the audit trail (parameter names only) like a list of profiles.
 */
export async function searchWorkerProfiles(actor: Actor, q: SearchProfilesQuery, deps: SearchDeps) {
  const request = profileSearchRequest(q, profileSearchScope(actor));
  const facetNames = q.facets ?? [];
  await audit.record({
    action: 'worker_profile.search',
    resource: { type: 'worker_profile' },
    fields: PROFILE_FILTER_PARAMS.filter((p) => q[p] !== undefined && q[p] !== ''),
  });
  if (!request) return emptyPage(q.page, q.limit, facetNames);
  const index = deps.search.index(workerProfilesIndex);
  const result = await run(index, request, PROFILE_PARAMS, deps.logger);
  const visible = await visibleProfileIds(
    actor,
    result.hits.map((h) => h.document.id),
  );
  const hits = dropInvisible(result.hits, visible, index.uid, deps.logger);
  return {
    items: hits.map((h) => presentProfileHit(h.document, h.highlights)),
    page: result.page,
    limit: result.hitsPerPage,
    total: result.totalHits,
    totalPages: result.totalPages,
    facets: presentFacets(result.facets, facetNames, PROFILE_FACET_FIELDS),
  };
}
