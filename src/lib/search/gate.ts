import type MiniSearch from 'minisearch';
import type { SearchDocument } from './port.js';

/**
 * A filter applied inside MiniSearch's scoring loop. MiniSearch scores every posting of every
 * matched term and only then lets a `boostDocument` callback drop it, which for a common word in
 * a narrow scope means walking the whole posting list through several map lookups per entry.
 * With a gate (the short ids of the documents the filter lets through), a posting list longer than
 * the gate is read through the gate instead (one lookup per allowed document), and a shorter one
 * costs one array read per entry.
 *
 * The scoring below is MiniSearch 7.2's `termResults` (the version is pinned) with the same
 * arithmetic in the same order, and documents are visited in ascending short id, which is the
 * order of every posting list: the results are identical. It relies on postings holding no
 * removed document (the embedded engine removes documents term by term, never `discard`s them);
 * an index that has discarded documents takes MiniSearch's own path.
 */

type FieldTermData = Map<number, Map<number, number>>;
interface Result {
  score: number;
  terms: string[];
  match: Record<string, string[]>;
}
interface BM25 {
  k: number;
  b: number;
  d: number;
}

interface Internals {
  _fieldIds: Record<string, number>;
  _avgFieldLength: number[];
  _fieldLength: Map<number, number[]>;
  _documentCount: number;
  _dirtCount: number;
  _idToShortId: Map<string, number>;
  termResults(...args: unknown[]): Map<number, Result>;
}

export interface Gate {
  /** 1 at each allowed short id, built on first need. */
  bits(): Uint8Array;
  /** How many are allowed. */
  readonly size: number;
  /** The allowed short ids in ascending order, built on first need. */
  ids(): Int32Array;
}

interface GateControl {
  gate: Gate | null;
  /** MiniSearch's short id of a document (-1: not indexed). */
  shortIdOf(id: string): number;
}

export type GatedMiniSearch = MiniSearch<SearchDocument> & GateControl;

const calcBM25Score = (
  termFreq: number,
  matchingCount: number,
  totalCount: number,
  fieldLength: number,
  avgFieldLength: number,
  bm25params: BM25,
) => {
  const { k, b, d } = bm25params;
  const invDocFreq = Math.log(1 + (totalCount - matchingCount + 0.5) / (matchingCount + 0.5));
  return (
    invDocFreq * (d + (termFreq * (k + 1)) / (termFreq + k * (1 - b + (b * fieldLength) / avgFieldLength)))
  );
};

/** Adds the gate to `mini` (null: MiniSearch's own behaviour). */
export function gated(mini: MiniSearch<SearchDocument>): GatedMiniSearch {
  const m = mini as unknown as GateControl & Internals;
  const original = m.termResults;
  m.gate = null;
  m.shortIdOf = (id) => m._idToShortId.get(id) ?? -1;
  m.termResults = function (
    this: GateControl & Internals,
    sourceTerm: string,
    derivedTerm: string,
    termWeight: number,
    termBoost: number,
    fieldTermData: FieldTermData | undefined,
    fieldBoosts: Record<string, number>,
    boostDocumentFn: unknown,
    bm25params: BM25,
    results: Map<number, Result> = new Map(),
  ): Map<number, Result> {
    const gate = this.gate;
    if (!gate || this._dirtCount > 0 || boostDocumentFn)
      return original.call(
        this,
        sourceTerm,
        derivedTerm,
        termWeight,
        termBoost,
        fieldTermData,
        fieldBoosts,
        boostDocumentFn,
        bm25params,
        results,
      );
    if (fieldTermData == null) return results;
    for (const field of Object.keys(fieldBoosts)) {
      const fieldBoost = fieldBoosts[field]!;
      const fieldId = this._fieldIds[field]!;
      const fieldTermFreqs = fieldTermData.get(fieldId);
      if (fieldTermFreqs == null) continue;
      const matchingFields = fieldTermFreqs.size;
      const avgFieldLength = this._avgFieldLength[fieldId]!;
      const visit = (docId: number, termFreq: number) => {
        const fieldLength = this._fieldLength.get(docId)![fieldId]!;
        const rawScore = calcBM25Score(
          termFreq,
          matchingFields,
          this._documentCount,
          fieldLength,
          avgFieldLength,
          bm25params,
        );
        // MiniSearch multiplies by the document boost (1 for an allowed document) as well.
        const weightedScore = termWeight * termBoost * fieldBoost * 1 * rawScore;
        const result = results.get(docId);
        if (result) {
          result.score += weightedScore;
          if (!result.terms.includes(sourceTerm)) result.terms.push(sourceTerm);
          const match = Object.hasOwn(result.match, derivedTerm) ? result.match[derivedTerm] : undefined;
          if (match) match.push(field);
          else result.match[derivedTerm] = [field];
        } else
          results.set(docId, {
            score: weightedScore,
            terms: [sourceTerm],
            match: { [derivedTerm]: [field] },
          });
      };
      if (gate.size < fieldTermFreqs.size) {
        for (const docId of gate.ids()) {
          const termFreq = fieldTermFreqs.get(docId);
          if (termFreq !== undefined) visit(docId, termFreq);
        }
      } else {
        const bits = gate.bits();
        for (const [docId, termFreq] of fieldTermFreqs) if (bits[docId] === 1) visit(docId, termFreq);
      }
    }
    return results;
  };
  return mini as GatedMiniSearch;
}

/**
 * A gate over a set of slots (`allowed`); every short id is below `shortIdBound`. What it needs is
 * built on first use, once per search.
 */
export function gateOf(
  allowed: { has(slot: number): boolean; count(): number; forEach(fn: (slot: number) => void): void },
  shortIdBound: number,
  shortIdOfSlot: (slot: number) => number,
): Gate {
  let size = -1;
  let sorted: Int32Array | null = null;
  let bits: Uint8Array | null = null;
  return {
    bits() {
      if (!bits) {
        const b = new Uint8Array(shortIdBound);
        allowed.forEach((slot) => {
          b[shortIdOfSlot(slot)] = 1;
        });
        bits = b;
      }
      return bits;
    },
    get size() {
      if (size < 0) size = allowed.count();
      return size;
    },
    ids() {
      if (!sorted) {
        const ids: number[] = [];
        allowed.forEach((slot) => {
          ids.push(shortIdOfSlot(slot));
        });
        sorted = Int32Array.from(ids).sort();
      }
      return sorted;
    },
  };
}
