import type { SearchDocument, SearchIndex } from '../../lib/search/index.js';
import { findSweepState, saveSweepState } from './search.repository.js';
import type { SearchSource, SourceEntry } from './search.sources.js';

/**
 * Keeping an index equal to MongoDB without transactions (README "Search"). Every document
 * carries the `version` of the entity it was projected from; an entry lags when the index holds
 * another version, none, or one it should not hold. Writes are idempotent (an upsert replaces the
 * whole document, a delete of a missing id does nothing), so doing one twice is harmless.
 */

/**
 * How far before the last catch-up a poll or sweep looks again. `updatedAt` is stamped by the
 * writing process before its write lands, so a write in flight during one catch-up carries a time
 * before it; clocks of different processes also disagree a little. A minute covers both.
 */
export const OVERLAP_MS = 60_000;
const PAGE = 500;
/** Rounds of write-then-verify before a job gives up and lets BullMQ retry it. */
const MAX_ROUNDS = 5;

/** Of `entries`, those the index does not reflect. */
export async function lagging<D extends SearchDocument>(
  index: SearchIndex<D>,
  entries: readonly SourceEntry<D>[],
): Promise<SourceEntry<D>[]> {
  if (entries.length === 0) return [];
  const stored = await index.get(entries.map((e) => e.id));
  const versions = new Map(stored.map((d) => [d.id, d.version]));
  return entries.filter((e) => (e.document ? versions.get(e.id) !== e.version : versions.has(e.id)));
}

/** Writes `entries` (upserts, and deletes of those that must not be indexed); resolves once confirmed. */
async function write<D extends SearchDocument>(
  index: SearchIndex<D>,
  entries: readonly SourceEntry<D>[],
  goneIds: readonly string[] = [],
): Promise<void> {
  const upserts = entries.flatMap((e) => (e.document ? [e.document] : []));
  const deletes = [...entries.filter((e) => !e.document).map((e) => e.id), ...goneIds];
  if (upserts.length) await index.upsert(upserts);
  if (deletes.length) await index.delete(deletes);
}

export interface SyncResult {
  written: number;
  rounds: number;
}

/**
 * Brings `ids` to their current state in MongoDB, for writers that may run at the same time (the
 * worker's jobs). After the engine confirmed, MongoDB is read again and any id whose version moved
 * meanwhile is written again: of two jobs for versions 3 and 4 of one opening, the one whose write
 * lands last also checks last, so version 3 cannot stay in the index.
 */
export async function syncIds<D extends SearchDocument>(
  index: SearchIndex<D>,
  source: SearchSource<D>,
  ids: readonly string[],
): Promise<SyncResult> {
  let pending = [...new Set(ids)];
  let written = 0;
  for (let round = 1; round <= MAX_ROUNDS; round++) {
    const current = await source.byIds(pending);
    const gone = pending.filter((id) => !current.has(id));
    await write(index, [...current.values()], gone);
    written += pending.length;
    const after = await source.versions(pending);
    pending = pending.filter((id) => after.get(id) !== current.get(id)?.version);
    if (pending.length === 0) return { written, rounds: round };
  }
  throw new Error(`search sync: ${pending.length} document(s) kept changing; retrying later`);
}

/**
 * Writes the current state of `ids` where the index lags (the only writer: the embedded engine's
 * follower). Ids that no longer exist are deleted.
 */
export async function refreshIds<D extends SearchDocument>(
  index: SearchIndex<D>,
  source: SearchSource<D>,
  ids: readonly string[],
): Promise<number> {
  const current = await source.byIds(ids);
  const lag = await lagging(index, [...current.values()]);
  const gone = ids.filter((id) => !current.has(id));
  await write(index, lag, gone);
  return lag.length + gone.length;
}

export interface CatchUpResult {
  checked: number;
  written: number;
}

/**
 * Compares every entity changed at or after `since` (all when undefined) with the index and writes
 * what lags. `concurrentWriters`: other processes may write the same ids (verify after writing).
 */
