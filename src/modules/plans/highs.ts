import { createRequire } from 'node:module';
import type { Highs, ModelData } from 'highs';
import type { Assignment } from './heuristics.js';
import { type CompiledMarket, toScore } from './market.js';

let runtime: Promise<Highs> | undefined;

/** The HiGHS WebAssembly runtime, instantiated once per process (about 30 ms). */
export function highsRuntime(): Promise<Highs> {
  // The package's types describe its CommonJS build, whose `module.exports` is the loader;
  // requiring that build avoids the default-export interop mismatch with its ESM build.
  const loadHighs = createRequire(import.meta.url)('highs') as () => Promise<Highs>;
  runtime ??= loadHighs();
  return runtime;
}

export interface MipTerms {
  /** Points per placed person with at least one companion from their county at the same place. */
  groupBonus: number;
  /** 'employer' or 'opening': what "the same place" is for the group bonus. */
  groupScope: 'employer' | 'opening';
  /** At most this many distinct employers per origin county; null: no limit. */
  maxEmployersPerCounty: number | null;
}

export interface HighsOutcome {
  /** null when HiGHS returned no usable solution (status says why). */
  assignment: Assignment | null;
  status: string;
  mip: boolean;
  /** LP: whether every pair variable came out 0 or 1. */
  integral: boolean | null;
  /** Largest distance of a pair variable from an integer, in the LP solution. */
  maxFractionality: number | null;
  objective: number | null;
  /** MIP: the proven bound on the objective, and the relative gap to it. */
  bound: number | null;
  mipGap: number | null;
  columns: number;
  rows: number;
  nonzeros: number;
  iterations: number | null;
  nodes: number | null;
}

const INTEGRALITY_TOLERANCE = 1e-6;

let names: Map<number, string> | undefined;
function statusNames(highs: Highs): Map<number, string> {
  names ??= new Map(Object.entries(highs.constants.modelStatus).map(([k, v]) => [v as number, k]));
  return names;
}

interface Formulation {
  model: ModelData;
  /** Column values of a given assignment (a MIP start). */
  startFor: (a: Assignment) => Float64Array;
  nonzeros: number;
}

/**
 * Builds the model. Pair variables x_e ∈ [0,1] come first (column e is pair e). Rows: each person
 * at most once, each opening within headcount. The optional terms (see plan.ts for why these
 * formulations) add:
 *
 * - group bonus, per group g = (origin county, employer or opening) that can hold two or more
 *   people, with n_g = Σ_{e ∈ g} x_e: a binary y_g with 2·y_g ≤ n_g ("the group has company")
 *   and w_g ≤ n_g, w_g ≤ cap_g·y_g; the objective adds bonus · w_g. So w_g = n_g when two or more
 *   are placed together and 0 for someone alone: exactly the people with a companion. Two
 *   columns and three rows per group — not per person: an earlier formulation with a variable
 *   per (person, group) had 30k rows at 1k × 100 and HiGHS did not finish its root node in 20 s.
 * - distinct employers per county: a binary z_g per (county, employer) with
 *   Σ_{e ∈ g} x_e ≤ M_g z_g (M_g: the most people g can take) and Σ_g z_g ≤ limit per county.
 */
