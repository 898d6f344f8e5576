import type { ScopeFilter } from '../../lib/auth/scope.js';
import { peopleOfMatches } from '../matches/matches.reports.js';
import { HISTORY_ONLY, MILESTONES, type Milestone, REACHED_BY_STATUS, UNKNOWN } from './fairness.compute.js';
import type { PlacedPerson } from './fairness.snapshot.js';

/**
 * The fairness snapshot's reads of `matches` (run by the worker, never per request). Each match
 * carries its person's category, level and origin (report-only dims written by the matching
 * jobs), so no join with the profiles is needed. Each read is one pipeline (matches.reports.ts). The snapshot reads with no scope (everyone,
 * once) and keys people by origin (fairness.snapshot.ts).
 */

/** The people (distinct by profile id) of the matches of `match` within `scope`, with their origin. */
async function peopleIn(match: Record<string, unknown>, scope: ScopeFilter): Promise<PlacedPerson[]> {
  return (await peopleOfMatches(match, scope)).map((d) => ({
    profileId: d.profileId,
    regionPath: d.regionPath,
    category: d.category ?? UNKNOWN,
    level: d.level ?? UNKNOWN,
  }));
}

/** People holding at least one current suggestion, each with the dims and origin of one match. */
export async function suggestedPeople(scope: ScopeFilter): Promise<PlacedPerson[]> {
  return peopleIn({ status: 'suggested' }, scope);
}

/**
 * Per milestone (approved, proposed, hired), the people with a match that reached it (its status
 * proves it, or a withdrawn match's history does), with the dims and origin of one such match:
 * one pipeline per milestone, run together.
 */
export async function peopleReaching(scope: ScopeFilter): Promise<Record<Milestone, PlacedPerson[]>> {
  const lists = await Promise.all(
    MILESTONES.map((m) =>
      peopleIn(
        {
          $or: [
            { status: { $in: [...REACHED_BY_STATUS[m]] } },
            { status: { $in: [...HISTORY_ONLY] }, 'history.to': m },
          ],
        },
        scope,
      ),
    ),
  );
  return Object.fromEntries(MILESTONES.map((m, i) => [m, lists[i]!])) as Record<Milestone, PlacedPerson[]>;
}
