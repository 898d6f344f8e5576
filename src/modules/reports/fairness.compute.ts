import { DISABILITY_CATEGORIES } from '../worker-profiles/identity-rules.js';

/**
 * The fairness report's arithmetic (pure): counts in, rates and representation ratios out. The
 * pipelines (fairness.repository.ts) deliver counts; nothing here reads a database.
 */

/** A match document written before the dims existed, or whose person could not be found. */
export const UNKNOWN = 'unknown';

/** Milestones of the review workflow a person's match can reach, in order. */
export const MILESTONES = ['approved', 'proposed', 'hired'] as const;
export type Milestone = (typeof MILESTONES)[number];

/**
 * Statuses that prove a match reached each milestone. The review machine only moves forward
 * (approved → proposed → interested → interviewing → hired → placed → retained → ended), and
 * `declined` comes only after a proposal. `withdrawn` can follow any state before a hire
 * (a suggestion included), so for it the match's history says how far it got (`HISTORY_ONLY`).
 */
export const REACHED_BY_STATUS: Record<Milestone, readonly string[]> = {
  hired: ['hired', 'placed', 'retained', 'ended'],
  proposed: ['proposed', 'interested', 'interviewing', 'declined', 'hired', 'placed', 'retained', 'ended'],
  approved: [
    'approved',
    'proposed',
    'interested',
    'interviewing',
    'declined',
    'hired',
    'placed',
    'retained',
    'ended',
  ],
};

/** Statuses reachable from several points of the machine: counted from their history. */
export const HISTORY_ONLY = ['withdrawn'] as const;

/** A person (by id) with the dims of their match: the unit every match count is distinct over. */
export interface PersonDims {
  profileId: string;
  category: string;
  level: string;
}

/** People counted per (category, level), already distinct in the pipeline. */
export interface DimCount {
  category: string;
  level: string;
  count: number;
}

export interface ProfileCount {
  category: string;
  level: string;
  status: string;
  count: number;
}

export interface FairnessCounts {
  registered: number;
  available: number;
  inProcess: number;
  placed: number;
  inactive: number;
  /** People holding at least one current suggestion. */
  suggested: number;
  approved: number;
  proposed: number;
  hired: number;
}

export interface FairnessMeasures extends FairnessCounts {
  /** suggested ÷ available (null when nobody is available). */
  suggestionRate: number | null;
  /** hired ÷ registered. */
  hireRate: number | null;
  /** Share of the registered people. */
  populationShare: number | null;
  /** Share of the available people (those a suggestion is for). */
  availableShare: number | null;
  /** Share of the people holding a suggestion. */
  suggestedShare: number | null;
  /** Share of the people hired. */
  hiredShare: number | null;
  /** suggestedShare ÷ availableShare: 1 means suggested in proportion. */
  suggestionRepresentation: number | null;
  /** hiredShare ÷ populationShare: 1 means hired in proportion. */
  hireRepresentation: number | null;
}

export interface FairnessRow extends FairnessMeasures {
  disabilityCategory: string;
}
export interface FairnessLevelRow extends FairnessRow {
  disabilityLevel: string;
}

export interface FairnessResult {
  categories: FairnessRow[];
  levels: FairnessLevelRow[];
  totals: FairnessMeasures;
}

const EMPTY: FairnessCounts = {
  registered: 0,
  available: 0,
  inProcess: 0,
  placed: 0,
  inactive: 0,
  suggested: 0,
  approved: 0,
  proposed: 0,
  hired: 0,
};

/** Rounded to 4 places: a rate is read as a percentage with two decimals at most. */
const ratio = (a: number, b: number): number | null => (b === 0 ? null : Math.round((a / b) * 1e4) / 1e4);
const ratioOf = (a: number | null, b: number | null): number | null =>
  a === null || b === null || b === 0 ? null : Math.round((a / b) * 1e4) / 1e4;

function measure(c: FairnessCounts, total: FairnessCounts): FairnessMeasures {
  // Shares unrounded for the representation ratios, so rounding is applied once.
  const share = (a: number, b: number) => (b === 0 ? null : a / b);
  const populationShare = share(c.registered, total.registered);
  const availableShare = share(c.available, total.available);
  const suggestedShare = share(c.suggested, total.suggested);
  const hiredShare = share(c.hired, total.hired);
  const round = (x: number | null) => (x === null ? null : Math.round(x * 1e4) / 1e4);
  return {
    ...c,
    suggestionRate: ratio(c.suggested, c.available),
    hireRate: ratio(c.hired, c.registered),
    populationShare: round(populationShare),
    availableShare: round(availableShare),
    suggestedShare: round(suggestedShare),
    hiredShare: round(hiredShare),
    suggestionRepresentation: ratioOf(suggestedShare, availableShare),
    hireRepresentation: ratioOf(hiredShare, populationShare),
  };
}

