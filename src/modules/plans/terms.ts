import { solveByFlow } from './flow.js';
import { type Assignment, enforceEmployerLimit, greedyFill } from './heuristics.js';
import { type CompiledMarket, csr } from './market.js';

/**
 * Fast solutions for the group bonus and the employer limit, from exact flow solves on adjusted
 * markets. They are the fallback when the MIP is too large, and the MIP's starting point: HiGHS
 * only has to improve on them.
 */

export interface TermsOptions {
  /** Bonus in weight units (thousandths of a point) per placed person with a companion. */
  bonusWeight: number;
  scope: 'employer' | 'opening';
  limit: number | null;
}

/** Total weight plus group bonus of an assignment (the MIP objective, in weight units). */
export function objectiveWeight(cm: CompiledMarket, a: Assignment, t: TermsOptions): number {
  let total = 0;
  for (let p = 0; p < cm.nPeople; p++) if (a[p]! >= 0) total += cm.pairWeight[a[p]!]!;
  if (t.bonusWeight === 0) return total;
  const count = groupCounts(cm, a, t.scope);
  for (let p = 0; p < cm.nPeople; p++) {
    const k = groupKey(cm, a, p, t.scope);
    if (k >= 0 && count.get(k)! >= 2) total += t.bonusWeight;
  }
  return total;
}

function groupKey(cm: CompiledMarket, a: Assignment, p: number, scope: 'employer' | 'opening'): number {
  const c = cm.countyOf[p]!;
  const e = a[p]!;
  if (c < 0 || e < 0) return -1;
  return placeKey(cm, c, cm.pairOpening[e]!, scope);
}

function placeKey(
  cm: CompiledMarket,
  county: number,
  opening: number,
  scope: 'employer' | 'opening',
): number {
  const places = scope === 'opening' ? cm.nOpenings : cm.employers.length;
  return county * places + (scope === 'opening' ? opening : cm.employerOf[opening]!);
}

function groupCounts(cm: CompiledMarket, a: Assignment, scope: 'employer' | 'opening'): Map<number, number> {
  const count = new Map<number, number>();
  for (let p = 0; p < cm.nPeople; p++) {
    const k = groupKey(cm, a, p, scope);
    if (k >= 0) count.set(k, (count.get(k) ?? 0) + 1);
  }
  return count;
}

/**
 * The market restricted to the pairs `keep` selects, with `weight` in place of the pair weights.
 * Pairs keep their relative order; `original` maps a new pair index back.
 */
function submarket(
  cm: CompiledMarket,
  keep: (pair: number) => boolean,
  weight: (pair: number) => number,
): { cm: CompiledMarket; original: Int32Array } {
  const kept: number[] = [];
  for (let e = 0; e < cm.nPairs; e++) if (keep(e)) kept.push(e);
  const original = Int32Array.from(kept);
  const pairPerson = original.map((e) => cm.pairPerson[e]!);
  const pairOpening = original.map((e) => cm.pairOpening[e]!);
  const pairWeight = original.map((e) => weight(e));
  const [personStart, personPairs] = csr(cm.nPeople, pairPerson);
  const [openingStart, openingPairs] = csr(cm.nOpenings, pairOpening);
  let maxWeight = 0;
  for (const w of pairWeight) if (w > maxWeight) maxWeight = w;
  return {
    cm: {
      ...cm,
      pairPerson,
      pairOpening,
      pairWeight,
      nPairs: original.length,
      personStart,
      personPairs,
      openingStart,
      openingPairs,
      maxWeight,
    },
    original,
  };
}

function lift(a: Assignment, original: Int32Array): Assignment {
  return a.map((e) => (e >= 0 ? original[e]! : -1));
}

/**
 * Employer limit: each county over the limit keeps the employers where its people score most,
 * and the exact flow is solved again with only the allowed pairs; repeated while the new plan
 * takes another county over the limit. Better than repairing greedily: within the employers
 * kept, the plan is optimal.
 */
