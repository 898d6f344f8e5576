import mongoose, { Schema } from 'mongoose';
import type { ScopeFilter } from '../../lib/auth/scope.js';
import { isDuplicateKey, trustedFilter, withinScope } from '../../lib/db/index.js';
import { countActionsIn, countSuggestedIn } from '../matches/matches.reports.js';
import { PLACEMENT_COLLECTION } from '../placements/placements.service.js';
import type { CreditGroup, PlacementGroup } from './placements-report.rules.js';

/**
 * The placement reports' pipelines. Every `$match` holds the caller's scope (`profileRegionPath` /
 * `openingRegionPath`) and the date, which the placements' `{ <scope field>: 1, hiredAt: 1 }` and
 * the matches' indexes serve (matches.reports.ts). The report's people and their dims are denormalised onto the placements at hire,
 * so no `$lookup` is needed. The placements of the period are grouped once by every report
 * dimension and retention state together (at most nine retention combinations per dimension
 * tuple), and rolled up per dimension by `rollUp` (placements-report.rules.ts).
 */

export interface ReportFilter {
  scope: ScopeFilter;
  from: Date;
  to: Date;
  /** Only people whose origin lies in this region. */
  region?: string;
}

const placements = () => mongoose.connection.collection(PLACEMENT_COLLECTION);

/**
 * Placements hired in [from, to) within the scope. Placements recorded before the hire date was
 * kept are dated by when they were recorded.
 */
function placementMatch(f: ReportFilter, extra: Record<string, unknown>[] = []): Record<string, unknown> {
  const when = {
    $or: [
      { hiredAt: { $gte: f.from, $lt: f.to } },
      { hiredAt: null, createdAt: { $gte: f.from, $lt: f.to } },
    ],
  };
  return withinScope(
    { ...(f.region ? { profileRegionPath: f.region } : {}), $and: [when, ...extra] },
    f.scope,
  );
}

type Key = Record<string, string | boolean | number | null | undefined>;
const v = <T>(x: T | undefined): T | null => (x === undefined ? null : x);

/** The report dimensions as a `$group` key (short names), and back from a group's key. */
const DIMENSION_KEY = {
  p: '$partnershipId',
  c: '$originCounty',
  cat: '$disabilityCategory',
  l: '$disabilityLevel',
  e: '$employerId',
} as const;
function dimensionsOf(key: Key) {
  return {
    partnershipId: v(key.p) as string | null,
    originCounty: v(key.c) as string | null,
    disabilityCategory: v(key.cat) as string | null,
    disabilityLevel: v(key.l) as string | null,
    employerId: v(key.e) as string | null,
  };
}

type Grouped = { _id: Key; n: number };

/**
 * The placements of the period, from one pipeline: grouped by every report dimension and
 * retention (`groups`), and counted by whole days from suggestion to hire (`days`; null: not
 * known), each only when asked for. Both groupings read the same `$match`, so they are one
 * `$facet` (each facet's output is small: one entry per group).
 */
export async function placementsOfPeriod(
  f: ReportFilter,
  want: { groups: boolean; days: boolean },
): Promise<{ groups: PlacementGroup[]; days: { days: number | null; count: number }[] }> {
  const facets: Record<string, Record<string, unknown>[]> = {};
  if (want.groups)
    facets.groups = [
      { $group: { _id: { ...DIMENSION_KEY, m3: '$retention.m3', m6: '$retention.m6' }, n: { $sum: 1 } } },
    ];
  if (want.days) facets.days = [{ $group: { _id: '$daysToHire', n: { $sum: 1 } } }, { $sort: { _id: 1 } }];
  if (!want.groups && !want.days) return { groups: [], days: [] };
  const [out] = await placements()
    .aggregate<{ groups?: Grouped[]; days?: { _id: number | null | undefined; n: number }[] }>([
      { $match: placementMatch(f) },
      { $facet: facets },
    ])
    .toArray();
  return {
    groups: (out?.groups ?? []).map((r) => ({
      ...dimensionsOf(r._id),
      m3: v(r._id.m3) as boolean | null,
      m6: v(r._id.m6) as boolean | null,
      count: r.n,
    })),
    days: (out?.days ?? []).map((r) => ({ days: typeof r._id === 'number' ? r._id : null, count: r.n })),
  };
}

/** Still employed on `day` (not ended, or ended after it) under a running contract. */
function activeOn(day: string): Record<string, unknown>[] {
  return [
    { contractStart: { $lte: day } },
    { contractEnd: { $gte: day } },
    { $or: [{ status: { $in: ['placed', 'retained'] } }, { endedOn: { $gt: day } }] },
  ];
}

