import { type Match, MatchModel, toMatch } from './matches.repository.js';

/**
 * Bulk writes for benchmarks, demo loaders and test fixtures only (never a request path): raw match
 * documents inserted as given, bypassing the state machine. The matching runs' write path is
 * re-exported for the matching benchmark.
 */
export { applyMatchOps, storedMatchesOf } from './matches.repository.js';

/** Inserts raw match documents (in batches by the caller); nothing checks their states. */
export async function insertMatchDocuments(docs: readonly Record<string, unknown>[]): Promise<void> {
  if (docs.length) await MatchModel.collection.insertMany(docs.map((d) => ({ ...d })));
}

/** One match document made through the model (defaults and validation applied), read back. */
export async function createMatchDocument(doc: Record<string, unknown>): Promise<Match> {
  const created = await MatchModel.create(doc);
  return toMatch(created.toObject() as never);
}

/** Pairs (profile, opening) held by more than one document: always empty under the unique index. */
export async function duplicatePairs(): Promise<{ n: number }[]> {
  return MatchModel.aggregate<{ n: number }>([
    { $group: { _id: { p: '$profileId', o: '$openingId' }, n: { $sum: 1 } } },
    { $match: { n: { $gt: 1 } } },
  ]);
}

/** How many matches of a filter exist (tests and the rematch report). */
export { countMatches } from './matches.repository.js';
