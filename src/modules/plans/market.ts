import { AppError, type ProblemIssue } from '../../lib/errors.js';

/** A job seeker in a campaign. `county` (GB/T 2260 code) groups people who travel together. */
export interface PlanPerson {
  id: string;
  county?: string | null;
}

/** An opening with the slots still to fill. `employer` groups openings of one employer. */
export interface PlanOpening {
  id: string;
  headcount: number;
  employer?: string | null;
}

/**
 * An eligible (person, opening) pair and its score (0–100). Eligibility is decided upstream by
 * the scorer: a pair that is not listed can never be assigned.
 */
export interface CandidatePair {
  person: number;
  opening: number;
  score: number;
}

/** People and openings are addressed by their index in these arrays. */
export interface Market {
  people: readonly PlanPerson[];
  openings: readonly PlanOpening[];
  candidates: readonly CandidatePair[];
}

/**
 * Scores are compared as integers in thousandths of a point, so that every solver works in exact
 * integer arithmetic (the flow solver's optimality test is an equality on reduced costs) and ties
 * are real ties rather than floating-point noise.
 */
export const WEIGHT_SCALE = 1000;

export function toWeight(score: number): number {
  return Math.round(score * WEIGHT_SCALE);
}

export function toScore(weight: number): number {
  return weight / WEIGHT_SCALE;
}

/**
 * The market in the form the solvers use. Pairs are sorted once into the global order every
 * solver breaks ties by: score descending, then person index, then opening index. A pair is
 * then identified by its rank in that order, so "better pair" is "smaller pair index".
 */
export interface CompiledMarket {
  readonly nPeople: number;
  readonly nOpenings: number;
  readonly headcount: Int32Array;
  readonly totalSlots: number;
  /** Pairs at or above the minimum score, in the global order. */
  readonly pairPerson: Int32Array;
  readonly pairOpening: Int32Array;
  readonly pairWeight: Int32Array;
  readonly nPairs: number;
  /** CSR by person: pairs of person p are `personPairs[personStart[p] .. personStart[p+1])`, best first. */
  readonly personStart: Int32Array;
  readonly personPairs: Int32Array;
  /** CSR by opening: pairs of opening o, best first. */
  readonly openingStart: Int32Array;
  readonly openingPairs: Int32Array;
  /**
   * Eligible pairs per person before the minimum score (to tell the two "unassigned" reasons
   * apart). A pair with an opening that has no slot left does not count: "headcount left" is a
   * hard constraint of eligibility (DESIGN §3).
   */
  readonly eligibleCount: Int32Array;
  /** County index per person (-1: unknown), county codes. */
  readonly countyOf: Int32Array;
  readonly counties: readonly string[];
  /** Employer index per opening; an opening without employer is its own employer. */
  readonly employerOf: Int32Array;
  readonly employers: readonly string[];
  readonly maxWeight: number;
  /** Duplicate pairs merged (the highest score kept). */
  readonly duplicatesMerged: number;
}

const MAX_ISSUES = 20;

function invalid(issues: ProblemIssue[]): never {
  throw new AppError('validation_failed', {
    detail: '规划输入不符合要求',
    detailEn: 'The planning input is not valid',
    issues: issues.slice(0, MAX_ISSUES),
  });
}

function indexStrings(values: readonly (string | null | undefined)[], out: Int32Array): string[] {
  const seen = new Map<string, number>();
  const names: string[] = [];
  values.forEach((v, i) => {
    if (v === null || v === undefined || v === '') {
      out[i] = -1;
      return;
    }
    let k = seen.get(v);
    if (k === undefined) {
      k = names.length;
      seen.set(v, k);
      names.push(v);
    }
    out[i] = k;
  });
  return names;
}

/**
 * Checks and compiles a market. Pairs below `minScore` are dropped (but remembered, so that a
 * person whose only pairs were too weak is reported as such). A duplicated pair keeps its best
 * score: the scorer is the authority on a pair, and two scores for one pair mean two sources.
 */
