import type { ScopeFilter } from '../../lib/auth/scope.js';
import { trustedFilter, withinScope } from '../../lib/db/index.js';
import { MATCH_STATUSES } from '../matching/reconcile.js';
import { MatchModel } from './matches.repository.js';

/**
 * The reports' reads of `matches` (read only; the reports module owns what they mean). Each match
 * carries its person's category, level and origin (report-only dims), so no join is needed.
 */

export interface MatchPerson {
  profileId: string;
  regionPath: string[];
  category: string | null;
  level: string | null;
}

/**
 * The people (distinct by profile id) of the matches of `filter` within `scope`, each with the
 * dims and origin of their oldest match: a `$match` led by the status, then a `$group` on the person.
 */
export async function peopleOfMatches(
  filter: Record<string, unknown>,
  scope: ScopeFilter,
): Promise<MatchPerson[]> {
  const rows = await MatchModel.aggregate<{
    _id: string;
    regionPath: string[] | null;
    category: string | null;
    level: string | null;
  }>([
    { $match: withinScope(filter, scope) },
    { $sort: { _id: 1 } },
    {
      $group: {
        _id: '$profileId',
        regionPath: { $first: '$profileRegionPath' },
        category: { $first: '$profileCategory' },
        level: { $first: '$profileLevel' },
      },
    },
  ]).allowDiskUse(true);
  return rows.map((d) => ({
    profileId: d._id,
    regionPath: d.regionPath ?? [],
    category: d.category ?? null,
    level: d.level ?? null,
  }));
}

/** A period of the placement report, in the caller's scope, optionally of one origin region. */
export interface MatchPeriod {
  scope: ScopeFilter;
  from: Date;
  to: Date;
  region?: string;
}

function periodFilter(f: MatchPeriod, when: Record<string, unknown>): Record<string, unknown> {
  return withinScope({ ...(f.region ? { profileRegionPath: f.region } : {}), ...when }, f.scope);
}

/** Matches that (last) became a suggestion in the period. */
export async function countSuggestedIn(f: MatchPeriod): Promise<number> {
  const [row] = await MatchModel.aggregate<{ n: number }>([
    { $match: periodFilter(f, { suggestedAt: { $gte: f.from, $lt: f.to } }) },
    { $count: 'n' },
  ]);
  return row?.n ?? 0;
}

/** Where a match can be once a person approved it (suggested, superseded and rejected cannot). */
const AFTER_APPROVAL = MATCH_STATUSES.filter(
  (s) => s !== 'suggested' && s !== 'superseded' && s !== 'rejected',
);

/**
 * How many history entries of each of `actions` (taken after an approval) fall in the period. The
 * machine lets a match take each of approve, propose and hire at most once, so entries are counted
 * directly. One pipeline, led by the statuses after an approval (index
 * `{ status: 1, profileRegionPath: 1, score: -1 }`), so mere suggestions are never read.
 */
export async function countActionsIn(
  f: MatchPeriod,
  actions: readonly string[],
): Promise<Record<string, number>> {
  const inPeriod = { $gte: f.from, $lt: f.to };
  const rows = await MatchModel.aggregate<{ _id: string; n: number }>([
    { $match: periodFilter(f, { status: { $in: [...AFTER_APPROVAL] }, 'history.at': inPeriod }) },
    { $unwind: '$history' },
    { $match: trustedFilter({ 'history.action': { $in: [...actions] }, 'history.at': inPeriod }) },
    { $group: { _id: '$history.action', n: { $sum: 1 } } },
  ]);
  return Object.fromEntries(rows.map((row) => [row._id, row.n]));
}
