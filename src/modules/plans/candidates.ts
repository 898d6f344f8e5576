import { AppError } from '../../lib/errors.js';
import { type CandidatePair, toScore, toWeight } from './market.js';

export interface CandidateSelection {
  /** K: each person keeps their K best openings. */
  topPerPerson: number;
  /**
   * M: each opening keeps its M best people — a number, or per opening (e.g. a multiple of its
   * headcount, so that a large opening sees enough people to fill it).
   */
  topPerOpening: number | ((opening: number) => number);
  /** Pairs below this score are not candidates at all. */
  minScore?: number;
}

/**
 * Keeps, out of a stream of scored eligible pairs, the union of each person's top K openings and
 * each opening's top M people. Per-person lists alone are not enough: the same few attractive
 * openings head everybody's list, and the openings nobody ranks first would have no candidates
 * — the very slots a plan is meant to fill. The per-opening lists give every opening its best
 * people, whatever those people rank first.
 *
 * Memory is O(n·K + Σ M), whatever the number of pairs streamed. Ties are broken as the solvers
 * break them (lower index first), so the selection is deterministic.
 */
export class CandidateCollector {
  private readonly personOpening: Int32Array;
  private readonly personWeight: Int32Array;
  private readonly personSize: Int32Array;
  private readonly openingBase: Int32Array;
  private readonly openingPerson: Int32Array;
  private readonly openingWeight: Int32Array;
  private readonly openingSize: Int32Array;
  private readonly k: number;
  private readonly minWeight: number;
  seen = 0;

  constructor(
    readonly nPeople: number,
    readonly nOpenings: number,
    selection: CandidateSelection,
  ) {
    const m = selection.topPerOpening;
    const bad = (v: number) => !Number.isInteger(v) || v < 0;
    if (bad(selection.topPerPerson) || (typeof m === 'number' && bad(m))) {
      throw new AppError('validation_failed', {
        detail: '候选数量必须是非负整数',
        detailEn: 'Candidate list sizes must be non-negative integers',
      });
    }
    this.k = selection.topPerPerson;
    this.minWeight = toWeight(selection.minScore ?? 0);
    this.personOpening = new Int32Array(nPeople * this.k);
    this.personWeight = new Int32Array(nPeople * this.k);
    this.personSize = new Int32Array(nPeople);
    this.openingBase = new Int32Array(nOpenings + 1);
    for (let o = 0; o < nOpenings; o++) {
      const size = typeof m === 'number' ? m : Math.max(0, Math.floor(m(o)));
      this.openingBase[o + 1] = this.openingBase[o]! + size;
    }
    this.openingPerson = new Int32Array(this.openingBase[nOpenings]!);
    this.openingWeight = new Int32Array(this.openingBase[nOpenings]!);
    this.openingSize = new Int32Array(nOpenings);
  }

  add(person: number, opening: number, score: number): void {
    if (person < 0 || person >= this.nPeople || opening < 0 || opening >= this.nOpenings) {
      throw new AppError('validation_failed', {
        detail: '候选对的人员或岗位序号超出范围',
        detailEn: `Candidate pair (${person}, ${opening}) is out of range`,
      });
    }
    this.seen++;
    const w = toWeight(score);
    if (w < this.minWeight) return;
    offer(
      this.personOpening,
      this.personWeight,
      this.personSize,
      person,
      person * this.k,
      this.k,
      opening,
      w,
    );
    const base = this.openingBase[opening]!;
    const cap = this.openingBase[opening + 1]! - base;
    offer(this.openingPerson, this.openingWeight, this.openingSize, opening, base, cap, person, w);
  }

  /** The union of both sides' lists, ordered by person then opening. */
  result(): CandidatePair[] {
    const kept = new Map<number, number>();
    for (let p = 0; p < this.nPeople; p++) {
      for (let i = 0; i < this.personSize[p]!; i++) {
        const at = p * this.k + i;
        kept.set(p * this.nOpenings + this.personOpening[at]!, this.personWeight[at]!);
      }
    }
    for (let o = 0; o < this.nOpenings; o++) {
      const base = this.openingBase[o]!;
      for (let i = 0; i < this.openingSize[o]!; i++) {
        kept.set(this.openingPerson[base + i]! * this.nOpenings + o, this.openingWeight[base + i]!);
      }
    }
    return [...kept.keys()]
      .sort((a, b) => a - b)
      .map((key) => ({
        person: Math.floor(key / this.nOpenings),
        opening: key % this.nOpenings,
        score: toScore(kept.get(key)!),
      }));
  }
}

/**
 * Bounded min-heap insert. The root is the worst kept entry: lowest weight, and among equal
 * weights the highest index of the other side.
 */
function offer(
  other: Int32Array,
  weight: Int32Array,
  sizes: Int32Array,
  owner: number,
  base: number,
  cap: number,
  index: number,
  w: number,
): void {
  if (cap === 0) return;
  const worse = (i: number, wi: number, j: number, wj: number) => wi < wj || (wi === wj && i > j);
  const n = sizes[owner]!;
  if (n < cap) {
    let i = n;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!worse(index, w, other[base + parent]!, weight[base + parent]!)) break;
      other[base + i] = other[base + parent]!;
      weight[base + i] = weight[base + parent]!;
      i = parent;
    }
    other[base + i] = index;
    weight[base + i] = w;
    sizes[owner] = n + 1;
    return;
  }
  if (!worse(other[base]!, weight[base]!, index, w)) return;
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= n) break;
    const r = l + 1;
    const c =
      r < n && worse(other[base + r]!, weight[base + r]!, other[base + l]!, weight[base + l]!) ? r : l;
    if (!worse(other[base + c]!, weight[base + c]!, index, w)) break;
    other[base + i] = other[base + c]!;
    weight[base + i] = weight[base + c]!;
    i = c;
  }
  other[base + i] = index;
  weight[base + i] = w;
}

/** Candidate selection over a stream of scored eligible pairs (e.g. read from the matches). */
export function selectCandidates(
  pairs: Iterable<CandidatePair>,
  nPeople: number,
  nOpenings: number,
  selection: CandidateSelection,
): CandidatePair[] {
  const c = new CandidateCollector(nPeople, nOpenings, selection);
  for (const pair of pairs) c.add(pair.person, pair.opening, pair.score);
  return c.result();
}

/** The same over an asynchronous stream (a database cursor). */
export async function selectCandidatesAsync(
  pairs: AsyncIterable<CandidatePair>,
  nPeople: number,
  nOpenings: number,
  selection: CandidateSelection,
): Promise<CandidatePair[]> {
  const c = new CandidateCollector(nPeople, nOpenings, selection);
  for await (const pair of pairs) c.add(pair.person, pair.opening, pair.score);
  return c.result();
}

/**
 * Candidate selection over a scoring callback called for every (person, opening): it returns
 * the score, or null when the pair is not eligible.
 */
export function candidatesFromScorer(
  nPeople: number,
  nOpenings: number,
  score: (person: number, opening: number) => number | null,
  selection: CandidateSelection,
): CandidatePair[] {
  const c = new CandidateCollector(nPeople, nOpenings, selection);
  for (let p = 0; p < nPeople; p++) {
    for (let o = 0; o < nOpenings; o++) {
      const s = score(p, o);
      if (s !== null) c.add(p, o, s);
    }
  }
  return c.result();
}
