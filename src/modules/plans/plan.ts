import { performance } from 'node:perf_hooks';
import { AppError } from '../../lib/errors.js';
import { type ForcedMove, type ForcedMoveQuery, forcedMoves } from './explain.js';
import { solveByFlow } from './flow.js';
import {
  type Assignment,
  deferredAcceptance,
  enforceEmployerLimit,
  greedy,
  greedyFill,
  openingLoads,
} from './heuristics.js';
import { type HighsOutcome, type MipTerms, solveByHighs } from './highs.js';
import { type CompiledMarket, compileMarket, type Market, toScore, toWeight } from './market.js';
import { objectiveWeight, solveTermsFast, type TermsOptions } from './terms.js';

export type SolverName = 'auto' | 'highs' | 'flow' | 'greedy' | 'deferred-acceptance';

/**
 * Options of a plan.
 *
 * Same-county groups (`groupBonus`): people of one origin county travel and settle together,
 * and a person alone far from home is the first to quit. The objective adds `points` for every
 * placed person who has at least one companion from their county at the same employer (or the
 * same opening, with `scope: 'opening'`). This "nobody alone" bonus is linear in the model (two
 * auxiliary variables per county × place group, one of them binary, see highs.ts) and grows
 * only linearly with the group size, so it does not herd whole counties into one employer —
 * which a bonus per *pair* of same-county people would do (it grows with the square of the
 * group size) while needing a variable per pair of people. With a bonus the exact model is a
 * MIP.
 *
 * Distinct employers per batch (`maxEmployersPerBatch`): a transfer batch leaves from one origin
 * county with its escorts; each destination employer is another leg, another hand-over, another
 * follow-up visit. The rule caps, per origin county, the number of distinct employers its
 * people are sent to (people without a county are not constrained). Exact in the MIP (a binary
 * per county × employer); the fast plan keeps each county's best employers and re-solves the
 * flow within them (terms.ts); the baselines keep the best employers and refill greedily.
 */
export interface PlanOptions {
  /**
   * 'auto' (default): the min-cost-flow solver when the objective is the score alone (exact,
   * fastest); with a group bonus or an employer limit, the HiGHS MIP started from the fast
   * flow-based plan (terms.ts), which is also the fallback (too many pairs, no solution).
   * 'highs': HiGHS for every objective (the LP when the score alone). 'flow': the flow solver,
   * with the fast plan for the terms. 'greedy', 'deferred-acceptance': the baselines as plans.
   */
  solver?: SolverName;
  /** Pairs scoring below this are not used (default 0). */
  minScore?: number;
  groupBonus?: { points: number; scope?: 'employer' | 'opening' } | null;
  maxEmployersPerBatch?: number | null;
  /**
   * HiGHS time limit in seconds (default 30). On a 1k × 100 market the group-bonus MIP ends
   * 1.5 % from its bound after 10 s and 0.2 % after 60 s; the employer-limit MIP 15 % and 4 %.
   */
  timeLimitSeconds?: number;
  /** HiGHS relative MIP gap at which to stop (default 1e-4, HiGHS's own default). */
  mipRelGap?: number;
  /** Further HiGHS options by their HiGHS names (tuning, benchmarks). */
  highsOptions?: Record<string, string | number | boolean>;
  /**
   * In 'auto', markets with more candidate pairs than this skip the MIP (default 50,000: HiGHS
   * brings a 1k × 100 market, ~20k pairs, to a gap of 0.3–2 % in 10 s; ten times that does not
   * get past the root node).
   */
  mipMaxPairs?: number;
  /** Compute greedy and deferred-acceptance figures too (default true). */
  baselines?: boolean;
  /** Explain why people are not in their top opening (default true). */
  explain?: boolean;
}

export type UnassignedReason = 'no_eligible_opening' | 'below_minimum_score' | 'outscored' | 'employer_limit';