export function compileMarket(market: Market, minScore = 0): CompiledMarket {
  const nPeople = market.people.length;
  const nOpenings = market.openings.length;
  const issues: ProblemIssue[] = [];

  const headcount = new Int32Array(nOpenings);
  market.openings.forEach((o, i) => {
    if (!Number.isInteger(o.headcount) || o.headcount < 0 || o.headcount > 1_000_000) {
      issues.push({
        path: `openings.${i}.headcount`,
        code: 'invalid_headcount',
        message: 'headcount must be an integer between 0 and 1,000,000',
      });
    } else {
      headcount[i] = o.headcount;
    }
  });
  if (!Number.isFinite(minScore)) {
    issues.push({ path: 'options.minScore', code: 'invalid_min_score', message: 'must be a number' });
  }

  const minWeight = toWeight(minScore);
  const eligibleCount = new Int32Array(nPeople);
  const best = new Map<number, number>();
  let duplicatesMerged = 0;
  market.candidates.forEach((c, i) => {
    if (issues.length >= MAX_ISSUES) return;
    const ok =
      Number.isInteger(c.person) &&
      c.person >= 0 &&
      c.person < nPeople &&
      Number.isInteger(c.opening) &&
      c.opening >= 0 &&
      c.opening < nOpenings;
    if (!ok) {
      issues.push({
        path: `candidates.${i}`,
        code: 'invalid_index',
        message: 'person or opening out of range',
      });
      return;
    }
    if (!Number.isFinite(c.score) || c.score < 0 || c.score > 100) {
      issues.push({ path: `candidates.${i}.score`, code: 'invalid_score', message: 'score must be 0–100' });
      return;
    }
    const key = c.person * nOpenings + c.opening;
    const w = toWeight(c.score);
    const prev = best.get(key);
    if (prev === undefined) {
      if (headcount[c.opening]! > 0) eligibleCount[c.person]! += 1;
      best.set(key, w);
    } else {
      duplicatesMerged += 1;
      if (w > prev) best.set(key, w);
    }
  });
  if (issues.length > 0) invalid(issues);

  const keys: number[] = [];
  const weights: number[] = [];
  for (const [key, w] of best) {
    if (w < minWeight) continue;
    keys.push(key);
    weights.push(w);
  }
  const nPairs = keys.length;
  const order = new Int32Array(nPairs);
  for (let i = 0; i < nPairs; i++) order[i] = i;
  // key = person * nOpenings + opening, so ascending key is "person, then opening".
  order.sort((a, b) => weights[b]! - weights[a]! || keys[a]! - keys[b]!);

  const pairPerson = new Int32Array(nPairs);
  const pairOpening = new Int32Array(nPairs);
  const pairWeight = new Int32Array(nPairs);
  let maxWeight = 0;
  for (let r = 0; r < nPairs; r++) {
    const i = order[r]!;
    const key = keys[i]!;
    pairPerson[r] = Math.floor(key / nOpenings);
    pairOpening[r] = key % nOpenings;
    pairWeight[r] = weights[i]!;
    if (weights[i]! > maxWeight) maxWeight = weights[i]!;
  }

  const [personStart, personPairs] = csr(nPeople, pairPerson);
  const [openingStart, openingPairs] = csr(nOpenings, pairOpening);

  const countyOf = new Int32Array(nPeople);
  const counties = indexStrings(
    market.people.map((p) => p.county),
    countyOf,
  );
  const employerOf = new Int32Array(nOpenings);
  const employers = indexStrings(
    market.openings.map((o) => o.employer),
    employerOf,
  );
  const allEmployers = [...employers];
  for (let o = 0; o < nOpenings; o++) {
    if (employerOf[o] === -1) {
      employerOf[o] = allEmployers.length;
      allEmployers.push(`opening:${market.openings[o]!.id}`);
    }
  }

  let totalSlots = 0;
  for (let o = 0; o < nOpenings; o++) totalSlots += headcount[o]!;

  return {
    nPeople,
    nOpenings,
    headcount,
    totalSlots,
    pairPerson,
    pairOpening,
    pairWeight,
    nPairs,
    personStart,
    personPairs,
    openingStart,
    openingPairs,
    eligibleCount,
    countyOf,
    counties,
    employerOf,
    employers: allEmployers,
    maxWeight,
    duplicatesMerged,
  };
}

/** Groups pair indices by owner; pair indices stay ascending within a group (best first). */
export function csr(n: number, owner: Int32Array): [Int32Array, Int32Array] {
  const start = new Int32Array(n + 1);
  for (let i = 0; i < owner.length; i++) start[owner[i]! + 1]! += 1;
  for (let i = 0; i < n; i++) start[i + 1]! += start[i]!;
  const fill = start.slice(0, n);
  const items = new Int32Array(owner.length);
  for (let i = 0; i < owner.length; i++) items[fill[owner[i]!]!++] = i;
  return [start, items];
}
