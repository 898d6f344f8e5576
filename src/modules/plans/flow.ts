import type { Assignment } from './heuristics.js';
import type { CompiledMarket } from './market.js';
import { MinHeap, ResidualGraph } from './residual.js';

export interface FlowSolution {
  assignment: Assignment;
  /** Valid potentials for the residual graph with return edges (see ResidualGraph). */
  potentials: Float64Array;
  phases: number;
  augmentations: number;
}

/**
 * Exact maximum-weight b-matching by min-cost flow, primal–dual: each phase runs one Dijkstra
 * on reduced costs, then saturates every augmenting path of that same (shortest) cost with
 * blocking flows, as in Dinic. The cost of the next augmenting path only grows, and a path's
 * cost is a sum of ± pair weights, so with scores on a coarse grid (whole points, say) there are
 * about as many phases as distinct score levels — about a hundred — not one per slot.
 *
 * It stops when the cheapest augmenting path would lower the total score. Paths that leave it
 * unchanged are still taken: among the assignments with the best total, it returns one that
 * fills the most slots.
 *
 * Weights are integers (thousandths of a point), so reduced costs are exact and "admissible"
 * is an equality test.
 */
export function solveByFlow(cm: CompiledMarket): FlowSolution {
  const g = new ResidualGraph(cm);
  const V = g.nNodes;
  const s = g.source;
  const t = g.sink;
  // Hot loops read plain locals: property loads on `g` in them cost several times the work.
  const { from, to, cap, cost, adjStart, adjEdge } = g;
  const nEdges = from.length;
  const phi = new Float64Array(V);
  // Initial potentials making every edge's reduced cost non-negative: weights are at most W.
  const W = cm.maxWeight;
  for (let o = 0; o < cm.nOpenings; o++) phi[g.openingNode(o)] = -W;
  phi[t] = -W;

  const dist = new Float64Array(V);
  const done = new Uint8Array(V);
  const heap = new MinHeap();
  const level = new Int32Array(V);
  const it = new Int32Array(V);
  const queue = new Int32Array(V);
  const pathEdges = new Int32Array(V);
  // The admissible (zero reduced cost) edges of the current phase, by tail node. Potentials do
  // not change within a phase, so this set is fixed while the blocking flows run; an edge and
  // its reverse are admissible together, and only their capacities change.
  const tightStart = new Int32Array(V + 1);
  let tightEdge = new Int32Array(1024);
  let phases = 0;
  let augmentations = 0;

  for (;;) {
    dist.fill(Number.POSITIVE_INFINITY);
    done.fill(0);
    heap.clear();
    dist[s] = 0;
    heap.push(0, s);
    while (heap.size > 0) {
      const u = heap.pop();
      if (done[u]) continue;
      done[u] = 1;
      if (u === t) break;
      const du = dist[u]! + phi[u]!;
      for (let i = adjStart[u]!, end = adjStart[u + 1]!; i < end; i++) {
        const e = adjEdge[i]!;
        if (cap[e]! <= 0) continue;
        const v = to[e]!;
        if (done[v]) continue;
        const nd = du + cost[e]! - phi[v]!;
        if (nd < dist[v]!) {
          dist[v] = nd;
          heap.push(nd, v);
        }
      }
    }
    const dt = dist[t]!;
    const realCost = dt + phi[t]! - phi[s]!;
    if (!(realCost <= 0)) {
      // Done. Capping distances at C = φ(s) − φ(t) instead of d(t) keeps every reduced cost
      // non-negative and makes φ(t) = φ(s), so the free return edges are admissible too.
      const c = phi[s]! - phi[t]!;
      for (let v = 0; v < V; v++) phi[v]! += Math.min(dist[v]!, c);
      break;
    }
    // Capping at d(t) keeps reduced costs non-negative for nodes Dijkstra did not settle.
    for (let v = 0; v < V; v++) phi[v]! += Math.min(dist[v]!, dt);
    phases++;

    tightStart.fill(0);
    let nTight = 0;
    for (let e = 0; e < nEdges; e++) {
      if (cost[e]! + phi[from[e]!]! - phi[to[e]!]! === 0) {
        tightStart[from[e]! + 1]! += 1;
        nTight++;
      }
    }
    for (let v = 0; v < V; v++) tightStart[v + 1]! += tightStart[v]!;
    if (tightEdge.length < nTight) tightEdge = new Int32Array(Math.max(nTight, 2 * tightEdge.length));
    const fill = it;
    fill.set(tightStart.subarray(0, V));
    for (let e = 0; e < nEdges; e++) {
      if (cost[e]! + phi[from[e]!]! - phi[to[e]!]! === 0) tightEdge[fill[from[e]!]!++] = e;
    }

    // Blocking flows (Dinic) on the admissible subgraph, until no augmenting path is left.
    for (;;) {
      level.fill(-1);
      level[s] = 0;
      let head = 0;
      let tail = 0;
      queue[tail++] = s;
      while (head < tail) {
        const u = queue[head++]!;
        for (let i = tightStart[u]!, end = tightStart[u + 1]!; i < end; i++) {
          const e = tightEdge[i]!;
          const v = to[e]!;
          if (cap[e]! > 0 && level[v] === -1) {
            level[v] = level[u]! + 1;
            queue[tail++] = v;
          }
        }
      }
      if (level[t] === -1) break;
      it.set(tightStart.subarray(0, V));
      let depth = 0;
      let u = s;
      for (;;) {
        if (u === t) {
          let amount = Number.POSITIVE_INFINITY;
          for (let k = 0; k < depth; k++) amount = Math.min(amount, cap[pathEdges[k]!]!);
          for (let k = 0; k < depth; k++) {
            const e = pathEdges[k]!;
            cap[e]! -= amount;
            cap[e ^ 1]! += amount;
          }
          augmentations += amount;
          depth = 0;
          u = s;
          continue;
        }
        let advanced = false;
        const end = tightStart[u + 1]!;
        while (it[u]! < end) {
          const e = tightEdge[it[u]!]!;
          const v = to[e]!;
          if (cap[e]! > 0 && level[v] === level[u]! + 1) {
            pathEdges[depth++] = e;
            u = v;
            advanced = true;
            break;
          }
          it[u]! += 1;
        }
        if (advanced) continue;
        if (u === s) break;
        level[u] = -1;
        const back = pathEdges[--depth]!;
        u = from[back]!;
        it[u]! += 1;
      }
    }
  }

  return { assignment: g.assignment(), potentials: phi, phases, augmentations };
}