export interface PlanFigures {
  /** Sum of the scores of the assigned pairs. */
  totalScore: number;
  /** Group bonus points earned (0 without the option). */
  groupBonus: number;
  /** totalScore + groupBonus: what the exact solver maximises. */
  objective: number;
  /** People assigned, which is also the number of slots filled. */
  assigned: number;
  slots: number;
  /** assigned / slots (0 when there are no slots). */
  fillRate: number;
  meanScore: number | null;
  openingsFull: number;
  /** Placed people with at least one companion from their county at the same place. */
  grouped: number;
  /** The largest number of distinct employers one origin county is sent to. */
  maxEmployersPerCounty: number;
  unassigned: Record<UnassignedReason, number>;
  wallMs: number;
}

export interface PlacedPerson {
  person: number;
  id: string;
  score: number;
}

export interface OpeningPlan {
  opening: number;
  id: string;
  headcount: number;
  /** Best score first. */
  people: PlacedPerson[];
  totalScore: number;
  fillRate: number;
}

export type TopOpeningReason =
  /** Full, with people whose placement is worth more to the plan. */
  | 'taken'
  /** The opening has no slots. */
  | 'no_slots'
  /** Left free so that the person stays with people from their county. */
  | 'kept_with_group'
  /** The person's county already reaches its maximum of distinct employers. */
  | 'employer_limit';

export interface TopOpeningNote {
  opening: number;
  id: string;
  score: number;
  reason: TopOpeningReason;
  /** The people holding it, weakest first (at most 5). */
  heldBy: PlacedPerson[];
  /**
   * Total score the plan would lose if this person were put there and everybody else
   * re-optimised; null when not computed (objective with group or employer terms, a heuristic
   * solution, or no way to free a slot).
   */
  forcingCost: number | null;
  /** In that best rearrangement, who would give up their seat, and where they would go. */
  displaced: {
    person: number;
    id: string;
    score: number;
    movesTo: { opening: number; id: string; score: number } | null;
  } | null;
  /** Number of other people that rearrangement would move. */
  moves: number | null;
}

export interface AssignmentExplanation {
  person: number;
  id: string;
  opening: number;
  openingId: string;
  /** Why this opening: the pair's score (its components live with the match). */
  score: number;
  /** 1 when no eligible opening scores higher for this person. */
  rank: number;
  /** Same-county people placed at the same place (employer or opening, as the bonus scope). */
  companions: number;
  /** Why not the person's top opening; null when they got it. */
  top: TopOpeningNote | null;
}

export interface UnassignedPerson {
  person: number;
  id: string;
  reason: UnassignedReason;
  /** For 'outscored' and 'employer_limit': their best opening and who holds it. */
  top: TopOpeningNote | null;
}

export interface SolverReport {
  requested: SolverName;
  used: 'flow' | 'highs-lp' | 'highs-mip' | 'greedy' | 'deferred-acceptance';
  /** Optimal for the objective (a MIP: within `highs.mipGap`), on the candidate pairs given. */
  exact: boolean;
  /** Constraints enforced after the solver (employer limit), or unused pairs added (top-up). */
  adjusted: boolean;
  fallbackReason: string | null;
  wallMs: number;
  flow: { phases: number; augmentations: number; wallMs: number } | null;
  highs: (Omit<HighsOutcome, 'assignment'> & { wallMs: number }) | null;
}

export interface PlanResult {
  figures: PlanFigures;
  solver: SolverReport;
  openings: OpeningPlan[];
  assignments: AssignmentExplanation[];
  unassigned: UnassignedPerson[];
  baselines: { greedy: PlanFigures; deferredAcceptance: PlanFigures } | null;
  candidates: { given: number; duplicatesMerged: number; belowMinimumScore: number; used: number };
  /** Milliseconds spent on explanations (after solving). */
  explainMs: number;
}

interface Resolved {
  solver: SolverName;
  minScore: number;
  bonus: number;
  scope: 'employer' | 'opening';
  limit: number | null;
  timeLimitSeconds: number;
  mipRelGap: number;
  mipMaxPairs: number;
  baselines: boolean;
  explain: boolean;
  highsOptions: Record<string, string | number | boolean>;
}

