import { describe, expect, it } from 'vitest';
import {
  type CandidateSelection,
  candidatesFromScorer,
  selectCandidates,
  selectCandidatesAsync,
} from '../../src/modules/plans/candidates.js';
import type { CandidatePair } from '../../src/modules/plans/market.js';
import { planCampaign } from '../../src/modules/plans/plan.js';
import { congestedMarket } from '../fixtures/plan-market.js';

/** Everybody's best is the popular opening 0; openings 1 and 2 rank people differently. */
const SCORES: Record<string, number> = {
  '0,0': 90,
  '1,0': 91,
  '2,0': 92,
  '3,0': 93,
  '0,1': 50,
  '1,1': 40,
  '2,1': 30,
  '3,1': 20,
  '0,2': 10,
  '1,2': 20,
  '2,2': 45,
  '3,2': 44,
};
const score = (p: number, o: number): number | null => SCORES[`${p},${o}`] ?? null;
const pairs: CandidatePair[] = Object.entries(SCORES).map(([key, s]) => {
  const [person, opening] = key.split(',').map(Number) as [number, number];
  return { person, opening, score: s };
});
const key = (c: CandidatePair) => `${c.person},${c.opening}`;

describe('candidate selection', () => {
  it('when only each person keeps their best opening, then the popular opening absorbs every list', () => {
    const c = candidatesFromScorer(4, 3, score, { topPerPerson: 1, topPerOpening: 0 });
    expect(c.map(key)).toEqual(['0,0', '1,0', '2,0', '3,0']);
  });

  it('when each opening also keeps its best people, then every opening has candidates', () => {
    const c = candidatesFromScorer(4, 3, score, { topPerPerson: 1, topPerOpening: 2 });
    expect(c.map(key)).toEqual(['0,0', '0,1', '1,0', '1,1', '2,0', '2,2', '3,0', '3,2']);
    expect(c.find((x) => key(x) === '2,2')!.score).toBe(45);
  });

  it('when the lists are used for a plan, then the two-sided candidates fill the slots the one-sided ones leave empty', async () => {
    const people = Array.from({ length: 4 }, (_, p) => ({ id: `P${p}` }));
    const openings = [0, 1, 2].map((o) => ({ id: `O${o}`, headcount: 1 }));
    const oneSided = candidatesFromScorer(4, 3, score, { topPerPerson: 1, topPerOpening: 0 });
    const twoSided = candidatesFromScorer(4, 3, score, { topPerPerson: 1, topPerOpening: 2 });
    const a = await planCampaign({ people, openings, candidates: oneSided });
    const b = await planCampaign({ people, openings, candidates: twoSided });
    expect(a.figures).toMatchObject({ assigned: 1, totalScore: 93 });
    // 0 → O1 (50), 2 → O2 (45), 3 → O0 (93): 188.
    expect(b.figures).toMatchObject({ assigned: 3, totalScore: 188 });
  });

  it('when scores tie at the cut, then the lower index is kept', () => {
    const tied = [0, 1, 2].map((person) => ({ person, opening: 0, score: 60 }));
    expect(selectCandidates(tied, 3, 1, { topPerPerson: 0, topPerOpening: 2 }).map(key)).toEqual([
      '0,0',
      '1,0',
    ]);
    const reversed = [...tied].reverse();
    expect(selectCandidates(reversed, 3, 1, { topPerPerson: 0, topPerOpening: 2 }).map(key)).toEqual([
      '0,0',
      '1,0',
    ]);
  });

  it('when a minimum score is set, then weaker pairs are not candidates', () => {
    const c = candidatesFromScorer(4, 3, score, { topPerPerson: 3, topPerOpening: 4, minScore: 45 });
    expect(c.every((x) => x.score >= 45)).toBe(true);
    expect(c.map(key)).toEqual(['0,0', '0,1', '1,0', '2,0', '2,2', '3,0']);
  });

  it('when the per-opening size depends on the opening, then each opening keeps its own number', () => {
    const c = candidatesFromScorer(4, 3, score, { topPerPerson: 0, topPerOpening: (o) => (o === 1 ? 3 : 1) });
    expect(c.map(key)).toEqual(['0,1', '1,1', '2,1', '2,2', '3,0']);
  });

  it('when fed by a callback, a list or an async stream, then the selection is the same', async () => {
    const g = congestedMarket({ people: 120, openings: 15, totalHeadcount: 40, seed: 3 });
    const selection: CandidateSelection = {
      topPerPerson: 4,
      topPerOpening: (o) => 3 * g.openings[o]!.headcount,
    };
    const fromScorer = candidatesFromScorer(120, 15, g.score, selection);
    const all: CandidatePair[] = [];
    for (let p = 0; p < 120; p++) {
      for (let o = 0; o < 15; o++) {
        const s = g.score(p, o);
        if (s !== null) all.push({ person: p, opening: o, score: s });
      }
    }
    // A stream in another order (as a database cursor would give it) selects the same pairs.
    const shuffled = [...all].reverse();
    expect(selectCandidates(shuffled, 120, 15, selection)).toEqual(fromScorer);
    async function* stream() {
      for (const pair of shuffled) yield pair;
    }
    expect(await selectCandidatesAsync(stream(), 120, 15, selection)).toEqual(fromScorer);
    expect(fromScorer.length).toBeGreaterThan(0);
    expect(fromScorer.length).toBeLessThan(all.length);
  });

  it('when K and M are 0, then there are no candidates', () => {
    expect(selectCandidates(pairs, 4, 3, { topPerPerson: 0, topPerOpening: 0 })).toEqual([]);
  });

  it('when a list size is negative or a pair is out of range, then it is a validation error', () => {
    expect(() => selectCandidates(pairs, 4, 3, { topPerPerson: -1, topPerOpening: 0 })).toThrow(
      /non-negative/,
    );
    expect(() =>
      selectCandidates([{ person: 9, opening: 0, score: 1 }], 4, 3, { topPerPerson: 1, topPerOpening: 1 }),
    ).toThrow(/out of range/);
  });
});

