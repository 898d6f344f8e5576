import { isWithin } from '../../lib/regions.js';

/**
 * The placement reports' pure parts: the rows rolled up from one grouped pipeline, percentiles and
 * buckets of the days to placement, and the target in scope. No I/O (the year's bounds are
 * lib/china-time's chinaYearBounds).
 */

/** The day the quota credit is read on: today for this year, 31 December for a past one. */
export function creditDay(year: number, today: string): string {
  const last = `${year}-12-31`;
  const first = `${year}-01-01`;
  return today > last ? last : today < first ? first : today;
}

/** One group of the placements pipeline: every report dimension, retention, and a count. */
export interface PlacementGroup {
  partnershipId: string | null;
  originCounty: string | null;
  disabilityCategory: string | null;
  disabilityLevel: string | null;
  employerId: string | null;
  m3: boolean | null;
  m6: boolean | null;
  count: number;
}

/** One group of the quota pipeline (placements credited on the day): dimensions, weight, count. */
export interface CreditGroup {
  partnershipId: string | null;
  originCounty: string | null;
  disabilityCategory: string | null;
  disabilityLevel: string | null;
  employerId: string | null;
  weight: number;
  count: number;
}

export interface RollupRow {
  key: string;
  placements: number;
  retained3m: number;
  retained6m: number;
  quotaCredit: number;
}

/** The key of a row for an unknown value (older placements lack the fields). */
export const UNKNOWN = 'unknown';

export type Dimension = 'byPartnership' | 'byCounty' | 'byCategoryLevel' | 'byEmployer';

export function keyOf(dim: Dimension, g: Omit<PlacementGroup, 'm3' | 'm6' | 'count'>): string {
  switch (dim) {
    case 'byPartnership':
      return g.partnershipId ?? 'none';
    case 'byCounty':
      return g.originCounty ?? UNKNOWN;
    case 'byCategoryLevel':
      return `${g.disabilityCategory ?? UNKNOWN}/${g.disabilityLevel ?? UNKNOWN}`;
    case 'byEmployer':
      return g.employerId ?? UNKNOWN;
  }
}

/**
 * Rows of one dimension from the groups: placements, retained at 3 and 6 months and quota credit,
 * most placements first (ties by key, so the order is stable).
 */
export function rollUp(
  dim: Dimension,
  groups: readonly PlacementGroup[],
  credits: readonly CreditGroup[],
): RollupRow[] {
  const rows = new Map<string, RollupRow>();
  const row = (key: string) => {
    let r = rows.get(key);
    if (!r) {
      r = { key, placements: 0, retained3m: 0, retained6m: 0, quotaCredit: 0 };
      rows.set(key, r);
    }
    return r;
  };
  for (const g of groups) {
    const r = row(keyOf(dim, g));
    r.placements += g.count;
    if (g.m3 === true) r.retained3m += g.count;
    if (g.m6 === true) r.retained6m += g.count;
  }
  for (const c of credits) row(keyOf(dim, c)).quotaCredit += c.weight * c.count;
  return [...rows.values()].sort((a, b) => b.placements - a.placements || a.key.localeCompare(b.key));
}

/** The nearest-rank percentile of day counts given as (days, how many) pairs; null when empty. */
export function percentile(counts: readonly { days: number; count: number }[], p: number): number | null {
  const sorted = [...counts].filter((c) => c.count > 0).sort((a, b) => a.days - b.days);
  const total = sorted.reduce((n, c) => n + c.count, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (const c of sorted) {
    seen += c.count;
    if (seen >= rank) return c.days;
  }
  return sorted.at(-1)!.days;
}

/** Histogram buckets of the days to placement: upper bounds inclusive, the last one open. */
export const DAY_BUCKETS = [
  { key: '0-7', max: 7 },
  { key: '8-14', max: 14 },
  { key: '15-30', max: 30 },
  { key: '31-60', max: 60 },
  { key: '61-90', max: 90 },
  { key: '91-180', max: 180 },
  { key: '181+', max: Number.POSITIVE_INFINITY },
] as const;

export function bucketOf(days: number): string {
  return DAY_BUCKETS.find((b) => days <= b.max)!.key;
}

export function histogram(
  counts: readonly { days: number; count: number }[],
): { key: string; count: number }[] {
  const out = DAY_BUCKETS.map((b) => ({ key: b.key, count: 0 }));
  for (const c of counts) out.find((b) => b.key === bucketOf(c.days))!.count += c.count;
  return out;
}

export function timeToPlacement(counts: readonly { days: number | null; count: number }[]) {
  const known = counts.filter((c): c is { days: number; count: number } => c.days !== null);
  return {
    placements: known.reduce((n, c) => n + c.count, 0),
    unknown: counts.filter((c) => c.days === null).reduce((n, c) => n + c.count, 0),
    median: percentile(known, 50),
    p75: percentile(known, 75),
    p90: percentile(known, 90),
    histogram: histogram(known),
  };
}

/** Percent of target, one decimal; null without a target (or a target of 0). */
export function percentOf(placed: number, target: number | null): number | null {
  if (target === null || target <= 0) return null;
  return Math.round((placed / target) * 1000) / 10;
}

export interface TargetHolder {
  organizationId: string;
  jurisdictionCode: string | null;
  target: number;
}

/**
 * The target of a report: the sum of the targets of the organisations in scope, counting only the
 * outermost ones (a prefecture's target already covers its counties'), and only those within the
 * region asked for. Null when none is set.
 */
export function targetInScope(holders: readonly TargetHolder[], region?: string): number | null {
  const inRegion = holders.filter(
    (h) => !region || (h.jurisdictionCode !== null && isWithin(h.jurisdictionCode, region)),
  );
  const outermost = inRegion.filter(
    (h) =>
      !inRegion.some(
        (o) =>
          o !== h &&
          o.jurisdictionCode !== null &&
          h.jurisdictionCode !== null &&
          o.jurisdictionCode !== h.jurisdictionCode &&
          isWithin(h.jurisdictionCode, o.jurisdictionCode),
      ),
  );
  return outermost.length ? outermost.reduce((n, h) => n + h.target, 0) : null;
}
