import type { FieldOf, SearchFilter, SearchRequest, SortClause } from '../../lib/search/index.js';
import type { OpeningSearchDocument, WorkerProfileSearchDocument } from '../../lib/search/indexes.js';
import type {
  OpeningFacet,
  ProfileFacet,
  SearchOpeningsQuery,
  SearchProfilesQuery,
} from './search.schemas.js';

/**
 * Search requests built from validated query parameters and the caller's scope (pure). The scope
 * is always one more condition ANDed to the caller's own: whatever the parameters say, nothing
 * outside it can match.
 */

type OpeningField = FieldOf<OpeningSearchDocument>;
type OpeningFilter = SearchFilter<OpeningField>;

export const OPENING_FACET_FIELDS: Record<OpeningFacet, OpeningField> = {
  status: 'status',
  region: 'regionCodes',
  skill: 'skillCodes',
  category: 'occupationCode',
  accommodation: 'accommodationCodes',
  dormitory: 'dormitory',
};

/** Which query parameter a SearchInputError's `field` stands for (a 400 names the parameter). */
export const OPENING_PARAMS: Readonly<Record<string, string>> = {
  q: 'q',
  page: 'page',
  hitsPerPage: 'limit',
  sort: 'sort',
  facets: 'facets',
  'filter.regionCodes': 'region',
  'filter.skillCodes': 'skill',
  'filter.occupationCode': 'category',
  'filter.status': 'status',
  'filter.accommodationCodes': 'accommodation',
  'filter.employerId': 'employer',
  'filter.wageMax': 'wageFrom',
  'filter.wageMin': 'wageTo',
};

export const OPENING_HIGHLIGHTS = ['title', 'skillLabels'] as const satisfies readonly OpeningField[];

/** The caller's own conditions (without the scope). */
export function openingConditions(q: SearchOpeningsQuery): OpeningFilter[] {
  const out: OpeningFilter[] = [];
  if (q.region) out.push({ field: 'regionCodes', op: 'eq', value: q.region });
  if (q.skill?.length) out.push({ field: 'skillCodes', op: 'in', value: q.skill });
  if (q.category?.length) out.push({ field: 'occupationCode', op: 'in', value: q.category });
  if (q.status?.length) out.push({ field: 'status', op: 'in', value: q.status });
  for (const a of q.accommodation ?? []) out.push({ field: 'accommodationCodes', op: 'eq', value: a });
  if (q.employer) out.push({ field: 'employerId', op: 'eq', value: q.employer });
  // Ranges overlap: the opening pays up to at least `wageFrom` and starts at most at `wageTo`.
  if (q.wageFrom !== undefined) out.push({ field: 'wageMax', op: 'gte', value: q.wageFrom });
  if (q.wageTo !== undefined) out.push({ field: 'wageMin', op: 'lte', value: q.wageTo });
  return out;
}

function sortOf(sort: SearchOpeningsQuery['sort']): SortClause<OpeningField>[] {
  if (sort === 'relevance') return [];
  const desc = sort.startsWith('-');
  return [{ field: (desc ? sort.slice(1) : sort) as OpeningField, direction: desc ? 'desc' : 'asc' }];
}

/**
 * The engine request for `q` within `scope` (`true`: everything, `false`: nothing — then null, and
 * the caller answers without asking the engine).
 */
export function openingSearchRequest(
  q: SearchOpeningsQuery,
  scope: SearchFilter<'employerId' | 'status' | 'regionCodes'> | boolean,
): SearchRequest<OpeningSearchDocument> | null {
  if (scope === false) return null;
  const conditions = openingConditions(q);
  const all: OpeningFilter[] = scope === true ? conditions : [scope, ...conditions];
  return {
    q: q.q,
    filter: all.length === 0 ? undefined : all.length === 1 ? all[0] : { and: all },
    facets: (q.facets ?? []).map((f) => OPENING_FACET_FIELDS[f]),
    sort: sortOf(q.sort),
    page: q.page,
    hitsPerPage: q.limit,
    highlight: OPENING_HIGHLIGHTS,
  };
}

type ProfileField = FieldOf<WorkerProfileSearchDocument>;
type ProfileFilter = SearchFilter<ProfileField>;

export const PROFILE_FACET_FIELDS: Record<ProfileFacet, ProfileField> = {
  status: 'status',
  region: 'originRegionCodes',
  skill: 'skillCodes',
  training: 'trainingCodes',
  category: 'disabilityCategory',
  level: 'disabilityLevel',
  limitation: 'limitationCodes',
  accommodation: 'accommodationCodes',
  destination: 'destinationCodes',
};

export const PROFILE_PARAMS: Readonly<Record<string, string>> = {
  q: 'q',
  page: 'page',
  hitsPerPage: 'limit',
  sort: 'sort',
  facets: 'facets',
  'filter.originRegionCodes': 'region',
  'filter.skillCodes': 'skill',
  'filter.trainingCodes': 'training',
  'filter.disabilityCategory': 'category',
  'filter.disabilityLevel': 'level',
  'filter.limitationCodes': 'limitation',
  'filter.accommodationCodes': 'accommodation',
  'filter.destinationCodes': 'destination',
  'filter.status': 'status',
  'filter.needsAccessibleDormitory': 'accessibleDormitory',
  'filter.minimumWage': 'wageFrom',
};

export const PROFILE_HIGHLIGHTS = [
  'skillLabels',
  'trainingLabels',
] as const satisfies readonly ProfileField[];

export function profileConditions(q: SearchProfilesQuery): ProfileFilter[] {
  const out: ProfileFilter[] = [];
  const anyOf = (field: ProfileField, values: readonly string[] | undefined) => {
    if (values?.length) out.push({ field, op: 'in', value: values });
  };
  if (q.region) out.push({ field: 'originRegionCodes', op: 'eq', value: q.region });
  anyOf('skillCodes', q.skill);
  anyOf('trainingCodes', q.training);
  anyOf('disabilityCategory', q.category);
  anyOf('disabilityLevel', q.level);
  anyOf('limitationCodes', q.limitation);
  anyOf('accommodationCodes', q.accommodation);
  if (q.destination) out.push({ field: 'destinationCodes', op: 'eq', value: q.destination });
  anyOf('status', q.status);
  if (q.accessibleDormitory !== undefined)
    out.push({ field: 'needsAccessibleDormitory', op: 'eq', value: q.accessibleDormitory });
  if (q.wageFrom !== undefined) out.push({ field: 'minimumWage', op: 'gte', value: q.wageFrom });
  if (q.wageTo !== undefined) out.push({ field: 'minimumWage', op: 'lte', value: q.wageTo });
  return out;
}

/** The engine request for `q` within `scope` (null when the scope is empty). */
export function profileSearchRequest(
  q: SearchProfilesQuery,
  scope: SearchFilter<'jurisdictionCodes'> | boolean,
): SearchRequest<WorkerProfileSearchDocument> | null {
  if (scope === false) return null;
  const conditions = profileConditions(q);
  const all: ProfileFilter[] = scope === true ? conditions : [scope, ...conditions];
  const desc = q.sort.startsWith('-');
  return {
    q: q.q,
    filter: all.length === 0 ? undefined : all.length === 1 ? all[0] : { and: all },
    facets: (q.facets ?? []).map((f) => PROFILE_FACET_FIELDS[f]),
    sort:
      q.sort === 'relevance'
        ? []
        : [{ field: (desc ? q.sort.slice(1) : q.sort) as ProfileField, direction: desc ? 'desc' : 'asc' }],
    page: q.page,
    hitsPerPage: q.limit,
    highlight: PROFILE_HIGHLIGHTS,
  };
}