const STATUS_FIELD: Record<string, keyof FairnessCounts> = {
  available: 'available',
  in_process: 'inProcess',
  placed: 'placed',
  inactive: 'inactive',
};

/**
 * Builds the report from the profile counts, the people holding a suggestion (counted distinct
 * by the pipeline) and, per milestone, the people whose matches reached it (distinct here by
 * profile id across statuses, so a person with two hired matches counts once).
 */
export function buildFairness(
  profiles: readonly ProfileCount[],
  suggested: readonly DimCount[],
  people: Record<Milestone, readonly PersonDims[]>,
): FairnessResult {
  const reached = {} as Record<Milestone, DimCount[]>;
  for (const m of MILESTONES) reached[m] = countPeople(people[m]);
  return buildFairnessFromCounts(profiles, { suggested, ...reached });
}

/**
 * People counted once each, per (category, level), under the dims of the first of their entries
 * (a person's category is one; two differing dims mean one match predates a correction).
 */
export function countPeople(people: readonly PersonDims[]): DimCount[] {
  const seen = new Set<string>();
  const counts = new Map<string, DimCount>();
  for (const d of people) {
    if (seen.has(d.profileId)) continue;
    seen.add(d.profileId);
    const key = `${d.category}|${d.level}`;
    const c = counts.get(key) ?? { category: d.category, level: d.level, count: 0 };
    c.count++;
    counts.set(key, c);
  }
  return [...counts.values()];
}

/** What the report counts of people (besides the profiles): already distinct, per (category, level). */
export type PeopleCounts = Record<'suggested' | Milestone, readonly DimCount[]>;

/**
 * The report from counts alone. Every category of the vocabulary gets a row, even empty, so a
 * missing group is seen; `unknown` only when it holds someone. Level rows only where someone is
 * counted.
 */
export function buildFairnessFromCounts(
  profiles: readonly ProfileCount[],
  people: PeopleCounts,
): FairnessResult {
  const byCategory = new Map<string, FairnessCounts>();
  const byLevel = new Map<string, FairnessCounts>();
  const total: FairnessCounts = { ...EMPTY };
  const bump = (category: string, level: string, field: keyof FairnessCounts, n: number) => {
    const c = byCategory.get(category) ?? { ...EMPTY };
    c[field] += n;
    byCategory.set(category, c);
    const key = `${category}|${level}`;
    const l = byLevel.get(key) ?? { ...EMPTY };
    l[field] += n;
    byLevel.set(key, l);
    total[field] += n;
  };
  for (const p of profiles) {
    bump(p.category, p.level, 'registered', p.count);
    const field = STATUS_FIELD[p.status];
    if (field) bump(p.category, p.level, field, p.count);
  }
  for (const measureName of ['suggested', ...MILESTONES] as const)
    for (const d of people[measureName]) bump(d.category, d.level, measureName, d.count);
  const categories: FairnessRow[] = [...DISABILITY_CATEGORIES, UNKNOWN]
    .filter((c) => c !== UNKNOWN || byCategory.has(UNKNOWN))
    .map((c) => ({ disabilityCategory: c, ...measure(byCategory.get(c) ?? { ...EMPTY }, total) }));
  const levels: FairnessLevelRow[] = [...byLevel.entries()]
    .map(([key, counts]) => {
      const [c, l] = key.split('|') as [string, string];
      return { disabilityCategory: c, disabilityLevel: l, ...measure(counts, total) };
    })
    .sort(
      (a, b) =>
        order(a.disabilityCategory, b.disabilityCategory) || order(a.disabilityLevel, b.disabilityLevel),
    );
  return { categories, levels, totals: measure(total, total) };
}

/** Codes in order, `unknown` last. */
function order(a: string, b: string): number {
  if (a === b) return 0;
  if (a === UNKNOWN) return 1;
  if (b === UNKNOWN) return -1;
  return a.localeCompare(b);
}
