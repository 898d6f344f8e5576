import { objectIdSchema } from '../../lib/ids.js';
import { SEARCH_LIMITS } from '../../lib/search/request.js';
import { z } from '../../lib/zod.js';
import { regionCodeSchema } from '../openings/openings.schemas.js';
import { OPENING_STATUSES } from '../openings/openings.status.js';
import { VOCABULARY_EXAMPLES, type VocabularyKind } from '../reference/reference.seed.js';
import { PROFILE_STATUSES } from '../worker-profiles/status.js';

/**
 * Query and response shapes of the search endpoints. Flat query parameters (the simple parser);
 * several values of one filter are comma-separated. Limits on the words (`q` length, pages) are
 * the engine's own (SEARCH_LIMITS), refused with a 400 naming the parameter.
 */

const code = z.string().trim().min(1).max(40);

/** `a,b,c` → `['a','b','c']` (blanks dropped, repeats removed), each value checked by `item`. */
/** The document's example (a real code) and vocabulary of a parameter of codes. */
const vocab = (kind: VocabularyKind) => ({ example: VOCABULARY_EXAMPLES[kind], 'x-vocabulary': kind });

function commaList<T extends z.ZodType<unknown, string>>(item: T, max = 50) {
  return z
    .string()
    .max(2_000)
    .transform((v) => [
      ...new Set(
        v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      ),
    ])
    .pipe(z.array(item).max(max));
}

const yuan = z.coerce.number().int().min(0).max(200_000);

export const OPENING_FACETS = [
  'status',
  'region',
  'skill',
  'category',
  'accommodation',
  'dormitory',
] as const;
export type OpeningFacet = (typeof OPENING_FACETS)[number];

export const OPENING_SORTS = [
  'relevance',
  'publishedAt',
  '-publishedAt',
  'updatedAt',
  '-updatedAt',
  'startDate',
  '-startDate',
  'wageMin',
  '-wageMin',
  'wageMax',
  '-wageMax',
] as const;

const pageShape = {
  page: z.coerce
    .number()
    .int()
    .min(1)
    .max(SEARCH_LIMITS.maxPage)
    .default(1)
    .openapi({ description: `1-based, at most ${SEARCH_LIMITS.maxPage}` }),
  limit: z.coerce
    .number()
    .int()
    .min(0)
    .default(SEARCH_LIMITS.defaultHitsPerPage)
    .openapi({
      description: `hits per page, at most ${SEARCH_LIMITS.maxHitsPerPage}; 0 = totals and facets only`,
    }),
};

export const searchOpeningsQuery = z
  .object({
    q: z
      .string()
      .optional()
      .openapi({
        description: `words (Chinese, pinyin, English; synonyms and typos are found), at most ${SEARCH_LIMITS.maxQueryLength} characters`,
        example: '电子组装',
      }),
    region: regionCodeSchema
      .optional()
      .openapi({ description: 'the workplace lies in this region (any level)' }),
    skill: commaList(code)
      .optional()
      .openapi({ description: 'skill codes: requires any of them', ...vocab('skill') }),
    category: commaList(code)
      .optional()
      .openapi({
        description: 'occupation_group codes (职业分类大典 major group): any of them',
        ...vocab('occupation_group'),
      }),
    status: commaList(z.enum(OPENING_STATUSES))
      .optional()
      .openapi({ description: 'any of these statuses (within what you may see)' }),
    accommodation: commaList(code)
      .optional()
      .openapi({ description: 'accommodation codes: offers every one of them', ...vocab('accommodation') }),
    employer: objectIdSchema.optional(),
    wageFrom: yuan.optional().openapi({ description: 'the wage range reaches at least this (CNY/month)' }),
    wageTo: yuan.optional().openapi({ description: 'the wage range starts at most at this (CNY/month)' }),
    facets: commaList(z.enum(OPENING_FACETS))
      .optional()
      .openapi({ description: `counts per value over every hit: ${OPENING_FACETS.join(', ')}` }),
    sort: z.enum(OPENING_SORTS).default('relevance'),
    ...pageShape,
  })
  .strict();
export type SearchOpeningsQuery = z.infer<typeof searchOpeningsQuery>;

const segments = z
  .array(z.object({ text: z.string(), match: z.boolean() }))
  .openapi({ description: 'the value in runs, `match` marking the words found' });