function formulate(highs: Highs, cm: CompiledMarket, terms: MipTerms | null, mip: boolean): Formulation {
  const nPairs = cm.nPairs;
  let nRows = 0;
  const personRow = new Int32Array(cm.nPeople).fill(-1);
  for (let p = 0; p < cm.nPeople; p++) {
    if (cm.personStart[p + 1]! > cm.personStart[p]!) personRow[p] = nRows++;
  }
  const openingRow = new Int32Array(cm.nOpenings).fill(-1);
  for (let o = 0; o < cm.nOpenings; o++) {
    if (cm.openingStart[o + 1]! > cm.openingStart[o]!) openingRow[o] = nRows++;
  }
  const rowLower: number[] = [];
  const rowUpper: number[] = [];
  for (let p = 0; p < cm.nPeople; p++) {
    if (personRow[p]! >= 0) {
      rowLower.push(-highs.infinity);
      rowUpper.push(1);
    }
  }
  for (let o = 0; o < cm.nOpenings; o++) {
    if (openingRow[o]! >= 0) {
      rowLower.push(-highs.infinity);
      rowUpper.push(cm.headcount[o]!);
    }
  }

  const bonus = terms !== null && terms.groupBonus > 0;
  const limit = terms?.maxEmployersPerCounty ?? null;
  const bonusGroups = bonus ? groupsOf(cm, terms.groupScope === 'opening') : null;
  const limitGroups = limit !== null ? groupsOf(cm, false) : null;

  // Group bonus: per group reachable by two or more people, w_g (bonus-earning people) and a
  // binary y_g ("at least two placed"), with rows w_g ≤ n_g, w_g ≤ cap_g·y_g and 2·y_g ≤ n_g.
  let nCols = nPairs;
  const bonusGroupIds: number[] = [];
  const bonusSlot = new Int32Array(bonusGroups?.county.length ?? 0).fill(-1);
  if (bonusGroups) {
    for (let g = 0; g < bonusGroups.county.length; g++) {
      if (bonusGroups.capacity[g]! < 2) continue;
      bonusSlot[g] = bonusGroupIds.length;
      bonusGroupIds.push(g);
    }
  }
  const wStart = nCols;
  nCols += 2 * bonusGroupIds.length; // w then y, per bonus group
  const bonusRow = nRows;
  nRows += 3 * bonusGroupIds.length; // rows: w − n ≤ 0, w − cap·y ≤ 0, 2y − n ≤ 0
  for (let i = 0; i < bonusGroupIds.length; i++) {
    rowLower.push(-highs.infinity, -highs.infinity, -highs.infinity);
    rowUpper.push(0, 0, 0);
  }

  // Employer limit: per (county, employer) group z_g, and one row per county.
  const zStart = nCols;
  const zRow: number[] = [];
  const countyRow = new Map<number, number>();
  if (limitGroups) {
    for (let g = 0; g < limitGroups.county.length; g++) {
      zRow.push(nRows++);
      rowLower.push(-highs.infinity);
      rowUpper.push(0);
    }
    for (const c of limitGroups.county) {
      if (countyRow.has(c)) continue;
      countyRow.set(c, nRows++);
      rowLower.push(-highs.infinity);
      rowUpper.push(limit!);
    }
    nCols += limitGroups.county.length;
  }

  // Columns in CSC.
  const starts: number[] = [0];
  const indices: number[] = [];
  const values: number[] = [];
  const colCost = new Float64Array(nCols);
  const colLower = new Float64Array(nCols);
  const colUpper = new Float64Array(nCols);
  const integrality = new Int32Array(nCols);
  const entries: [number, number][] = [];
  const close = () => {
    entries.sort((x, y) => x[0] - y[0]);
    for (const [r, v] of entries) {
      indices.push(r);
      values.push(v);
    }
    entries.length = 0;
    starts.push(indices.length);
  };
  for (let e = 0; e < nPairs; e++) {
    const p = cm.pairPerson[e]!;
    const o = cm.pairOpening[e]!;
    entries.push([personRow[p]!, 1], [openingRow[o]!, 1]);
    const g = bonusGroups ? bonusGroups.pairGroup[e]! : -1;
    const k = g >= 0 ? bonusSlot[g]! : -1;
    if (k >= 0) entries.push([bonusRow + 3 * k, -1], [bonusRow + 3 * k + 2, -1]);
    const z = limitGroups ? limitGroups.pairGroup[e]! : -1;
    if (z >= 0) entries.push([zRow[z]!, 1]);
    close();
    colCost[e] = toScore(cm.pairWeight[e]!);
    colUpper[e] = 1;
    integrality[e] = mip ? highs.constants.variableType.integer : highs.constants.variableType.continuous;
  }
  for (let k = 0; k < bonusGroupIds.length; k++) {
    const cap = bonusGroups!.capacity[bonusGroupIds[k]!]!;
    entries.push([bonusRow + 3 * k, 1], [bonusRow + 3 * k + 1, 1]);
    close();
    colCost[wStart + 2 * k] = terms!.groupBonus;
    colUpper[wStart + 2 * k] = cap;
    entries.push([bonusRow + 3 * k + 1, -cap], [bonusRow + 3 * k + 2, 2]);
    close();
    colUpper[wStart + 2 * k + 1] = 1;
    integrality[wStart + 2 * k + 1] = highs.constants.variableType.integer;
  }
  if (limitGroups) {
    for (let g = 0; g < limitGroups.county.length; g++) {
      entries.push([zRow[g]!, -limitGroups.capacity[g]!], [countyRow.get(limitGroups.county[g]!)!, 1]);
      close();
      colUpper[zStart + g] = 1;
      integrality[zStart + g] = highs.constants.variableType.integer;
    }
  }

  const model: ModelData = {
    numCols: nCols,
    numRows: nRows,
    sense: highs.constants.objectiveSense.maximize,
    colCost,
    colLower,
    colUpper,
    rowLower: Float64Array.from(rowLower),
    rowUpper: Float64Array.from(rowUpper),
    matrix: {
      format: 'csc',
      numRows: nRows,
      numCols: nCols,
      starts: Int32Array.from(starts),
      indices: Int32Array.from(indices),
      values: Float64Array.from(values),
    },
    ...(mip ? { integrality } : {}),
  };

  const startFor = (a: Assignment): Float64Array => {
    const x = new Float64Array(nCols);
    const inBonus = new Int32Array(bonusGroupIds.length);
    const inLimit = new Int32Array(limitGroups?.county.length ?? 0);
    for (let p = 0; p < cm.nPeople; p++) {
      const e = a[p]!;
      if (e < 0) continue;
      x[e] = 1;
      const g = bonusGroups ? bonusGroups.pairGroup[e]! : -1;
      if (g >= 0 && bonusSlot[g]! >= 0) inBonus[bonusSlot[g]!]! += 1;
      const z = limitGroups ? limitGroups.pairGroup[e]! : -1;
      if (z >= 0) inLimit[z]! += 1;
    }
    for (let k = 0; k < inBonus.length; k++) {
      const active = inBonus[k]! >= 2;
      x[wStart + 2 * k] = active ? inBonus[k]! : 0;
      x[wStart + 2 * k + 1] = active ? 1 : 0;
    }
    for (let g = 0; g < inLimit.length; g++) x[zStart + g] = inLimit[g]! > 0 ? 1 : 0;
    return x;
  };

  return { model, startFor, nonzeros: indices.length };
}

