import type { ChangedEntity } from '../../jobs/changes.js';
import type { IndexDefinition, SearchDocument } from '../../lib/search/index.js';
import {
  type OpeningSearchDocument,
  openingsIndex,
  type WorkerProfileSearchDocument,
  workerProfilesIndex,
} from '../../lib/search/indexes.js';
import type { Opening } from '../openings/openings.service.js';
import {
  countAllOpenings,
  getOpeningsByIds,
  openingSearchDocuments,
  openingsChangedSince,
} from '../openings/search-projection.service.js';
import {
  countSearchableProfiles,
  profileSearchEntries,
  profileSearchEntriesSince,
  profileVersions,
} from '../worker-profiles/search-projection.service.js';

/**
 * Where each index's documents come from: MongoDB, through the owning module's service and its pure
 * `toSearchDocument`. Sync code (search.sync.ts) is written once against this interface.
 */

/** An entity as the index should reflect it: its document, or null when it must not be indexed. */
export interface SourceEntry<D extends SearchDocument> {
  readonly id: string;
  readonly version: number;
  readonly document: D | null;
}

export interface SearchSource<D extends SearchDocument> {
  readonly definition: IndexDefinition<D>;
  /** The entity whose changes (src/jobs/changes.ts) this index follows. */
  readonly entity: ChangedEntity;
  /**
   * Entities changed at or after `since` (every one when undefined), in `_id` order, `batchSize`
   * at a time (keyset pages on `_id`). Reads whole entities: the window of a poll is small.
   */
  changedSince(since: Date | undefined, batchSize: number): AsyncIterable<SourceEntry<D>[]>;
  /** The current state of `ids`; ids of entities that no longer exist are absent. */
  byIds(ids: readonly string[]): Promise<Map<string, SourceEntry<D>>>;
  /** Only the current versions of `ids` (absent: gone). */
  versions(ids: readonly string[]): Promise<Map<string, number>>;
  /** How many documents the index should hold. */
  count(): Promise<number>;
}

async function openingEntries(openings: readonly Opening[]): Promise<SourceEntry<OpeningSearchDocument>[]> {
  const docs = await openingSearchDocuments(openings);
  // Every opening is indexed, drafts included: employers search their own drafts.
  return docs.map((d) => ({ id: d.id, version: d.version, document: d }));
}

export const openingsSource: SearchSource<OpeningSearchDocument> = {
  definition: openingsIndex,
  entity: 'opening',
  async *changedSince(since, batchSize) {
    for await (const batch of openingsChangedSince(since, batchSize)) yield openingEntries(batch);
  },
  async byIds(ids) {
    const entries = await openingEntries(await getOpeningsByIds(ids));
    return new Map(entries.map((e) => [e.id, e]));
  },
  async versions(ids) {
    return new Map((await getOpeningsByIds(ids)).map((o) => [o.id, o.version]));
  },
  count: countAllOpenings,
};

/** Worker profiles: de-identified documents; erased ones (anonymous remains) are not indexed. */
export const workerProfilesSource: SearchSource<WorkerProfileSearchDocument> = {
  definition: workerProfilesIndex,
  entity: 'worker_profile',
  changedSince: profileSearchEntriesSince,
  async byIds(ids) {
    return new Map((await profileSearchEntries(ids)).map((e) => [e.id, e]));
  },
  versions: profileVersions,
  count: countSearchableProfiles,
};

/** Every index kept in step with MongoDB. */
export function searchSources(): SearchSource<SearchDocument>[] {
  return [openingsSource, workerProfilesSource] as unknown as SearchSource<SearchDocument>[];
}
