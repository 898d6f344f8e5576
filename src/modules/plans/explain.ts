import type { Assignment } from './heuristics.js';
import { type CompiledMarket, toScore } from './market.js';
import { MinHeap } from './residual.js';

/**
 * What it would take to put person p into opening o instead: the best way of rearranging the
 * others around that forced pair. In the residual graph of an optimal assignment (see
 * ResidualGraph) this is the cheapest cycle through the edge p → o: that edge plus the cheapest
 * path from o back to p. The path reads as a chain of moves — somebody gives up their seat at o,
 * takes another opening or leaves the plan, and so on, until p's own seat is released.
 */
export interface ForcedMove {
  /** Total score the whole plan would lose (≥ 0), after the others are re-optimised. */
  cost: number;
  /** Who would have to give up their seat at o (null when o still had a free slot). */
  displaced: { person: number; score: number; movesTo: { opening: number; score: number } | null } | null;
  /** People who would change place in that best rearrangement, p excluded. */
  moves: number;
}

export interface ForcedMoveQuery {
  person: number;
  /** Pair index of (person, opening) to force. */
  pair: number;
}

/**
 * The residual graph with the people contracted away. A person node has at most one incoming
 * residual edge (from their opening when assigned, from the source when free), so every path
 * through a person is "opening → person → next": one edge per (holder, other pair). What is
 * left has a node per opening plus source S and sink T — about a thousand nodes instead of
 * eleven thousand for a 10k × 1k market — and one Dijkstra on it takes a millisecond or two.
 *
 * Edges, with their real cost (the score lost):
 * - o → o3 via holder h of o: h leaves o for o3, cost w(h,o) − w(h,o3)
 * - o → S via holder h: h leaves the plan, cost w(h,o)
 * - S → o3 via free person f: f joins o3, cost −w(f,o3)
 * - o → T when o has a free slot, T → o when o has someone, T ⇄ S: cost 0 (the number of people
 *   placed is free)
 */
class ContractedGraph {
  readonly S: number;
  readonly T: number;
  readonly nNodes: number;
  readonly start: Int32Array;
  readonly to: Int32Array;
  readonly cost: Float64Array;
  /** The pair a holder leaves (o → …) or -1; the pair a person joins (→ o3) or -1. */
  readonly leaves: Int32Array;
  readonly joins: Int32Array;

  constructor(cm: CompiledMarket, a: Assignment, load: Int32Array) {
    const m = cm.nOpenings;
    this.S = m;
    this.T = m + 1;
    this.nNodes = m + 2;
    const from: number[] = [];
    const to: number[] = [];
    const cost: number[] = [];
    const leaves: number[] = [];
    const joins: number[] = [];
    const add = (u: number, v: number, c: number, left: number, joined: number) => {
      from.push(u);
      to.push(v);
      cost.push(c);
      leaves.push(left);
      joins.push(joined);
    };
    for (let p = 0; p < cm.nPeople; p++) {
      const held = a[p]!;
      const first = cm.personStart[p]!;
      const last = cm.personStart[p + 1]!;
      if (held >= 0) {
        const o = cm.pairOpening[held]!;
        const w = cm.pairWeight[held]!;
        add(o, this.S, w, held, -1);
        for (let i = first; i < last; i++) {
          const e = cm.personPairs[i]!;
          if (e !== held) add(o, cm.pairOpening[e]!, w - cm.pairWeight[e]!, held, e);
        }
      } else {
        for (let i = first; i < last; i++) {
          const e = cm.personPairs[i]!;
          add(this.S, cm.pairOpening[e]!, -cm.pairWeight[e]!, -1, e);
        }
      }
    }
    for (let o = 0; o < m; o++) {
      if (load[o]! < cm.headcount[o]!) add(o, this.T, 0, -1, -1);
      if (load[o]! > 0) add(this.T, o, 0, -1, -1);
    }
    add(this.T, this.S, 0, -1, -1);
    add(this.S, this.T, 0, -1, -1);

    const n = from.length;
    this.start = new Int32Array(this.nNodes + 1);
    for (let i = 0; i < n; i++) this.start[from[i]! + 1]! += 1;
    for (let v = 0; v < this.nNodes; v++) this.start[v + 1]! += this.start[v]!;
    const fill = this.start.slice(0, this.nNodes);
    this.to = new Int32Array(n);
    this.cost = new Float64Array(n);
    this.leaves = new Int32Array(n);
    this.joins = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const k = fill[from[i]!]!++;
      this.to[k] = to[i]!;
      this.cost[k] = cost[i]!;
      this.leaves[k] = leaves[i]!;
      this.joins[k] = joins[i]!;
    }
  }

  /**
   * Potentials under which every edge has a non-negative reduced cost (Bellman–Ford from a
   * virtual root joined to every node). They exist exactly when there is no negative cycle, i.e.
   * when the assignment is optimal for the total score; null otherwise.
   */
  potentials(): Float64Array | null {
    const V = this.nNodes;
    const dist = new Float64Array(V);
    const { start, to, cost } = this;
    for (let pass = 0; pass <= V; pass++) {
      let changed = false;
      for (let u = 0; u < V; u++) {
        const du = dist[u]!;
        for (let i = start[u]!, end = start[u + 1]!; i < end; i++) {
          const nd = du + cost[i]!;
          if (nd < dist[to[i]!]!) {
            dist[to[i]!] = nd;
            changed = true;
          }
        }
      }
      if (!changed) return dist;
    }
    return null;
  }
}

