import type { CompiledMarket } from './market.js';

/**
 * An assignment: for each person the index of the pair they are assigned through, or -1.
 * Pair indices (not opening indices) keep the score at hand and make "same pair" unambiguous.
 */
export type Assignment = Int32Array;

export function emptyAssignment(cm: CompiledMarket): Assignment {
  return new Int32Array(cm.nPeople).fill(-1);
}

export function openingLoads(cm: CompiledMarket, a: Assignment): Int32Array {
  const load = new Int32Array(cm.nOpenings);
  for (let p = 0; p < cm.nPeople; p++) {
    const e = a[p]!;
    if (e >= 0) load[cm.pairOpening[e]!]! += 1;
  }
  return load;
}

/**
 * The employers each county already sends people to, for the "maximum distinct employers per
 * batch" rule (a batch travels from one origin county; see plan.ts).
 */
class EmployerLimit {
  private readonly used: Map<number, number>[];
  constructor(
    private readonly cm: CompiledMarket,
    private readonly limit: number | null,
  ) {
    this.used = Array.from({ length: limit === null ? 0 : cm.counties.length }, () => new Map());
  }

  allows(person: number, opening: number): boolean {
    if (this.limit === null) return true;
    const c = this.cm.countyOf[person]!;
    if (c < 0) return true;
    const used = this.used[c]!;
    return used.has(this.cm.employerOf[opening]!) || used.size < this.limit;
  }

  add(person: number, opening: number): void {
    if (this.limit === null) return;
    const c = this.cm.countyOf[person]!;
    if (c < 0) return;
    const used = this.used[c]!;
    const e = this.cm.employerOf[opening]!;
    used.set(e, (used.get(e) ?? 0) + 1);
  }
}

/**
 * Greedy completion: walks the pairs best first and takes every pair whose person is free and
 * whose opening has room (and, with a limit, whose county may still add that employer). From an
 * empty assignment this is the greedy baseline; from a solver's assignment it only adds pairs,
 * so it never lowers the total score (scores are non-negative) nor any group bonus.
 */
export function greedyFill(
  cm: CompiledMarket,
  start: Assignment | null = null,
  maxEmployersPerCounty: number | null = null,
): Assignment {
  const a = start ? Int32Array.from(start) : emptyAssignment(cm);
  const load = openingLoads(cm, a);
  const limit = new EmployerLimit(cm, maxEmployersPerCounty);
  for (let p = 0; p < cm.nPeople; p++) {
    const e = a[p]!;
    if (e >= 0) limit.add(p, cm.pairOpening[e]!);
  }
  for (let e = 0; e < cm.nPairs; e++) {
    const p = cm.pairPerson[e]!;
    const o = cm.pairOpening[e]!;
    if (a[p]! >= 0 || load[o]! >= cm.headcount[o]! || !limit.allows(p, o)) continue;
    a[p] = e;
    load[o]! += 1;
    limit.add(p, o);
  }
  return a;
}

export function greedy(cm: CompiledMarket, maxEmployersPerCounty: number | null = null): Assignment {
  return greedyFill(cm, null, maxEmployersPerCounty);
}

/**
 * Capacity-aware deferred acceptance (Gale–Shapley, people proposing): each free person
 * proposes to their next opening in score order; an opening holds its best `headcount`
 * proposals (by score, ties to the lower person index) and releases the worst when a better one
 * arrives. The result is the people-optimal stable assignment.
 *
 * Both sides rank by the same pair score here, and every tie is broken consistently with the
 * global pair order, so the stable assignment is unique and equals the greedy one. The baseline
 * is kept because the two stop coinciding as soon as the sides rank differently (an employer's
 * own ranking, a person's stated preference), which the plan API is meant to accept later.
 */
export function deferredAcceptance(cm: CompiledMarket): Assignment {
  const a = emptyAssignment(cm);
  const next = new Int32Array(cm.nPeople);
  // Per opening, a max-heap of held pair indices (the largest index is the worst proposal held).
  const heapStart = new Int32Array(cm.nOpenings + 1);
  for (let o = 0; o < cm.nOpenings; o++) {
    const cap = Math.min(cm.headcount[o]!, cm.openingStart[o + 1]! - cm.openingStart[o]!);
    heapStart[o + 1] = heapStart[o]! + cap;
  }
  const heap = new Int32Array(heapStart[cm.nOpenings]!);
  const size = new Int32Array(cm.nOpenings);

  const free: number[] = [];
  for (let p = cm.nPeople - 1; p >= 0; p--) free.push(p);
  while (free.length > 0) {
    const p = free.pop()!;
    const end = cm.personStart[p + 1]!;
    while (next[p]! < end - cm.personStart[p]!) {
      const e = cm.personPairs[cm.personStart[p]! + next[p]!]!;
      next[p]! += 1;
      const o = cm.pairOpening[e]!;
      const base = heapStart[o]!;
      const cap = heapStart[o + 1]! - base;
      if (size[o]! < cap) {
        siftUp(heap, base, size[o]!, e);
        size[o]! += 1;
        a[p] = e;
        break;
      }
      if (cap > 0 && e < heap[base]!) {
        const rejected = heap[base]!;
        siftDownReplace(heap, base, cap, e);
        a[cm.pairPerson[rejected]!] = -1;
        free.push(cm.pairPerson[rejected]!);
        a[p] = e;
        break;
      }
    }
  }
  return a;
}

function siftUp(heap: Int32Array, base: number, n: number, value: number): void {
  let i = n;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (heap[base + parent]! >= value) break;
    heap[base + i] = heap[base + parent]!;
    i = parent;
  }
  heap[base + i] = value;
}

function siftDownReplace(heap: Int32Array, base: number, n: number, value: number): void {
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= n) break;
    const r = l + 1;
    const c = r < n && heap[base + r]! > heap[base + l]! ? r : l;
    if (heap[base + c]! <= value) break;
    heap[base + i] = heap[base + c]!;
    i = c;
  }
  heap[base + i] = value;
}

/**
 * Makes any assignment respect "at most `limit` distinct employers per origin county": a county
 * over the limit keeps the employers where its people score most in total; the people sent
 * elsewhere are released and the free slots refilled greedily under the limit.
 */
export function enforceEmployerLimit(cm: CompiledMarket, a: Assignment, limit: number): Assignment {
  const out = Int32Array.from(a);
  const byCounty = new Map<number, Map<number, number>>();
  for (let p = 0; p < cm.nPeople; p++) {
    const e = out[p]!;
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
  const keep = new Map<number, Set<number>>();
  for (const [c, m] of byCounty) {
    if (m.size <= limit) continue;
    const ranked = [...m.entries()].sort((x, y) => y[1] - x[1] || x[0] - y[0]);
    keep.set(c, new Set(ranked.slice(0, limit).map(([emp]) => emp)));
  }
  if (keep.size === 0) return out;
  for (let p = 0; p < cm.nPeople; p++) {
    const e = out[p]!;
    const kept = keep.get(cm.countyOf[p]!);
    if (e >= 0 && kept && !kept.has(cm.employerOf[cm.pairOpening[e]!]!)) out[p] = -1;
  }
  return greedyFill(cm, out, limit);
}