function resolve(options: PlanOptions): Resolved {
  const r: Resolved = {
    solver: options.solver ?? 'auto',
    minScore: options.minScore ?? 0,
    bonus: options.groupBonus?.points ?? 0,
    scope: options.groupBonus?.scope ?? 'employer',
    limit: options.maxEmployersPerBatch ?? null,
    timeLimitSeconds: options.timeLimitSeconds ?? 30,
    mipRelGap: options.mipRelGap ?? 1e-4,
    mipMaxPairs: options.mipMaxPairs ?? 50_000,
    baselines: options.baselines ?? true,
    explain: options.explain ?? true,
    highsOptions: options.highsOptions ?? {},
  };
  const problems: string[] = [];
  if (!['auto', 'highs', 'flow', 'greedy', 'deferred-acceptance'].includes(r.solver)) problems.push('solver');
  if (!(r.minScore >= 0 && r.minScore <= 100)) problems.push('minScore');
  if (!(r.bonus >= 0 && r.bonus <= 100)) problems.push('groupBonus.points');
  if (r.scope !== 'employer' && r.scope !== 'opening') problems.push('groupBonus.scope');
  if (r.limit !== null && !(Number.isInteger(r.limit) && r.limit >= 1)) problems.push('maxEmployersPerBatch');
  if (!(r.timeLimitSeconds > 0)) problems.push('timeLimitSeconds');
  if (!(r.mipRelGap >= 0)) problems.push('mipRelGap');
  if (!(r.mipMaxPairs >= 0)) problems.push('mipMaxPairs');
  if (problems.length > 0) {
    throw new AppError('validation_failed', {
      detail: '规划选项不符合要求',
      detailEn: 'The plan options are not valid',
      issues: problems.map((path) => ({
        path: `options.${path}`,
        code: 'invalid',
        message: 'invalid value',
      })),
    });
  }
  return r;
}

/** Per person: companions at the same place, and the group figures of an assignment. */
function groups(cm: CompiledMarket, a: Assignment, r: Resolved) {
  const places = r.scope === 'opening' ? cm.nOpenings : cm.employers.length;
  const count = new Map<number, number>();
  const keyOf = (p: number): number => {
    const c = cm.countyOf[p]!;
    const e = a[p]!;
    if (c < 0 || e < 0) return -1;
    const o = cm.pairOpening[e]!;
    return c * places + (r.scope === 'opening' ? o : cm.employerOf[o]!);
  };
  for (let p = 0; p < cm.nPeople; p++) {
    const k = keyOf(p);
    if (k >= 0) count.set(k, (count.get(k) ?? 0) + 1);
  }
  const companions = new Int32Array(cm.nPeople);
  let grouped = 0;
  for (let p = 0; p < cm.nPeople; p++) {
    const k = keyOf(p);
    if (k < 0) continue;
    companions[p] = count.get(k)! - 1;
    if (companions[p]! > 0) grouped++;
  }
  const employersByCounty = new Map<number, Set<number>>();
  for (let p = 0; p < cm.nPeople; p++) {
    const c = cm.countyOf[p]!;
    const e = a[p]!;
    if (c < 0 || e < 0) continue;
    let s = employersByCounty.get(c);
    if (!s) {
      s = new Set();
      employersByCounty.set(c, s);
    }
    s.add(cm.employerOf[cm.pairOpening[e]!]!);
  }
  let maxEmployers = 0;
  for (const s of employersByCounty.values()) maxEmployers = Math.max(maxEmployers, s.size);
  return { companions, grouped, employersByCounty, maxEmployers };
}

function unassignedReason(cm: CompiledMarket, load: Int32Array, p: number, r: Resolved): UnassignedReason {
  if (cm.eligibleCount[p] === 0) return 'no_eligible_opening';
  let usable = 0;
  for (let i = cm.personStart[p]!; i < cm.personStart[p + 1]!; i++) {
    const o = cm.pairOpening[cm.personPairs[i]!]!;
    if (cm.headcount[o]! === 0) continue;
    usable++;
    if (load[o]! < cm.headcount[o]!) return r.limit !== null ? 'employer_limit' : 'outscored';
  }
  return usable === 0 ? 'below_minimum_score' : 'outscored';
}