export async function catchUp<D extends SearchDocument>(
  index: SearchIndex<D>,
  source: SearchSource<D>,
  since: Date | undefined,
  opts: { concurrentWriters: boolean },
): Promise<CatchUpResult> {
  let checked = 0;
  let written = 0;
  for await (const page of source.changedSince(since, PAGE)) {
    checked += page.length;
    const lag = await lagging(index, page);
    if (lag.length === 0) continue;
    if (opts.concurrentWriters)
      written += (
        await syncIds(
          index,
          source,
          lag.map((e) => e.id),
        )
      ).written;
    else {
      await write(index, lag);
      written += lag.length;
    }
  }
  return { checked, written };
}

/** Batch size of a rebuild's cursor: fewer round trips; the index yields within a batch anyway. */
const REBUILD_PAGE = 2_000;

/**
 * Every document of `source`, in batches, for a rebuild (`SearchIndex.reindex`). The next batch is
 * asked for before the current one is handed over, so MongoDB reads it while this one is indexed.
 */
export async function* documentsOf<D extends SearchDocument>(
  source: SearchSource<D>,
  size = REBUILD_PAGE,
): AsyncGenerator<D[]> {
  const pages = source.changedSince(undefined, size)[Symbol.asyncIterator]();
  try {
    let next = pages.next();
    for (;;) {
      const page = await next;
      if (page.done) return;
      next = pages.next();
      // A read that fails while its batch waits is reported when awaited, not as unhandled.
      next.catch(() => undefined);
      const docs = page.value.flatMap((e) => (e.document ? [e.document] : []));
      if (docs.length) yield docs;
    }
  } finally {
    await pages.return?.();
  }
}

/** How often a sweep compares document counts (a cheap check that the index lost nothing). */
export const COUNT_CHECK_EVERY_MS = 10 * 60_000;

export interface SweepResult extends CatchUpResult {
  index: string;
  full: boolean;
}

/**
 * The worker's sweep of one index (Meilisearch mode): settings applied (idempotent), then every
 * entity changed since the last sweep (with OVERLAP_MS) compared with the index and what lags
 * written. Full — every entity — the first time, when asked, or when the counts of MongoDB and the
 * index differ (the index was wiped or restored from an old snapshot). Covers changes whose job
 * never ran or failed for good: Redis or the engine was down.
 */
export async function sweepIndex<D extends SearchDocument>(
  index: SearchIndex<D>,
  source: SearchSource<D>,
  opts: { full?: boolean; now?: Date } = {},
): Promise<SweepResult> {
  const now = opts.now ?? new Date();
  await index.configure();
  const state = await findSweepState(index.uid);
  let full = opts.full === true || state === null;
  let countedAt = state?.countedAt ?? now;
  if (!full && now.getTime() - countedAt.getTime() >= COUNT_CHECK_EVERY_MS) {
    const [inIndex, inMongo] = await Promise.all([index.count(), source.count()]);
    full = inIndex !== inMongo;
    countedAt = now;
  }
  const since = full || !state ? undefined : new Date(state.sweptTo.getTime() - OVERLAP_MS);
  const result = await catchUp(index, source, since, { concurrentWriters: true });
  await saveSweepState(index.uid, { sweptTo: now, countedAt: full ? now : countedAt });
  return { index: index.uid, full, ...result };
}

/**
 * Rebuilds `index` from MongoDB while the current one keeps answering (Meilisearch: a new index
 * filled in batches, then swapped in; embedded: a second in-memory index), then writes again what
 * changed since the rebuild began — the jobs of that time wrote to the index being replaced.
 */
export async function rebuildIndex<D extends SearchDocument>(
  index: SearchIndex<D>,
  source: SearchSource<D>,
  batch = PAGE,
): Promise<{ documents: number; caughtUp: number }> {
  const started = new Date();
  await index.configure();
  const { documents } = await index.reindex(documentsOf(source, batch));
  const since = new Date(started.getTime() - OVERLAP_MS);
  const { written } = await catchUp(index, source, since, { concurrentWriters: true });
  return { documents, caughtUp: written };
}