interface Groups {
  /** Group of each pair, -1 when the person has no county. */
  pairGroup: Int32Array;
  county: number[];
  people: Set<number>[];
  /** The most people the group can hold: min(people who can reach it, its slots). */
  capacity: number[];
}

/** Pairs grouped by (origin county, employer) — or (origin county, opening). */
function groupsOf(cm: CompiledMarket, byOpening: boolean): Groups {
  const pairGroup = new Int32Array(cm.nPairs).fill(-1);
  const county: number[] = [];
  const people: Set<number>[] = [];
  const openings: Set<number>[] = [];
  const ids = new Map<number, number>();
  const places = byOpening ? cm.nOpenings : cm.employers.length;
  for (let e = 0; e < cm.nPairs; e++) {
    const p = cm.pairPerson[e]!;
    const c = cm.countyOf[p]!;
    if (c < 0) continue;
    const o = cm.pairOpening[e]!;
    const key = c * places + (byOpening ? o : cm.employerOf[o]!);
    let g = ids.get(key);
    if (g === undefined) {
      g = county.length;
      ids.set(key, g);
      county.push(c);
      people.push(new Set());
      openings.push(new Set());
    }
    pairGroup[e] = g;
    people[g]!.add(p);
    openings[g]!.add(o);
  }
  const capacity = openings.map((set, g) => {
    let slots = 0;
    for (const o of set) slots += cm.headcount[o]!;
    return Math.min(slots, people[g]!.size);
  });
  return { pairGroup, county, people, capacity };
}