/**
 * Answers "what would forcing this pair cost" for many people at once: one Dijkstra on the
 * contracted graph per distinct opening asked about.
 *
 * `flowPotentials` (node potentials of the full residual graph, as the flow solver returns them)
 * are used when given; otherwise potentials are computed, which fails exactly when the
 * assignment is not optimal — then there is no meaningful answer, and this returns null.
 */
export function forcedMoves(
  cm: CompiledMarket,
  a: Assignment,
  load: Int32Array,
  queries: readonly ForcedMoveQuery[],
  flowPotentials: Float64Array | null,
): Map<number, ForcedMove | null> | null {
  const out = new Map<number, ForcedMove | null>();
  if (queries.length === 0) return out;
  const g = new ContractedGraph(cm, a, load);
  let phi: Float64Array | null;
  if (flowPotentials) {
    // Residual-graph node numbering: source 0, people 1..n, openings n+1..n+m, sink n+m+1.
    phi = new Float64Array(g.nNodes);
    for (let o = 0; o < cm.nOpenings; o++) phi[o] = flowPotentials[1 + cm.nPeople + o]!;
    phi[g.S] = flowPotentials[0]!;
    phi[g.T] = flowPotentials[1 + cm.nPeople + cm.nOpenings]!;
  } else {
    phi = g.potentials();
  }
  if (!phi) return null;

  const byOpening = new Map<number, ForcedMoveQuery[]>();
  for (const q of queries) {
    const o = cm.pairOpening[q.pair]!;
    let list = byOpening.get(o);
    if (!list) {
      list = [];
      byOpening.set(o, list);
    }
    list.push(q);
  }

  const V = g.nNodes;
  const { start, to, cost } = g;
  const dist = new Float64Array(V);
  const done = new Uint8Array(V);
  const pred = new Int32Array(V);
  const heap = new MinHeap();
  const targetOf = (q: ForcedMoveQuery): number => (a[q.person]! >= 0 ? cm.pairOpening[a[q.person]!]! : g.S);
  for (const [o, list] of byOpening) {
    dist.fill(Number.POSITIVE_INFINITY);
    done.fill(0);
    heap.clear();
    dist[o] = 0;
    pred[o] = -1;
    heap.push(0, o);
    const wanted = new Set(list.map(targetOf));
    let pending = wanted.size;
    while (heap.size > 0 && pending > 0) {
      const u = heap.pop();
      if (done[u]) continue;
      done[u] = 1;
      if (wanted.has(u)) pending--;
      const du = dist[u]! + phi[u]!;
      for (let i = start[u]!, end = start[u + 1]!; i < end; i++) {
        const v = to[i]!;
        if (done[v]) continue;
        const nd = du + cost[i]! - phi[v]!;
        if (nd < dist[v]!) {
          dist[v] = nd;
          pred[v] = i;
          heap.push(nd, v);
        }
      }
    }
    for (const q of list) {
      const target = targetOf(q);
      if (!done[target]) {
        out.set(q.person, null);
        continue;
      }
      const real = dist[target]! - phi[o]! + phi[target]!;
      // Closing the cycle: the person leaves their own seat (target is their opening) and takes o.
      const held = a[q.person]!;
      const back = held >= 0 ? cm.pairWeight[held]! : 0;
      const costWeight = Math.max(0, Math.round(real + back - cm.pairWeight[q.pair]!));
      out.set(q.person, { cost: toScore(costWeight), ...chain(g, cm, pred, o, target) });
    }
  }
  return out;
}

function chain(
  g: ContractedGraph,
  cm: CompiledMarket,
  pred: Int32Array,
  src: number,
  target: number,
): Omit<ForcedMove, 'cost'> {
  const edges: number[] = [];
  for (let v = target; v !== src; ) {
    const i = pred[v]!;
    edges.push(i);
    v = nodeBefore(g, i);
  }
  edges.reverse();
  let moves = 0;
  for (const i of edges) if (g.leaves[i]! >= 0 || g.joins[i]! >= 0) moves++;
  const first = edges[0];
  if (first === undefined || g.leaves[first]! < 0) return { displaced: null, moves };
  const left = g.leaves[first]!;
  const joined = g.joins[first]!;
  return {
    displaced: {
      person: cm.pairPerson[left]!,
      score: toScore(cm.pairWeight[left]!),
      movesTo:
        joined >= 0 ? { opening: cm.pairOpening[joined]!, score: toScore(cm.pairWeight[joined]!) } : null,
    },
    moves,
  };
}

/** The tail of edge i (edges are stored by tail, so a binary search over `start`). */
function nodeBefore(g: ContractedGraph, i: number): number {
  let lo = 0;
  let hi = g.nNodes - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (g.start[mid]! <= i) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