describe('planCampaign on a generated congested market', () => {
  const g = congestedMarket({ people: 300, openings: 30, totalHeadcount: 90, seed: 11 });
  const candidates = candidatesFromScorer(300, 30, g.score, {
    topPerPerson: 8,
    topPerOpening: (o) => 4 * g.openings[o]!.headcount,
  });
  const m = { people: g.people, openings: g.openings, candidates };

  it('when solved by flow and by HiGHS, then both reach the same total, above both baselines', async () => {
    const flow = await planCampaign(m, { solver: 'flow' });
    const highs = await planCampaign(m, { solver: 'highs' });
    expect(highs.figures.totalScore).toBe(flow.figures.totalScore);
    expect(highs.solver.highs).toMatchObject({ status: 'optimal', integral: true });
    expect(flow.figures.totalScore).toBeGreaterThanOrEqual(flow.baselines!.greedy.totalScore);
    expect(flow.baselines!.deferredAcceptance.totalScore).toBe(flow.baselines!.greedy.totalScore);
    // A forcing cost is OPT − OPT(with that pair forced): it does not depend on which optimal
    // plan a solver returned, so both solvers must report the same one for the same person.
    const costs = (r: typeof flow) =>
      new Map(
        [...r.assignments, ...r.unassigned]
          .filter((x) => x.top !== null)
          .map((x) => [x.person, x.top!.forcingCost] as const),
      );
    const a = costs(flow);
    const b = costs(highs);
    const both = [...a.keys()].filter((p) => b.has(p));
    expect(both.length).toBeGreaterThan(100);
    for (const p of both) expect(b.get(p), `person ${p}`).toBe(a.get(p));
  });

  it('when the MIP time limit is hit, then the best solution found is returned, not marked exact', async () => {
    const options = { groupBonus: { points: 3 }, maxEmployersPerBatch: 2 };
    const start = await planCampaign(m, { ...options, solver: 'flow' });
    const r = await planCampaign(m, { ...options, timeLimitSeconds: 0.001 });
    expect(r.solver.used).toBe('highs-mip');
    expect(r.solver.highs!.status).toBe('timeLimit');
    expect(r.solver.exact).toBe(false);
    expect(r.figures.objective).toBeGreaterThanOrEqual(start.figures.objective);
    expect(r.figures.maxEmployersPerCounty).toBeLessThanOrEqual(2);
    for (const o of r.openings) expect(o.people.length).toBeLessThanOrEqual(o.headcount);
  });
});
