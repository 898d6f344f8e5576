import type { ScopeFilter } from '../../lib/auth/scope.js';
import { withinScope } from '../../lib/db.js';
import { MatchModel } from '../matches/matches.repository.js';
import { HISTORY_ONLY, MILESTONES, type Milestone, REACHED_BY_STATUS, UNKNOWN } from './fairness.compute.js';
import type { PlacedPerson } from './fairness.snapshot.js';

/**
 * The fairness snapshot's reads of `matches` (run by the worker, never per request). Each match
 * carries its person's category, level and origin (report-only dims written by the matching
 * jobs), so no join with the profiles is needed.
 *
 * Shaped by what FerretDB v1 does (measured here, see README):
 * - Only top-level equalities are pushed down to PostgreSQL; `$in` makes FerretDB convert every
 *   document of the collection. So every read leads with an equality on `status` (served by the
 *   `{ status: 1, profileRegionPath: 1, score: -1 }` index), one read per status. The snapshot
 *   reads with no scope (everyone, once) and keys people by origin (fairness.snapshot.ts).
 * - `$group` keeps its groups in FerretDB's memory and compares keys one by one: grouping a
 *   large set by person (tens of thousands of keys) stalled the shared FerretDB for many minutes.
 *   People are therefore made distinct here, from a cursor projected to four fields (one map
 *   entry per person in scope), never by a `$group` on `profileId`.
 * - `$unwind` drops the document's other fields (FerretDB v1.24), so history is tested by a
 *   `$match` on `history.to` after the status equality has narrowed the set.
 */

type Dims = {
  profileId: string;
  profileRegionPath?: string[];
  profileCategory?: string;
  profileLevel?: string;
};

const dim = (v: string | undefined) => v ?? UNKNOWN;

/** The people (distinct by profile id) of the matches of `match` within `scope`, with their origin. */
async function peopleIn(match: Record<string, unknown>, scope: ScopeFilter): Promise<PlacedPerson[]> {
  const seen = new Map<string, PlacedPerson>();
  const cursor = MatchModel.find(withinScope(match, scope), {
    _id: 0,
    profileId: 1,
    profileRegionPath: 1,
    profileCategory: 1,
    profileLevel: 1,
  })
    .lean<Dims>()
    .cursor({ batchSize: 1_000 });
  for await (const d of cursor) {
    if (seen.has(d.profileId)) continue;
    seen.set(d.profileId, {
      profileId: d.profileId,
      regionPath: d.profileRegionPath ?? [],
      category: dim(d.profileCategory),
      level: dim(d.profileLevel),
    });
  }
  return [...seen.values()];
}

/** People holding at least one current suggestion, each with the dims and origin of one match. */
export async function suggestedPeople(scope: ScopeFilter): Promise<PlacedPerson[]> {
  return peopleIn({ status: 'suggested' }, scope);
}

/**
 * Per milestone (approved, proposed, hired), the people with a match that reached it, with the
 * match's dims and origin: one read per status (matches a person acted on, a small part of the
 * collection), merged across statuses by the caller (distinct there).
 */
export async function peopleReaching(scope: ScopeFilter): Promise<Record<Milestone, PlacedPerson[]>> {
  const statuses = [...new Set(MILESTONES.flatMap((m) => REACHED_BY_STATUS[m]))];
  // One read at a time: each is small, and the shared FerretDB is spared a burst of scans.
  const by = new Map<string, PlacedPerson[]>();
  for (const s of statuses) by.set(s, await peopleIn({ status: s }, scope));
  const out = {} as Record<Milestone, PlacedPerson[]>;
  for (const m of MILESTONES) {
    const fromHistory: PlacedPerson[] = [];
    for (const s of HISTORY_ONLY)
      fromHistory.push(...(await peopleIn({ status: s, 'history.to': m }, scope)));
    out[m] = [...REACHED_BY_STATUS[m].flatMap((s) => by.get(s) ?? []), ...fromHistory];
  }
  return out;
}
