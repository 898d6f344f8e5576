import type { Assignment } from './heuristics.js';
import type { CompiledMarket } from './market.js';

/**
 * The assignment problem as a flow network: source → person (capacity 1) → opening (one edge per
 * eligible pair, cost −weight) → sink (capacity headcount). A flow is an assignment; a residual
 * path is a chain of moves (someone leaves an opening, takes another, …). With free return
 * edges sink ⇄ source (the number of people placed is free), an assignment maximises the total
 * score exactly when its residual graph has no negative cycle.
 */
export class ResidualGraph {
  readonly source = 0;
  readonly sink: number;
  readonly nNodes: number;
  readonly from: Int32Array;
  readonly to: Int32Array;
  readonly cap: Int32Array;
  readonly cost: Float64Array;
  readonly adjStart: Int32Array;
  readonly adjEdge: Int32Array;
  /** Forward edge of each pair. */
  readonly pairEdge: Int32Array;

  constructor(readonly cm: CompiledMarket) {
    const n = cm.nPeople;
    const m = cm.nOpenings;
    this.sink = n + m + 1;
    this.nNodes = n + m + 2;
    const nEdges = 2 * (n + cm.nPairs + m);
    this.from = new Int32Array(nEdges);
    this.to = new Int32Array(nEdges);
    this.cap = new Int32Array(nEdges);
    this.cost = new Float64Array(nEdges);
    this.pairEdge = new Int32Array(cm.nPairs);
    let k = 0;
    const add = (u: number, v: number, cap: number, cost: number): number => {
      this.from[k] = u;
      this.to[k] = v;
      this.cap[k] = cap;
      this.cost[k] = cost;
      this.from[k + 1] = v;
      this.to[k + 1] = u;
      this.cap[k + 1] = 0;
      this.cost[k + 1] = -cost;
      k += 2;
      return k - 2;
    };
    for (let p = 0; p < n; p++) add(this.source, this.personNode(p), 1, 0);
    for (let e = 0; e < cm.nPairs; e++) {
      this.pairEdge[e] = add(
        this.personNode(cm.pairPerson[e]!),
        this.openingNode(cm.pairOpening[e]!),
        1,
        -cm.pairWeight[e]!,
      );
    }
    for (let o = 0; o < m; o++) add(this.openingNode(o), this.sink, cm.headcount[o]!, 0);

    this.adjStart = new Int32Array(this.nNodes + 1);
    for (let e = 0; e < nEdges; e++) this.adjStart[this.from[e]! + 1]! += 1;
    for (let v = 0; v < this.nNodes; v++) this.adjStart[v + 1]! += this.adjStart[v]!;
    const fill = this.adjStart.slice(0, this.nNodes);
    this.adjEdge = new Int32Array(nEdges);
    for (let e = 0; e < nEdges; e++) this.adjEdge[fill[this.from[e]!]!++] = e;
  }

  personNode(p: number): number {
    return 1 + p;
  }

  openingNode(o: number): number {
    return 1 + this.cm.nPeople + o;
  }

  assignment(): Assignment {
    const cm = this.cm;
    const a = new Int32Array(cm.nPeople).fill(-1);
    for (let e = 0; e < cm.nPairs; e++) {
      if (this.cap[this.pairEdge[e]!] === 0) a[cm.pairPerson[e]!] = e;
    }
    return a;
  }
}

/** A binary min-heap of (key, node) with lazy deletion. */
export class MinHeap {
  private keys = new Float64Array(1024);
  private nodes = new Int32Array(1024);
  size = 0;

  clear(): void {
    this.size = 0;
  }

  push(key: number, node: number): void {
    if (this.size === this.keys.length) {
      const k = new Float64Array(this.size * 2);
      k.set(this.keys);
      this.keys = k;
      const n = new Int32Array(this.size * 2);
      n.set(this.nodes);
      this.nodes = n;
    }
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.keys[parent]! <= key) break;
      this.keys[i] = this.keys[parent]!;
      this.nodes[i] = this.nodes[parent]!;
      i = parent;
    }
    this.keys[i] = key;
    this.nodes[i] = node;
  }

  /** Removes the minimum; returns its node, with its key in `lastKey`. */
  lastKey = 0;
  pop(): number {
    const node = this.nodes[0]!;
    this.lastKey = this.keys[0]!;
    const n = --this.size;
    const key = this.keys[n]!;
    const val = this.nodes[n]!;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && this.keys[r]! < this.keys[l]! ? r : l;
      if (this.keys[c]! >= key) break;
      this.keys[i] = this.keys[c]!;
      this.nodes[i] = this.nodes[c]!;
      i = c;
    }
    this.keys[i] = key;
    this.nodes[i] = val;
    return node;
  }
}