export interface HighsOptions {
  timeLimitSeconds: number;
  mipRelGap: number;
  /** A feasible assignment to start the MIP from (it then always has an incumbent). */
  start?: Assignment | null;
  /** Further HiGHS options, by their HiGHS names (for tuning and benchmarks). */
  extra?: Record<string, string | number | boolean>;
}

/**
 * Solves the exact formulation with HiGHS. Without optional terms it is the b-matching LP, whose
 * constraint matrix is totally unimodular (bipartite incidence), so a basic optimal solution is
 * integral: it is solved as an LP with simplex and the integrality is checked rather than
 * assumed; if it ever failed, the same model is re-solved as a MIP. With the group bonus or the
 * employer limit the relaxation is no longer integral and the model is a MIP.
 */
export async function solveByHighs(
  cm: CompiledMarket,
  terms: MipTerms | null,
  options: HighsOptions,
): Promise<HighsOutcome> {
  const highs = await highsRuntime();
  if (cm.nPairs === 0) {
    return {
      assignment: new Int32Array(cm.nPeople).fill(-1),
      status: 'empty',
      mip: false,
      integral: true,
      maxFractionality: 0,
      objective: 0,
      bound: null,
      mipGap: null,
      columns: 0,
      rows: 0,
      nonzeros: 0,
      iterations: 0,
      nodes: null,
    };
  }
  const needsMip = terms !== null && (terms.groupBonus > 0 || terms.maxEmployersPerCounty !== null);
  const first = run(highs, cm, terms, needsMip, options);
  if (first.mip || first.integral !== false) return first;
  const second = run(highs, cm, terms, true, options);
  return { ...second, maxFractionality: first.maxFractionality, integral: false };
}

function run(
  highs: Highs,
  cm: CompiledMarket,
  terms: MipTerms | null,
  mip: boolean,
  options: HighsOptions,
): HighsOutcome {
  const f = formulate(highs, cm, terms, mip);
  return highs.withModel(f.model, (model) => {
    model.options.set({
      output_flag: false,
      time_limit: options.timeLimitSeconds,
      ...(mip ? { mip_rel_gap: options.mipRelGap } : { solver: 'simplex' }),
      ...options.extra,
    });
    if (mip && options.start) model.setSolution({ colValue: f.startFor(options.start) });
    const { modelStatus } = model.run();
    const statusName = statusNames(highs).get(modelStatus) ?? String(modelStatus);
    const info = (name: string): number | null => {
      try {
        const v = model.info.get(name);
        return typeof v === 'bigint' ? Number(v) : v;
      } catch {
        return null;
      }
    };
    const feasible = info('primal_solution_status') === 2;
    const base = {
      status: statusName,
      mip,
      columns: f.model.numCols,
      rows: f.model.numRows,
      nonzeros: f.nonzeros,
      iterations: info('simplex_iteration_count'),
      nodes: mip ? info('mip_node_count') : null,
    };
    // A MIP stopped by the time limit still has its incumbent (at worst the start we gave it).
    const usable = modelStatus === highs.constants.modelStatus.optimal || (mip && feasible);
    if (!usable) {
      return {
        ...base,
        assignment: null,
        integral: null,
        maxFractionality: null,
        objective: null,
        bound: null,
        mipGap: null,
      };
    }
    const x = model.getSolution().colValue;
    const a = new Int32Array(cm.nPeople).fill(-1);
    let maxFractionality = 0;
    for (let e = 0; e < cm.nPairs; e++) {
      const v = x[e]!;
      maxFractionality = Math.max(maxFractionality, Math.min(Math.abs(v), Math.abs(1 - v)));
      if (v > 0.5) a[cm.pairPerson[e]!] = e;
    }
    const integral = maxFractionality <= INTEGRALITY_TOLERANCE;
    return {
      ...base,
      assignment: integral || mip ? a : null,
      integral,
      maxFractionality,
      objective: model.getObjectiveValue(),
      bound: mip ? info('mip_dual_bound') : null,
      mipGap: mip ? info('mip_gap') : null,
    };
  });
}
