import vocabularies from '../../data/vocabularies.json' with { type: 'json' };
import type { IndexDefinition, RankingRule } from './port.js';

/**
 * The two indexes (issue 5), declared once. The openings and worker-profiles modules each add a
 * pure `toSearchDocument(entity)` that returns exactly these document types; the adapters refuse a
 * document carrying any undeclared field.
 *
 * Dates are epoch milliseconds (numbers): both engines filter and sort numbers, not date strings.
 * Region fields carry every level (province, prefecture, county) so one `eq` filter selects a
 * region at any level.
 */

/** Vocabulary entries that carry synonyms (skills, accommodations, limitations, job demands). */
interface VocabularyEntry {
  readonly zh: string;
  readonly en: string;
  readonly synonyms?: readonly string[];
}

/**
 * Mutual synonyms from vocabulary entries: the Chinese label, the English label and every listed
 * synonym each find the others (电子组装 finds 电子装配 and "electronics assembly").
 */
export function synonymsFromVocabulary(
  entries: readonly VocabularyEntry[],
): Readonly<Record<string, readonly string[]>> {
  const out: Record<string, string[]> = {};
  for (const e of entries) {
    const group = [...new Set([e.zh, e.en, ...(e.synonyms ?? [])].map((s) => s.trim()).filter(Boolean))];
    if (group.length < 2) continue;
    for (const term of group) {
      const others = group.filter((t) => t !== term);
      out[term] = [...new Set([...(out[term] ?? []), ...others])];
    }
  }
  return out;
}

function mergeSynonyms(
  ...maps: Readonly<Record<string, readonly string[]>>[]
): Readonly<Record<string, readonly string[]>> {
  const out: Record<string, string[]> = {};
  for (const m of maps)
    for (const [k, v] of Object.entries(m)) out[k] = [...new Set([...(out[k] ?? []), ...v])];
  return out;
}

/** `sort` first: a requested sort orders the hits; relevance breaks ties (see RankingRule). */
const RANKING_RULES: readonly RankingRule[] = [
  'sort',
  'words',
  'typo',
  'proximity',
  'attribute',
  'exactness',
];

/** Meilisearch's defaults, stated so both adapters read them from one place. */
const TYPO_TOLERANCE = { enabled: true, minWordSizeForTypos: { oneTypo: 5, twoTypos: 9 } } as const;

export type OpeningStatus = 'draft' | 'open' | 'paused' | 'closed' | 'filled';

export type OpeningSearchDocument = {
  readonly id: string;
  readonly employerId: string;
  readonly employerName: string;
  readonly title: string;
  readonly description: string;
  readonly occupationCode: string | null;
  /** GB/T 2260 codes of the workplace: province, prefecture (city) and county when known. */
  readonly regionCodes: readonly string[];
  /** Their names, e.g. 广东省, 东莞市. */
  readonly regionNames: readonly string[];
  readonly skillCodes: readonly string[];
  /** zh and en labels of the required skills. */
  readonly skillLabels: readonly string[];
  readonly jobDemandCodes: readonly string[];
  readonly accommodationCodes: readonly string[];
  readonly accommodationLabels: readonly string[];
  /** Yuan per month. */
  readonly wageMin: number | null;
  readonly wageMax: number | null;
  readonly dormitory: 'none' | 'standard' | 'accessible';
  readonly status: OpeningStatus;
  readonly headcountOpen: number;
  readonly startDate: number | null;
  readonly publishedAt: number | null;
  readonly updatedAt: number;
  /** The entity's version when projected; the indexer compares it to what it recorded. */
  readonly version: number;
};

export const openingsIndex: IndexDefinition<OpeningSearchDocument> = {
  name: 'openings',
  fields: {
    id: 'string',
    employerId: 'string',
    employerName: 'text',
    title: 'text',
    description: 'text',
    occupationCode: 'string',
    regionCodes: 'string[]',
    regionNames: 'text[]',
    skillCodes: 'string[]',
    skillLabels: 'text[]',
    jobDemandCodes: 'string[]',
    accommodationCodes: 'string[]',
    accommodationLabels: 'text[]',
    wageMin: 'number',
    wageMax: 'number',
    dormitory: 'string',
    status: 'string',
    headcountOpen: 'number',
    startDate: 'number',
    publishedAt: 'number',
    updatedAt: 'number',
    version: 'number',
  },
  searchableAttributes: [
    'title',
    'skillLabels',
    'employerName',
    'regionNames',
    'accommodationLabels',
    'description',
  ],
  filterableAttributes: [
    'status',
    'employerId',
    'occupationCode',
    'regionCodes',
    'skillCodes',
    'jobDemandCodes',
    'accommodationCodes',
    'wageMin',
    'wageMax',
    'dormitory',
    'headcountOpen',
    'startDate',
    'publishedAt',
    'updatedAt',
  ],
  sortableAttributes: ['publishedAt', 'updatedAt', 'startDate', 'wageMin', 'wageMax'],
  rankingRules: RANKING_RULES,
  typoTolerance: TYPO_TOLERANCE,
  synonyms: mergeSynonyms(
    synonymsFromVocabulary(vocabularies.skills),
    synonymsFromVocabulary(vocabularies.accommodations),
  ),
  localizedAttributes: [
    'title',
    'description',
    'employerName',
    'regionNames',
    'skillLabels',
    'accommodationLabels',
  ],
  tieBreaker: { field: 'publishedAt', direction: 'desc' },
  pinyinAttributes: ['title', 'employerName', 'skillLabels', 'regionNames'],
  faceting: { maxValuesPerFacet: 100 },
  pagination: { maxTotalHits: 10_000 },
};

