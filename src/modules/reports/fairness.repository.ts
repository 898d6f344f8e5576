import type { ScopeFilter } from '../../lib/auth/scope.js';
import { withinScope } from '../../lib/db.js';
import { MatchModel } from '../matches/matches.repository.js';
import {
  type DimCount,
  HISTORY_ONLY,
  MILESTONES,
  type Milestone,
  type PersonDims,
  REACHED_BY_STATUS,
  UNKNOWN,
} from './fairness.compute.js';

/**
 * The fairness report's match pipelines. `matches` carries the person's category and level
 * (report-only dims written by the matching jobs), so no join with 100k profiles is needed.
 *
 * Only what FerretDB v1 runs: `$match` + `$group`, no `$lookup`, no `$facet`, and no `$unwind`
 * (measured on FerretDB v1.24: `$unwind` drops the document's other fields). Every pipeline
 * leads with an equality on `status` (+ the scope on `profileRegionPath`), which the
 * `{ status: 1, profileRegionPath: 1, score: -1 }` index serves; FerretDB v1 pushes only
 * top-level equalities down to PostgreSQL, so one pipeline per status instead of one `$in`.
 */

type Key = { p?: string; c?: string; l?: string };
// A document without the dims groups under a key missing them (FerretDB leaves the field out).
const dim = (v: string | undefined) => v ?? UNKNOWN;

/** People holding at least one current suggestion, per (category, level): distinct in the pipeline. */
export async function countSuggestedPeople(scope: ScopeFilter, region?: string): Promise<DimCount[]> {
  const rows = await MatchModel.aggregate<{ _id: Key; n: number }>([
    { $match: withinScope({ status: 'suggested', ...(region ? { profileRegionPath: region } : {}) }, scope) },
    { $group: { _id: { p: '$profileId', c: '$profileCategory', l: '$profileLevel' } } },
    { $group: { _id: { c: '$_id.c', l: '$_id.l' }, n: { $sum: 1 } } },
  ]);
  return rows.map((r) => ({ category: dim(r._id.c), level: dim(r._id.l), count: r.n }));
}

async function peopleIn(match: Record<string, unknown>, scope: ScopeFilter): Promise<PersonDims[]> {
  const rows = await MatchModel.aggregate<{ _id: Key }>([
    { $match: withinScope(match, scope) },
    { $group: { _id: { p: '$profileId', c: '$profileCategory', l: '$profileLevel' } } },
  ]);
  return rows.map((r) => ({ profileId: r._id.p ?? '', category: dim(r._id.c), level: dim(r._id.l) }));
}

/**
 * Per milestone (approved, proposed, hired), the people with a match that reached it, with the
 * match's dims. Distinct per status in the pipeline; merged across statuses by the caller. These
 * are matches a person acted on: a small part of the collection.
 */
export async function peopleReaching(
  scope: ScopeFilter,
  region?: string,
): Promise<Record<Milestone, PersonDims[]>> {
  const where = region ? { profileRegionPath: region } : {};
  const statuses = [...new Set(MILESTONES.flatMap((m) => REACHED_BY_STATUS[m]))];
  const [perStatus, fromHistory] = await Promise.all([
    Promise.all(statuses.map(async (s) => [s, await peopleIn({ status: s, ...where }, scope)] as const)),
    // The status equality narrows first; the history test then reads only those few documents.
    Promise.all(
      MILESTONES.map(async (m) =>
        (
          await Promise.all(
            HISTORY_ONLY.map((s) => peopleIn({ status: s, 'history.to': m, ...where }, scope)),
          )
        ).flat(),
      ),
    ),
  ]);
  const by = new Map(perStatus);
  const out = {} as Record<Milestone, PersonDims[]>;
  MILESTONES.forEach((m, i) => {
    out[m] = [...REACHED_BY_STATUS[m].flatMap((s) => by.get(s) ?? []), ...fromHistory[i]!];
  });
  return out;
}