function limitAware(cm: CompiledMarket, start: Assignment, limit: number, rounds = 5) {
  const allowed = new Map<number, Set<number>>();
  let a = start;
  let restricted: { cm: CompiledMarket; original: Int32Array } = {
    cm,
    original: Int32Array.from({ length: cm.nPairs }, (_, e) => e),
  };
  for (let round = 0; round < rounds; round++) {
    const byCounty = new Map<number, Map<number, number>>();
    for (let p = 0; p < cm.nPeople; p++) {
      const e = a[p]!;
      const c = cm.countyOf[p]!;
      if (e < 0 || c < 0) continue;
      let m = byCounty.get(c);
      if (!m) {
        m = new Map();
        byCounty.set(c, m);
      }
      const emp = cm.employerOf[cm.pairOpening[e]!]!;
      m.set(emp, (m.get(emp) ?? 0) + cm.pairWeight[e]!);
    }
    let changed = false;
    for (const [c, m] of byCounty) {
      if (m.size <= limit) continue;
      const ranked = [...m.entries()].sort((x, y) => y[1] - x[1] || x[0] - y[0]);
      allowed.set(c, new Set(ranked.slice(0, limit).map(([emp]) => emp)));
      changed = true;
    }
    if (!changed) break;
    restricted = submarket(
      cm,
      (e) => {
        const set = allowed.get(cm.countyOf[cm.pairPerson[e]!]!);
        return !set || set.has(cm.employerOf[cm.pairOpening[e]!]!);
      },
      (e) => cm.pairWeight[e]!,
    );
    a = lift(solveByFlow(restricted.cm).assignment, restricted.original);
  }
  return { assignment: enforceEmployerLimit(cm, a, limit), restricted };
}

/**
 * Group bonus: the exact flow is solved again with each pair's weight raised by the bonus it
 * would earn next to the current plan (the bonus once when the group already has company, twice
 * when it would give a lone county mate company), `rounds` times or until a fixed point, keeping
 * the best plan by the true objective. A heuristic: each round is exact for its weights only.
 */
function groupAware(cm: CompiledMarket, start: Assignment, t: TermsOptions, rounds = 3): Assignment {
  let best = start;
  let bestValue = objectiveWeight(cm, start, t);
  let current = start;
  for (let round = 0; round < rounds; round++) {
    const count = groupCounts(cm, current, t.scope);
    const own = (e: number) => {
      const p = cm.pairPerson[e]!;
      const c = cm.countyOf[p]!;
      if (c < 0) return 0;
      const k = placeKey(cm, c, cm.pairOpening[e]!, t.scope);
      const others = (count.get(k) ?? 0) - (groupKey(cm, current, p, t.scope) === k ? 1 : 0);
      return others >= 2 ? t.bonusWeight : others === 1 ? 2 * t.bonusWeight : 0;
    };
    const sub = submarket(
      cm,
      () => true,
      (e) => cm.pairWeight[e]! + own(e),
    );
    const next = solveByFlow(sub.cm).assignment;
    const value = objectiveWeight(cm, next, t);
    if (value > bestValue) {
      best = next;
      bestValue = value;
    }
    // A round that does not improve may still open the way for the next (the weights follow the
    // plan, not the best plan); only a fixed point ends early.
    if (next.every((e, p) => e === current[p])) break;
    current = next;
  }
  return best;
}

/**
 * The best fast plan for the terms: the flow optimum adjusted to the employer limit, then to the
 * group bonus (within the employers kept), completed greedily. Always feasible.
 */
export function solveTermsFast(cm: CompiledMarket, flowOptimum: Assignment, t: TermsOptions): Assignment {
  let a = flowOptimum;
  let space: { cm: CompiledMarket; original: Int32Array } | null = null;
  if (t.limit !== null) {
    const limited = limitAware(cm, a, t.limit);
    a = limited.assignment;
    space = limited.restricted;
  }
  if (t.bonusWeight > 0) {
    if (space && space.cm !== cm) {
      const inverse = new Int32Array(cm.nPairs).fill(-1);
      space.original.forEach((e, i) => {
        inverse[e] = i;
      });
      const local = a.map((e) => (e >= 0 ? inverse[e]! : -1));
      if (local.every((e, p) => e >= 0 || a[p]! < 0)) {
        a = lift(groupAware(space.cm, local, t), space.original);
      }
    } else {
      a = groupAware(cm, a, t);
    }
  }
  if (t.limit !== null) a = enforceEmployerLimit(cm, a, t.limit);
  return greedyFill(cm, a, t.limit);
}