/**
 * Placements of the period credited to their employer's quota on `day`: the conditions fixed at
 * hire met (`quotaEligible`) and employed that day; grouped by dimension and weight.
 */
export async function creditGroups(f: ReportFilter, day: string): Promise<CreditGroup[]> {
  const rows = await placements()
    .aggregate<{ _id: Key; n: number }>([
      { $match: placementMatch(f, [{ quotaEligible: true }, ...activeOn(day)]) },
      {
        $group: { _id: { ...DIMENSION_KEY, w: '$quotaWeight' }, n: { $sum: 1 } },
      },
    ])
    .toArray();
  return rows.map((r) => ({
    ...dimensionsOf(r._id),
    weight: Number(r._id.w ?? 0),
    count: r.n,
  }));
}

/** Placements recorded before `quotaEligible` was kept, employed on `day`: the service judges them. */
export async function legacyActivePlacements(f: ReportFilter, day: string) {
  return placements()
    .find(placementMatch(f, [{ quotaEligible: null }, ...activeOn(day)]), {
      projection: {
        profileId: 1,
        employerId: 1,
        contractStart: 1,
        contractEnd: 1,
        monthlyWage: 1,
        minimumWageAtHire: 1,
        socialInsurance: 1,
        disabilityLevel: 1,
        status: 1,
        endedOn: 1,
      },
    })
    .toArray();
}

/** Matches that (last) became a suggestion in the period. */
export async function countSuggested(f: ReportFilter): Promise<number> {
  return countSuggestedIn(f);
}

/** Matches that reached each stage in the period, from their history (matches.reports.ts). */
export async function countStages(
  f: ReportFilter,
  actions: readonly string[],
): Promise<Record<string, number>> {
  return countActionsIn(f, actions);
}

// ---- targets ----------------------------------------------------------------------------------

const TARGET_COLLECTION = 'placement_targets';

/** One organisation's placement target for a year; `_id` is `<organizationId>/<year>`. */
const targetSchema = new Schema(
  {
    _id: { type: String, required: true },
    organizationId: { type: String, required: true },
    year: { type: Number, required: true },
    target: { type: Number, required: true },
    version: { type: Number, required: true },
    updatedBy: { type: String, required: true },
  },
  { collection: TARGET_COLLECTION, timestamps: true, versionKey: false },
);
targetSchema.index({ year: 1, organizationId: 1 });
const TargetModel = mongoose.model('PlacementTarget', targetSchema);

export interface PlacementTarget {
  organizationId: string;
  year: number;
  target: number | null;
  /** 0 while none is set (If-Match `W/"0"` sets the first). */
  version: number;
}

const targetId = (organizationId: string, year: number) => `${organizationId}/${year}`;

export async function findTarget(organizationId: string, year: number): Promise<PlacementTarget> {
  const doc = await TargetModel.findById(targetId(organizationId, year)).lean();
  return doc
    ? { organizationId, year, target: doc.target, version: doc.version }
    : { organizationId, year, target: null, version: 0 };
}

export async function targetsOfYear(
  year: number,
  organizationIds?: readonly string[],
): Promise<{ organizationId: string; target: number }[]> {
  const filter = organizationIds ? { year, organizationId: { $in: [...organizationIds] } } : { year };
  const docs = await TargetModel.find(trustedFilter(filter)).lean();
  return docs.map((d) => ({ organizationId: d.organizationId, target: d.target }));
}

/** Sets the target if it is still at `expected` (0: none yet); null when someone else changed it. */
export async function setTargetIfVersion(
  organizationId: string,
  year: number,
  expected: number,
  target: number,
  by: string,
): Promise<PlacementTarget | null> {
  const id = targetId(organizationId, year);
  if (expected === 0) {
    // The first target: the insert wins exactly once (the `_id` is the organisation and year).
    try {
      await TargetModel.create({ _id: id, organizationId, year, target, version: 1, updatedBy: by });
    } catch (err) {
      if (isDuplicateKey(err)) return null;
      throw err;
    }
    return { organizationId, year, target, version: 1 };
  }
  const doc = await TargetModel.findOneAndUpdate(
    { _id: id, version: expected },
    { $set: { target, updatedBy: by }, $inc: { version: 1 } },
    { returnDocument: 'after' },
  ).lean();
  return doc ? { organizationId, year, target: doc.target, version: doc.version } : null;
}