function figures(cm: CompiledMarket, a: Assignment, r: Resolved, wallMs: number): PlanFigures {
  let total = 0;
  let assigned = 0;
  const load = openingLoads(cm, a);
  const unassigned: Record<UnassignedReason, number> = {
    no_eligible_opening: 0,
    below_minimum_score: 0,
    outscored: 0,
    employer_limit: 0,
  };
  for (let p = 0; p < cm.nPeople; p++) {
    const e = a[p]!;
    if (e >= 0) {
      total += cm.pairWeight[e]!;
      assigned++;
    } else {
      unassigned[unassignedReason(cm, load, p, r)]++;
    }
  }
  let openingsFull = 0;
  for (let o = 0; o < cm.nOpenings; o++)
    if (cm.headcount[o]! > 0 && load[o] === cm.headcount[o]) openingsFull++;
  const g = groups(cm, a, r);
  const totalScore = toScore(total);
  const groupBonus = r.bonus * g.grouped;
  return {
    totalScore,
    groupBonus,
    objective: round3(totalScore + groupBonus),
    assigned,
    slots: cm.totalSlots,
    fillRate: cm.totalSlots === 0 ? 0 : assigned / cm.totalSlots,
    meanScore: assigned === 0 ? null : round3(totalScore / assigned),
    openingsFull,
    grouped: g.grouped,
    maxEmployersPerCounty: g.maxEmployers,
    unassigned,
    wallMs: round3(wallMs),
  };
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

interface Solved {
  assignment: Assignment;
  report: Omit<SolverReport, 'wallMs' | 'requested' | 'adjusted'>;
  potentials: Float64Array | null;
}

async function solve(cm: CompiledMarket, r: Resolved): Promise<Solved> {
  const hasTerms = r.bonus > 0 || r.limit !== null;
  const terms: MipTerms | null = hasTerms
    ? { groupBonus: r.bonus, groupScope: r.scope, maxEmployersPerCounty: r.limit }
    : null;
  const base = { fallbackReason: null, flow: null, highs: null } as const;

  if (r.solver === 'greedy') {
    return {
      assignment: greedy(cm, r.limit),
      report: { ...base, used: 'greedy', exact: false },
      potentials: null,
    };
  }
  if (r.solver === 'deferred-acceptance') {
    const a = deferredAcceptance(cm);
    return {
      assignment: r.limit === null ? a : enforceEmployerLimit(cm, a, r.limit),
      report: { ...base, used: 'deferred-acceptance', exact: false },
      potentials: null,
    };
  }

  let flowCache: ReturnType<typeof solveByFlow> | null = null;
  let flowReport: SolverReport['flow'] = null;
  const runFlow = () => {
    if (!flowCache) {
      const flowStart = performance.now();
      flowCache = solveByFlow(cm);
      flowReport = {
        phases: flowCache.phases,
        augmentations: flowCache.augmentations,
        wallMs: round3(performance.now() - flowStart),
      };
    }
    return flowCache;
  };
  const termsOptions: TermsOptions = { bonusWeight: toWeight(r.bonus), scope: r.scope, limit: r.limit };
  let fast: Assignment | null = null;
  // Without terms: the flow optimum. With terms: the flow-based plan adjusted to them.
  const fastPlan = (): Assignment => {
    fast ??= hasTerms ? solveTermsFast(cm, runFlow().assignment, termsOptions) : runFlow().assignment;
    return fast;
  };
  const flowSolved = (fallbackReason: string | null): Solved => {
    const assignment = fastPlan();
    return {
      assignment,
      report: { ...base, used: 'flow', exact: !hasTerms, fallbackReason, flow: flowReport },
      potentials: hasTerms ? null : runFlow().potentials,
    };
  };

  const wantHighs = r.solver === 'highs' || (r.solver === 'auto' && hasTerms);
  if (!wantHighs) return flowSolved(null);
  if (r.solver === 'auto' && cm.nPairs > r.mipMaxPairs) {
    return flowSolved(`${cm.nPairs} candidate pairs exceed mipMaxPairs (${r.mipMaxPairs}): MIP skipped`);
  }

  // The MIP starts from the fast plan: it always has an incumbent at least that good.
  const start = hasTerms ? fastPlan() : null;
  const highsStart = performance.now();
  const outcome = await solveByHighs(cm, terms, {
    timeLimitSeconds: r.timeLimitSeconds,
    mipRelGap: r.mipRelGap,
    start,
    extra: r.highsOptions,
  });
  const { assignment, ...highsReport } = outcome;
  const highs = { ...highsReport, wallMs: round3(performance.now() - highsStart) };
  if (!assignment) {
    const solved = flowSolved(`HiGHS returned no solution (${outcome.status})`);
    return { ...solved, report: { ...solved.report, highs } };
  }
  if (start && objectiveWeight(cm, assignment, termsOptions) < objectiveWeight(cm, start, termsOptions)) {
    // HiGHS did not take the start as its incumbent and stopped on something worse.
    const solved = flowSolved(`HiGHS stopped (${outcome.status}) below the fast plan`);
    return { ...solved, report: { ...solved.report, highs } };
  }
  const solvedToOptimality = outcome.status === 'optimal' || outcome.status === 'empty';
  const exact = solvedToOptimality && (!outcome.mip || (outcome.mipGap ?? 1) <= r.mipRelGap + 1e-12);
  return {
    assignment,
    report: {
      ...base,
      used: outcome.mip ? 'highs-mip' : 'highs-lp',
      exact,
      flow: flowReport,
      highs,
    },
    potentials: null,
  };
}

function holders(cm: CompiledMarket, market: Market, byOpening: number[][], o: number): PlacedPerson[] {
  return (byOpening[o] ?? [])
    .slice(-5)
    .reverse()
    .map((e) => ({
      person: cm.pairPerson[e]!,
      id: market.people[cm.pairPerson[e]!]!.id,
      score: toScore(cm.pairWeight[e]!),
    }));
}

/**
 * Plans a campaign: assigns people to openings within headcounts, maximising the total score
 * (plus the optional group bonus), and reports the greedy and deferred-acceptance baselines and
 * why each person got what they got. Pure apart from loading the HiGHS WebAssembly module.
 */
export async function planCampaign(market: Market, options: PlanOptions = {}): Promise<PlanResult> {
  const r = resolve(options);
  const cm = compileMarket(market, r.minScore);
  const belowMin = market.candidates.length - cm.duplicatesMerged - cm.nPairs;

  const t0 = performance.now();
  const solved = await solve(cm, r);
  // Adding free pairs never lowers the objective; it fills zero-score pairs an LP left out, and
  // slots the employer-limit repair freed.
  const assignment = greedyFill(cm, solved.assignment, r.limit);
  let adjusted = false;
  for (let p = 0; p < cm.nPeople; p++) if (assignment[p] !== solved.assignment[p]) adjusted = true;
  const wallMs = performance.now() - t0;
  const solver: SolverReport = { ...solved.report, requested: r.solver, adjusted, wallMs: round3(wallMs) };
  // Potentials certify the flow's own assignment; any change invalidates them.
  const potentials = adjusted ? null : solved.potentials;

  let baselines: PlanResult['baselines'] = null;
  if (r.baselines) {
    let t = performance.now();
    const g = greedy(cm, r.limit);
    const greedyFigures = figures(cm, g, r, performance.now() - t);
    t = performance.now();
    let da = deferredAcceptance(cm);
    if (r.limit !== null) da = enforceEmployerLimit(cm, da, r.limit);
    baselines = { greedy: greedyFigures, deferredAcceptance: figures(cm, da, r, performance.now() - t) };
  }

  const te = performance.now();
  const load = openingLoads(cm, assignment);
  // Assigned pairs per opening, best first (pair indices are in global order).
  const byOpening: number[][] = Array.from({ length: cm.nOpenings }, () => []);
  for (let p = 0; p < cm.nPeople; p++)
    if (assignment[p]! >= 0) byOpening[cm.pairOpening[assignment[p]!]!]!.push(assignment[p]!);
  for (const list of byOpening) list.sort((x, y) => x - y);

  const openings: OpeningPlan[] = market.openings.map((o, i) => {
    const list = byOpening[i]!;
    let total = 0;
    for (const e of list) total += cm.pairWeight[e]!;
    return {
      opening: i,
      id: o.id,
      headcount: cm.headcount[i]!,
      people: list.map((e) => ({
        person: cm.pairPerson[e]!,
        id: market.people[cm.pairPerson[e]!]!.id,
        score: toScore(cm.pairWeight[e]!),
      })),
      totalScore: toScore(total),
      fillRate: cm.headcount[i] === 0 ? 0 : list.length / cm.headcount[i]!,
    };
  });

  const grp = groups(cm, assignment, r);
  const hasTerms = r.bonus > 0 || r.limit !== null;
  const topPair = (p: number): number => cm.personPairs[cm.personStart[p]!]!;

  const queries: ForcedMoveQuery[] = [];
  const needsNote: number[] = [];
  for (let p = 0; p < cm.nPeople; p++) {
    if (cm.personStart[p + 1] === cm.personStart[p]) continue;
    const e = assignment[p]!;
    const top = topPair(p);
    if (e >= 0 && cm.pairWeight[top]! <= cm.pairWeight[e]!) continue;
    needsNote.push(p);
    if (r.explain && !hasTerms && cm.headcount[cm.pairOpening[top]!]! > 0)
      queries.push({ person: p, pair: top });
  }
  const moves: Map<number, ForcedMove | null> | null =
    r.explain && queries.length > 0 ? forcedMoves(cm, assignment, load, queries, potentials) : null;

  const note = (p: number): TopOpeningNote => {
    const top = topPair(p);
    const o = cm.pairOpening[top]!;
    const c = cm.countyOf[p]!;
    let reason: TopOpeningReason = 'taken';
    if (cm.headcount[o] === 0) reason = 'no_slots';
    else if (load[o]! < cm.headcount[o]!) {
      const used = c >= 0 ? grp.employersByCounty.get(c) : undefined;
      const blocked =
        r.limit !== null && used !== undefined && used.size >= r.limit && !used.has(cm.employerOf[o]!);
      reason = blocked ? 'employer_limit' : 'kept_with_group';
    }
    const m = moves?.get(p) ?? null;
    return {
      opening: o,
      id: market.openings[o]!.id,
      score: toScore(cm.pairWeight[top]!),
      reason,
      heldBy: holders(cm, market, byOpening, o),
      forcingCost: m ? m.cost : null,
      displaced: m?.displaced
        ? {
            person: m.displaced.person,
            id: market.people[m.displaced.person]!.id,
            score: m.displaced.score,
            movesTo: m.displaced.movesTo
              ? { ...m.displaced.movesTo, id: market.openings[m.displaced.movesTo.opening]!.id }
              : null,
          }
        : null,
      moves: m ? m.moves : null,
    };
  };

  const notes = new Map<number, TopOpeningNote>();
  if (r.explain) for (const p of needsNote) notes.set(p, note(p));

  const assignments: AssignmentExplanation[] = [];
  const unassigned: UnassignedPerson[] = [];
  for (let p = 0; p < cm.nPeople; p++) {
    const e = assignment[p]!;
    if (e < 0) {
      const reason = unassignedReason(cm, load, p, r);
      unassigned.push({ person: p, id: market.people[p]!.id, reason, top: notes.get(p) ?? null });
      continue;
    }
    let rank = 1;
    for (let i = cm.personStart[p]!; i < cm.personStart[p + 1]!; i++) {
      if (cm.pairWeight[cm.personPairs[i]!]! > cm.pairWeight[e]!) rank++;
    }
    const o = cm.pairOpening[e]!;
    assignments.push({
      person: p,
      id: market.people[p]!.id,
      opening: o,
      openingId: market.openings[o]!.id,
      score: toScore(cm.pairWeight[e]!),
      rank,
      companions: grp.companions[p]!,
      top: notes.get(p) ?? null,
    });
  }
  const explainMs = performance.now() - te;

  return {
    figures: figures(cm, assignment, r, wallMs),
    solver,
    openings,
    assignments,
    unassigned,
    baselines,
    candidates: {
      given: market.candidates.length,
      duplicatesMerged: cm.duplicatesMerged,
      belowMinimumScore: belowMin,
      used: cm.nPairs,
    },
    explainMs: round3(explainMs),
  };
}