export const openingHitSchema = z
  .object({
    id: z.string(),
    employerId: z.string(),
    employerName: z.string(),
    title: z.string(),
    regionCodes: z.array(z.string()),
    regionNames: z.array(z.string()),
    occupationGroup: z.string().nullable(),
    skills: z.array(z.string()),
    accommodations: z.array(z.string()),
    wageMin: z.number().int().nullable(),
    wageMax: z.number().int().nullable(),
    dormitory: z.enum(['none', 'standard', 'accessible']),
    status: z.enum(OPENING_STATUSES),
    headcountOpen: z.number().int(),
    startDate: z.string().nullable(),
    publishedAt: z.iso.datetime().nullable(),
    updatedAt: z.iso.datetime(),
    version: z.number().int(),
    highlights: z.object({ title: z.array(segments), skillLabels: z.array(segments) }),
  })
  .openapi('OpeningSearchHit');

const facetCounts = z.record(z.string(), z.record(z.string(), z.number().int()));

export const searchOpeningsResponse = z
  .object({
    items: z.array(openingHitSchema),
    page: z.number().int(),
    limit: z.number().int(),
    total: z
      .number()
      .int()
      .openapi({ description: `every matching hit, exact; only the first ${10_000} can be paged to` }),
    totalPages: z.number().int(),
    facets: facetCounts.openapi({ description: 'facet → value → count, over every hit' }),
  })
  .openapi('OpeningSearchResult');

export const PROFILE_FACETS = [
  'status',
  'region',
  'skill',
  'training',
  'category',
  'level',
  'limitation',
  'accommodation',
  'destination',
] as const;
export type ProfileFacet = (typeof PROFILE_FACETS)[number];

export const PROFILE_SORTS = ['relevance', 'updatedAt', '-updatedAt', 'minimumWage', '-minimumWage'] as const;

export const searchProfilesQuery = z
  .object({
    q: z
      .string()
      .optional()
      .openapi({
        description: `words: skills, training, places, limitations, accommodations (Chinese, pinyin, English), at most ${SEARCH_LIMITS.maxQueryLength} characters`,
        example: '缝纫',
      }),
    region: regionCodeSchema.optional().openapi({ description: 'origin in this region (any level)' }),
    skill: commaList(code)
      .optional()
      .openapi({ description: 'skill codes: has any of them', ...vocab('skill') }),
    training: commaList(code)
      .optional()
      .openapi({ description: 'training_programme codes: any of them', ...vocab('training_programme') }),
    category: commaList(code)
      .optional()
      .openapi({
        description: 'disability categories (GB/T 26341-2010 digits): any of them',
        ...vocab('disability_category'),
      }),
    level: commaList(code)
      .optional()
      .openapi({ description: 'disability levels 1–4: any of them', ...vocab('disability_level') }),
    limitation: commaList(code)
      .optional()
      .openapi({ description: 'functional limitation codes: any of them', ...vocab('limitation') }),
    accommodation: commaList(code)
      .optional()
      .openapi({
        description: 'accommodation codes the person needs: any of them',
        ...vocab('accommodation'),
      }),
    destination: regionCodeSchema.optional().openapi({ description: 'accepts work in this region' }),
    status: commaList(z.enum(PROFILE_STATUSES)).optional().openapi({ description: 'any of these statuses' }),
    accessibleDormitory: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional()
      .openapi({ description: 'needs an accessible dormitory (or not)' }),
    wageFrom: yuan.optional().openapi({ description: 'expects at least this much (CNY/month)' }),
    wageTo: yuan.optional().openapi({ description: 'expects at most this much (CNY/month)' }),
    facets: commaList(z.enum(PROFILE_FACETS))
      .optional()
      .openapi({ description: `counts per value over every hit: ${PROFILE_FACETS.join(', ')}` }),
    sort: z.enum(PROFILE_SORTS).default('relevance'),
    ...pageShape,
  })
  .strict();
export type SearchProfilesQuery = z.infer<typeof searchProfilesQuery>;

export const profileHitSchema = z
  .object({
    id: z.string(),
    status: z.enum(PROFILE_STATUSES),
    originRegionCodes: z.array(z.string()),
    originRegionNames: z.array(z.string()),
    skills: z.array(z.string()),
    training: z.array(z.string()),
    disabilityCategory: z.string().nullable(),
    disabilityLevel: z.string().nullable(),
    limitations: z.array(z.string()),
    accommodations: z.array(z.string()),
    destinations: z.array(z.string()),
    needsAccessibleDormitory: z.boolean().nullable(),
    minimumWage: z.number().int().nullable(),
    updatedAt: z.iso.datetime(),
    version: z.number().int(),
    highlights: z.object({ skillLabels: z.array(segments), trainingLabels: z.array(segments) }),
  })
  .openapi('WorkerProfileSearchHit', {
    description: 'De-identified: codes and labels only. Open the profile itself for more (audited).',
  });

export const searchProfilesResponse = z
  .object({
    items: z.array(profileHitSchema),
    page: z.number().int(),
    limit: z.number().int(),
    total: z.number().int(),
    totalPages: z.number().int(),
    facets: facetCounts,
  })
  .openapi('WorkerProfileSearchResult');