export type WorkerProfileStatus = 'available' | 'in_process' | 'placed' | 'inactive';

/**
 * De-identified: never a name, ID or certificate number, phone, address or birth date (nor age,
 * sex or guardian). Only coded attributes and the labels of those codes; the `id` is the profile's
 * database id, which says nothing about the person.
 */
export type WorkerProfileSearchDocument = {
  readonly id: string;
  /** The registering federation (organisation id). */
  readonly federationId: string;
  /** Province, prefecture and county codes of the registering jurisdiction (scope filters). */
  readonly jurisdictionCodes: readonly string[];
  /** Province, prefecture and county codes of the origin county. */
  readonly originRegionCodes: readonly string[];
  readonly originRegionNames: readonly string[];
  readonly skillCodes: readonly string[];
  readonly skillLabels: readonly string[];
  readonly trainingCodes: readonly string[];
  readonly trainingLabels: readonly string[];
  readonly disabilityCategory: string;
  readonly disabilityLevel: string;
  readonly limitationCodes: readonly string[];
  readonly limitationLabels: readonly string[];
  readonly accommodationCodes: readonly string[];
  readonly accommodationLabels: readonly string[];
  /** Acceptable destination regions (province and city codes) and their names. */
  readonly destinationCodes: readonly string[];
  readonly destinationNames: readonly string[];
  readonly needsAccessibleDormitory: boolean;
  /** The lowest monthly wage (CNY) the person would accept, when stated. */
  readonly minimumWage: number | null;
  readonly status: WorkerProfileStatus;
  readonly updatedAt: number;
  readonly version: number;
};

/** Field names that must never appear in the worker_profiles index (checked by tests). */
export const FORBIDDEN_PROFILE_FIELDS = [
  'name',
  'fullName',
  'idNumber',
  'idCard',
  'certificateNumber',
  'phone',
  'mobile',
  'address',
  'birthDate',
  'dateOfBirth',
  'age',
  'sex',
  'guardian',
] as const;

export const workerProfilesIndex: IndexDefinition<WorkerProfileSearchDocument> = {
  name: 'worker_profiles',
  fields: {
    id: 'string',
    federationId: 'string',
    jurisdictionCodes: 'string[]',
    originRegionCodes: 'string[]',
    originRegionNames: 'text[]',
    skillCodes: 'string[]',
    skillLabels: 'text[]',
    trainingCodes: 'string[]',
    trainingLabels: 'text[]',
    disabilityCategory: 'string',
    disabilityLevel: 'string',
    limitationCodes: 'string[]',
    limitationLabels: 'text[]',
    accommodationCodes: 'string[]',
    accommodationLabels: 'text[]',
    destinationCodes: 'string[]',
    destinationNames: 'text[]',
    needsAccessibleDormitory: 'boolean',
    minimumWage: 'number',
    status: 'string',
    updatedAt: 'number',
    version: 'number',
  },
  searchableAttributes: [
    'skillLabels',
    'trainingLabels',
    'destinationNames',
    'originRegionNames',
    'limitationLabels',
    'accommodationLabels',
  ],
  filterableAttributes: [
    'status',
    'federationId',
    'jurisdictionCodes',
    'originRegionCodes',
    'skillCodes',
    'trainingCodes',
    'disabilityCategory',
    'disabilityLevel',
    'limitationCodes',
    'accommodationCodes',
    'destinationCodes',
    'needsAccessibleDormitory',
    'minimumWage',
    'updatedAt',
  ],
  sortableAttributes: ['updatedAt', 'minimumWage'],
  rankingRules: RANKING_RULES,
  typoTolerance: TYPO_TOLERANCE,
  synonyms: mergeSynonyms(
    synonymsFromVocabulary(vocabularies.skills),
    synonymsFromVocabulary(vocabularies.limitations),
    synonymsFromVocabulary(vocabularies.accommodations),
  ),
  localizedAttributes: [
    'skillLabels',
    'trainingLabels',
    'destinationNames',
    'originRegionNames',
    'limitationLabels',
    'accommodationLabels',
  ],
  tieBreaker: { field: 'updatedAt', direction: 'desc' },
  pinyinAttributes: ['skillLabels', 'destinationNames', 'originRegionNames'],
  faceting: { maxValuesPerFacet: 100 },
  pagination: { maxTotalHits: 10_000 },
};

export const SEARCH_INDEXES = { openings: openingsIndex, worker_profiles: workerProfilesIndex } as const;
