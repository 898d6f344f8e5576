import { PROFILE_STATUSES, type ProfileStatus } from '../worker-profiles/status.js';
import {
  buildFairnessFromCounts,
  type DimCount,
  type FairnessResult,
  MILESTONES,
  type Milestone,
  type PersonDims,
  type ProfileCount,
} from './fairness.compute.js';

/**
 * The fairness snapshot's arithmetic (pure): the whole country's counts keyed by the finest
 * region a person has (their origin, a county: the last code of `regionPath`), so that any scope
 * is answered by summing the rows whose `regionPath` lies in it. A person is in exactly one
 * region and counted in one row per measure, so a sum over any set of regions counts nobody
 * twice — unlike per-region distinct counts, which cannot be added.
 */

/** A person (distinct by profile id) with the dims and origin region of their match. */
export interface PlacedPerson extends PersonDims {
  regionPath: readonly string[];
}

/** Profiles counted by origin region, category, level and status. */
export interface PlacedProfileCount extends ProfileCount {
  regionPath: readonly string[];
}

export type StatusCounts = Record<ProfileStatus, number>;

/** What one row of the snapshot counts: one (region, category, level). */
export interface DimTotals {
  category: string;
  level: string;
  /** People registered, by their current status (erased never counted). */
  registered: StatusCounts;
  suggestedPeople: number;
  approvedPeople: number;
  proposedPeople: number;
  hiredPeople: number;
}

export interface SnapshotRow extends DimTotals {
  /** The origin region and its ancestors (`regionScopeFilter` / `withinScope` apply as to profiles). */
  regionPath: string[];
}

const PEOPLE_FIELD = {
  suggested: 'suggestedPeople',
  approved: 'approvedPeople',
  proposed: 'proposedPeople',
  hired: 'hiredPeople',
} as const satisfies Record<'suggested' | Milestone, keyof DimTotals>;

const noStatus = (): StatusCounts => Object.fromEntries(PROFILE_STATUSES.map((s) => [s, 0])) as StatusCounts;

/**
 * The snapshot's rows: profiles added up per (region, category, level, status); the people of each
 * measure made distinct across the whole country first (a person counted once, in the region and
 * under the dims of their first entry), then counted per (region, category, level). Only rows
 * with someone counted; sorted for a stable order.
 */
export function snapshotRows(
  profiles: readonly PlacedProfileCount[],
  suggested: readonly PlacedPerson[],
  reached: Record<Milestone, readonly PlacedPerson[]>,
): SnapshotRow[] {
  const rows = new Map<string, SnapshotRow>();
  const row = (path: readonly string[], category: string, level: string) => {
    const key = `${path.join('/')}|${category}|${level}`;
    let r = rows.get(key);
    if (!r) {
      r = {
        regionPath: [...path],
        category,
        level,
        registered: noStatus(),
        suggestedPeople: 0,
        approvedPeople: 0,
        proposedPeople: 0,
        hiredPeople: 0,
      };
      rows.set(key, r);
    }
    return r;
  };
  for (const p of profiles) {
    // A status outside the vocabulary would be lost silently by a sum of known fields.
    if (!(PROFILE_STATUSES as readonly string[]).includes(p.status))
      throw new Error(`unknown profile status "${p.status}"`);
    row(p.regionPath, p.category, p.level).registered[p.status as ProfileStatus] += p.count;
  }
  const people: Record<'suggested' | Milestone, readonly PlacedPerson[]> = { suggested, ...reached };
  for (const measure of ['suggested', ...MILESTONES] as const) {
    const seen = new Set<string>();
    for (const d of people[measure]) {
      if (seen.has(d.profileId)) continue;
      seen.add(d.profileId);
      row(d.regionPath, d.category, d.level)[PEOPLE_FIELD[measure]]++;
    }
  }
  return [...rows.values()].sort(
    (a, b) =>
      a.regionPath.join('/').localeCompare(b.regionPath.join('/')) ||
      a.category.localeCompare(b.category) ||
      a.level.localeCompare(b.level),
  );
}

/** Rows added up per (category, level): what the report's `$group` does over the rows in scope. */
export function sumByDims(rows: readonly DimTotals[]): DimTotals[] {
  const out = new Map<string, DimTotals>();
  for (const r of rows) {
    const key = `${r.category}|${r.level}`;
    const s = out.get(key) ?? {
      category: r.category,
      level: r.level,
      registered: noStatus(),
      suggestedPeople: 0,
      approvedPeople: 0,
      proposedPeople: 0,
      hiredPeople: 0,
    };
    for (const status of PROFILE_STATUSES) s.registered[status] += r.registered[status] ?? 0;
    for (const f of Object.values(PEOPLE_FIELD)) s[f] += r[f];
    out.set(key, s);
  }
  return [...out.values()];
}

/** The report (rates, shares, ratios) from rows summed per (category, level). */
export function fairnessFromTotals(totals: readonly DimTotals[]): FairnessResult {
  const profiles: ProfileCount[] = [];
  const people: Record<'suggested' | Milestone, DimCount[]> = {
    suggested: [],
    approved: [],
    proposed: [],
    hired: [],
  };
  for (const t of totals) {
    for (const status of PROFILE_STATUSES) {
      const count = t.registered[status] ?? 0;
      if (count) profiles.push({ category: t.category, level: t.level, status, count });
    }
    for (const measure of ['suggested', ...MILESTONES] as const) {
      const count = t[PEOPLE_FIELD[measure]];
      if (count) people[measure].push({ category: t.category, level: t.level, count });
    }
  }
  return buildFairnessFromCounts(profiles, people);
}
