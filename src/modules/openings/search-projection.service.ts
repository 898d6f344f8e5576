import type { OpeningSearchDocument } from '../../lib/search/indexes.js';
import { getVocabulary, listRegions } from '../reference/reference.service.js';
import { countOpeningsInScope, findOpenings, type Opening, streamOpenings } from './openings.repository.js';
import { type OpeningSearchContext, toSearchDocument } from './openings.search.js';
import { employerNames } from './presentation.service.js';

/** The search projection of openings (indexing; see src/modules/search). */

/** Labels for `toSearchDocument`: reference data (cached) and the employers of this batch. */
async function searchContext(openings: readonly Opening[]): Promise<OpeningSearchContext> {
  const [names, regions, skills, accommodations] = await Promise.all([
    employerNames(openings),
    listRegions({}),
    getVocabulary('skill'),
    getVocabulary('accommodation'),
  ]);
  const regionNames = new Map(regions.map((r) => [r.code, r.zh]));
  const vocab = new Map([...skills, ...accommodations].map((v) => [`${v.kind}.${v.code}`, v]));
  return {
    employerName: (id) => names.get(id) ?? null,
    regionName: (code) => regionNames.get(code),
    label: (kind, code) => vocab.get(`${kind}.${code}`),
  };
}

/** The search documents of `openings`. */
export async function openingSearchDocuments(openings: readonly Opening[]): Promise<OpeningSearchDocument[]> {
  if (openings.length === 0) return [];
  const ctx = await searchContext(openings);
  return openings.map((o) => toSearchDocument(o, ctx));
}

/**
 * Openings by id, unscoped (workers and indexing), in `_id` order; missing ids are left out. One
 * `_id: {$in: …}` query (index lookups on `_id`).
 */
export async function getOpeningsByIds(ids: readonly string[]): Promise<Opening[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  return findOpenings({ ids: unique }, unique.length);
}

/** Openings changed at or after `since` (all when undefined), in `_id` order, `batchSize` at a time. */
export function openingsChangedSince(since: Date | undefined, batchSize: number): AsyncGenerator<Opening[]> {
  return streamOpenings({ updatedSince: since }, batchSize);
}

/** How many openings exist (every one is indexed, drafts included). */
export async function countAllOpenings(): Promise<number> {
  return countOpeningsInScope({}, {});
}
