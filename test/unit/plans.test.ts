import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/lib/errors.js';
import { deferredAcceptance, greedy } from '../../src/modules/plans/heuristics.js';
import { compileMarket, type Market } from '../../src/modules/plans/market.js';
import { planCampaign } from '../../src/modules/plans/plan.js';
import { bruteForceBest } from '../fixtures/plan-brute-force.js';
import { hash01 } from '../fixtures/plan-market.js';

function market(
  people: (string | [string, string])[],
  openings: [string, number, string?][],
  pairs: [number, number, number][],
): Market {
  return {
    people: people.map((p) => (typeof p === 'string' ? { id: p } : { id: p[0], county: p[1] })),
    openings: openings.map(([id, headcount, employer]) => ({ id, headcount, employer: employer ?? null })),
    candidates: pairs.map(([person, opening, score]) => ({ person, opening, score })),
  };
}

/** Two openings, one popular: X is everyone's best candidate, Y can only do the popular one. */
const GREEDY_TRAP = market(
  ['X', 'Y'],
  [
    ['popular', 1],
    ['plain', 1],
  ],
  [
    [0, 0, 90],
    [0, 1, 80],
    [1, 0, 85],
  ],
);

function peopleAt(result: Awaited<ReturnType<typeof planCampaign>>): Record<string, string[]> {
  return Object.fromEntries(result.openings.map((o) => [o.id, o.people.map((p) => p.id)]));
}

describe('planCampaign on the greedy trap', () => {
  it('when one opening is popular, then greedy fills 1 slot and the exact plan fills both', async () => {
    const r = await planCampaign(GREEDY_TRAP);
    expect(peopleAt(r)).toEqual({ popular: ['Y'], plain: ['X'] });
    expect(r.figures).toMatchObject({ totalScore: 165, assigned: 2, slots: 2, fillRate: 1 });
    expect(r.solver).toMatchObject({ used: 'flow', exact: true, requested: 'auto' });
    expect(r.baselines!.greedy).toMatchObject({ totalScore: 90, assigned: 1, fillRate: 0.5 });
    expect(r.baselines!.greedy.unassigned.outscored).toBe(1);
    expect(r.baselines!.deferredAcceptance).toMatchObject({ totalScore: 90, assigned: 1 });
  });

  it('when solved with HiGHS, then the LP optimum is the same and integral', async () => {
    const r = await planCampaign(GREEDY_TRAP, { solver: 'highs' });
    expect(peopleAt(r)).toEqual({ popular: ['Y'], plain: ['X'] });
    expect(r.solver.used).toBe('highs-lp');
    expect(r.solver.exact).toBe(true);
    expect(r.solver.highs).toMatchObject({
      status: 'optimal',
      integral: true,
      maxFractionality: 0,
      objective: 165,
    });
  });

  it('when X is not in their top opening, then the plan says who holds it and what forcing X there costs', async () => {
    expect.hasAssertions();
    for (const solver of ['flow', 'highs'] as const) {
      const r = await planCampaign(GREEDY_TRAP, { solver });
      const x = r.assignments.find((a) => a.id === 'X')!;
      expect(x).toMatchObject({ openingId: 'plain', score: 80, rank: 2 });
      expect(x.top).toEqual({
        opening: 0,
        id: 'popular',
        score: 90,
        reason: 'taken',
        heldBy: [{ person: 1, id: 'Y', score: 85 }],
        // X in popular (90) leaves Y with nothing: 90 instead of 80 + 85.
        forcingCost: 75,
        displaced: { person: 1, id: 'Y', score: 85, movesTo: null },
        moves: 1,
      });
      const y = r.assignments.find((a) => a.id === 'Y')!;
      expect(y).toMatchObject({ rank: 1, top: null });
    }
  });
});

describe('planCampaign, hand-made markets', () => {
  it('when the market is empty, then the plan is empty and nothing fails', async () => {
    expect.hasAssertions();
    for (const solver of ['auto', 'highs', 'flow', 'greedy', 'deferred-acceptance'] as const) {
      const r = await planCampaign({ people: [], openings: [], candidates: [] }, { solver });
      expect(r.figures).toMatchObject({ totalScore: 0, assigned: 0, slots: 0, fillRate: 0, meanScore: null });
      expect(r.openings).toEqual([]);
      expect(r.assignments).toEqual([]);
      expect(r.unassigned).toEqual([]);
    }
  });

  it('when there are people but no openings, then everybody is unassigned for lack of an eligible opening', async () => {
    const r = await planCampaign(market(['A', 'B'], [], []), { solver: 'highs' });
    expect(r.unassigned.map((u) => [u.id, u.reason])).toEqual([
      ['A', 'no_eligible_opening'],
      ['B', 'no_eligible_opening'],
    ]);
  });

  it('when people have no eligible pair, weak pairs only, or lose out, then each reason is told apart', async () => {
    const m = market(
      ['none', 'weak', 'strong', 'outscored'],
      [['job', 1]],
      [
        [1, 0, 20],
        [2, 0, 90],
        [3, 0, 70],
      ],
    );
    const r = await planCampaign(m, { minScore: 50 });
    expect(peopleAt(r)).toEqual({ job: ['strong'] });
    expect(Object.fromEntries(r.unassigned.map((u) => [u.id, u.reason]))).toEqual({
      none: 'no_eligible_opening',
      weak: 'below_minimum_score',
      outscored: 'outscored',
    });
    expect(r.figures.unassigned).toEqual({
      no_eligible_opening: 1,
      below_minimum_score: 1,
      outscored: 1,
      employer_limit: 0,
    });
    expect(r.candidates).toEqual({ given: 3, duplicatesMerged: 0, belowMinimumScore: 1, used: 2 });
    const out = r.unassigned.find((u) => u.id === 'outscored')!;
    expect(out.top).toMatchObject({
      id: 'job',
      reason: 'taken',
      heldBy: [{ id: 'strong', score: 90 }],
      forcingCost: 20,
    });
  });

  it('when an opening has headcount 0, then nobody is placed there and its pairs do not count as eligible', async () => {
    const m = market(
      ['A', 'B'],
      [
        ['closed', 0],
        ['open', 1],
      ],
      [
        [0, 0, 95],
        [1, 0, 95],
        [1, 1, 40],
      ],
    );
    for (const solver of ['flow', 'highs', 'greedy', 'deferred-acceptance'] as const) {
      const r = await planCampaign(m, { solver });
      expect(peopleAt(r)).toEqual({ closed: [], open: ['B'] });
      expect(r.openings[0]).toMatchObject({ headcount: 0, fillRate: 0 });
      expect(r.unassigned).toMatchObject([{ id: 'A', reason: 'no_eligible_opening' }]);
      expect(r.figures).toMatchObject({ slots: 1, fillRate: 1 });
    }
    const r = await planCampaign(m);
    expect(r.assignments[0]!.top).toMatchObject({ id: 'closed', reason: 'no_slots', forcingCost: null });
  });

  it('when scores tie, then the lower person index wins and the plan is the same every time', async () => {
    const m = market(
      ['A', 'B', 'C'],
      [
        ['one', 1],
        ['two', 1],
      ],
      [
        [0, 0, 60],
        [1, 0, 60],
        [2, 0, 60],
        [0, 1, 60],
        [1, 1, 60],
        [2, 1, 60],
      ],
    );
    const first = await planCampaign(m);
    expect(first.figures).toMatchObject({ totalScore: 120, assigned: 2 });
    for (let i = 0; i < 3; i++) expect(await planCampaign(m)).toMatchObject({ openings: first.openings });
    const g = await planCampaign(m, { solver: 'greedy' });
    expect(peopleAt(g)).toEqual({ one: ['A'], two: ['B'] });
    // Equal scores everywhere: nobody's top opening is better than what they got.
    expect(first.assignments.every((a) => a.rank === 1 && a.top === null)).toBe(true);
  });

  it('when a pair is listed twice, then its best score is kept', async () => {
    const m = market(
      ['A'],
      [['job', 1]],
      [
        [0, 0, 30],
        [0, 0, 70],
      ],
    );
    const r = await planCampaign(m);
    expect(r.figures.totalScore).toBe(70);
    expect(r.candidates.duplicatesMerged).toBe(1);
  });

  it('when a headcount is large, then one opening takes several people, best first', async () => {
    const m = market(
      ['A', 'B', 'C', 'D'],
      [['line', 3]],
      [
        [0, 0, 50],
        [1, 0, 80],
        [2, 0, 65],
        [3, 0, 10],
      ],
    );
    const r = await planCampaign(m);
    expect(r.openings[0]).toMatchObject({
      people: [
        { id: 'B', score: 80 },
        { id: 'C', score: 65 },
        { id: 'A', score: 50 },
      ],
      totalScore: 195,
      fillRate: 1,
    });
  });

  it('when a zero-score pair is the only way to fill a slot, then the slot is still filled', async () => {
    expect.hasAssertions();
    const m = market(['A'], [['job', 1]], [[0, 0, 0]]);
    for (const solver of ['flow', 'highs', 'greedy'] as const) {
      const r = await planCampaign(m, { solver });
      expect(r.figures).toMatchObject({ assigned: 1, totalScore: 0 });
    }
  });

  it('when scores have decimals, then totals keep them', async () => {
    const m = market(
      ['A', 'B'],
      [['job', 2]],
      [
        [0, 0, 72.5],
        [1, 0, 33.25],
      ],
    );
    const r = await planCampaign(m);
    expect(r.figures.totalScore).toBe(105.75);
  });
});

describe('planCampaign, same-county groups and employer limits', () => {
  // Two people from one county; employer E1 has two openings, E2 one. Apart (A at E2, B at E1)
  // they score 2 more than together at E1.
  const GROUP = market(
    [
      ['A', '513401'],
      ['B', '513401'],
    ],
    [
      ['e1-a', 1, 'E1'],
      ['e1-b', 1, 'E1'],
      ['e2', 1, 'E2'],
    ],
    [
      [0, 0, 70],
      [0, 2, 72],
      [1, 1, 70],
      [1, 2, 60],
    ],
  );

  it('when there is no bonus, then the two county mates are split for 2 points', async () => {
    const r = await planCampaign(GROUP);
    expect(peopleAt(r)).toEqual({ 'e1-a': [], 'e1-b': ['B'], e2: ['A'] });
    expect(r.figures).toMatchObject({ totalScore: 142, grouped: 0 });
  });

  it('when a group bonus outweighs the loss, then they are kept at the same employer, solved as a MIP', async () => {
    const r = await planCampaign(GROUP, { groupBonus: { points: 5 } });
    expect(peopleAt(r)).toEqual({ 'e1-a': ['A'], 'e1-b': ['B'], e2: [] });
    expect(r.figures).toMatchObject({ totalScore: 140, groupBonus: 10, objective: 150, grouped: 2 });
    expect(r.solver).toMatchObject({ used: 'highs-mip', exact: true });
    expect(r.solver.highs!.mipGap).toBeLessThanOrEqual(1e-4);
    expect(r.figures.objective).toBe(bruteForceBest(GROUP, { groupBonus: 5 }));
    // A's top opening stays free: A is kept with their county mate.
    expect(r.assignments.find((x) => x.id === 'A')).toMatchObject({
      companions: 1,
      top: { id: 'e2', reason: 'kept_with_group', heldBy: [], forcingCost: null },
    });
  });

  it('when the bonus is smaller than what splitting gains, then the plan still splits them', async () => {
    const r = await planCampaign(GROUP, { groupBonus: { points: 0.5 } });
    expect(r.figures.objective).toBe(bruteForceBest(GROUP, { groupBonus: 0.5 }));
    expect(r.figures).toMatchObject({ totalScore: 142, grouped: 0 });
  });

  it('when the bonus scope is the opening, then only people in the same opening count as a group', async () => {
    const r = await planCampaign(GROUP, { groupBonus: { points: 30, scope: 'opening' } });
    expect(r.figures.grouped).toBe(0);
    expect(r.figures.objective).toBe(bruteForceBest(GROUP, { groupBonus: 30, groupScope: 'opening' }));
  });

  it('when a county may reach only one employer, then its people go to one employer, in every solver', async () => {
    for (const solver of ['auto', 'flow', 'greedy', 'deferred-acceptance'] as const) {
      const r = await planCampaign(GROUP, { solver, maxEmployersPerBatch: 1 });
      expect(r.figures.maxEmployersPerCounty).toBeLessThanOrEqual(1);
      expect(r.baselines!.greedy.maxEmployersPerCounty).toBeLessThanOrEqual(1);
      expect(r.baselines!.deferredAcceptance.maxEmployersPerCounty).toBeLessThanOrEqual(1);
    }
    const exact = await planCampaign(GROUP, { maxEmployersPerBatch: 1 });
    expect(exact.solver.used).toBe('highs-mip');
    expect(exact.figures.objective).toBe(bruteForceBest(GROUP, { maxEmployersPerBatch: 1 }));
  });

  it('when the MIP is skipped, then the fast plan re-weights pairs and still keeps the county mates together', async () => {
    const r = await planCampaign(GROUP, { groupBonus: { points: 5 }, mipMaxPairs: 0 });
    expect(r.solver).toMatchObject({ used: 'flow', exact: false });
    expect(r.figures).toMatchObject({ objective: 150, grouped: 2 });
  });

  it('when the market is larger than mipMaxPairs, then auto falls back to the flow solution repaired to the limit', async () => {
    const r = await planCampaign(GROUP, { maxEmployersPerBatch: 1, mipMaxPairs: 2 });
    expect(r.solver).toMatchObject({ used: 'flow', exact: false });
    expect(r.solver.fallbackReason).toMatch(/mipMaxPairs/);
    expect(r.figures.maxEmployersPerCounty).toBeLessThanOrEqual(1);
  });
});

describe('planCampaign input checks', () => {
  it('when a pair points outside the market or a score is out of range, then it is a validation error', async () => {
    expect.hasAssertions();
    const bad: Market[] = [
      market(['A'], [['job', 1]], [[1, 0, 50]]),
      market(['A'], [['job', 1]], [[0, 3, 50]]),
      market(['A'], [['job', 1]], [[0, 0, 101]]),
      market(['A'], [['job', 1]], [[0, 0, Number.NaN]]),
      market(['A'], [['job', -1]], []),
      market(['A'], [['job', 1.5]], []),
    ];
    for (const m of bad) {
      const error = await planCampaign(m).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('validation_failed');
    }
  });

  it('when an option is invalid, then it is a validation error naming it', async () => {
    const error = await planCampaign(GREEDY_TRAP, { maxEmployersPerBatch: 0 }).catch((e: unknown) => e);
    expect((error as AppError).options.issues).toEqual([
      { path: 'options.maxEmployersPerBatch', code: 'invalid', message: 'invalid value' },
    ]);
  });
});

/** A tiny random market: up to 6 people, 3 openings, headcounts 0–2, 2 counties, 2 employers. */
function tinyMarket(seed: number): Market {
  const r = (k: number) => hash01(seed, k);
  const nPeople = 1 + Math.floor(r(1) * 6);
  const nOpenings = 1 + Math.floor(r(2) * 3);
  const people = Array.from({ length: nPeople }, (_, p) => ({
    id: `P${p}`,
    county: r(100 + p) < 0.2 ? null : `51340${1 + Math.floor(r(200 + p) * 2)}`,
  }));
  const openings = Array.from({ length: nOpenings }, (_, o) => ({
    id: `O${o}`,
    headcount: Math.floor(r(300 + o) * 3),
    employer: `E${Math.floor(r(400 + o) * 2)}`,
  }));
  const candidates = [];
  for (let p = 0; p < nPeople; p++) {
    for (let o = 0; o < nOpenings; o++) {
      if (r(1000 + p * 10 + o) < 0.6) {
        // Coarse scores make ties frequent.
        candidates.push({ person: p, opening: o, score: 10 * Math.floor(r(2000 + p * 10 + o) * 11) });
      }
    }
  }
  return { people, openings, candidates };
}

describe('planCampaign against brute force on tiny random markets', () => {
  const SEEDS = Array.from({ length: 150 }, (_, i) => i + 1);

  it('when the objective is the score, then flow and HiGHS reach the brute-force optimum and greedy never beats it', async () => {
    expect.hasAssertions();
    for (const seed of SEEDS) {
      const m = tinyMarket(seed);
      const best = bruteForceBest(m);
      for (const solver of ['flow', 'highs'] as const) {
        const r = await planCampaign(m, { solver });
        expect(r.figures.totalScore, `seed ${seed} ${solver}`).toBe(best);
        expect(r.solver.exact).toBe(true);
        if (solver === 'highs') expect(r.solver.highs!.integral).toBe(true);
        for (const o of r.openings) expect(o.people.length).toBeLessThanOrEqual(o.headcount);
      }
      const r = await planCampaign(m);
      expect(r.baselines!.greedy.totalScore).toBeLessThanOrEqual(best!);
      expect(r.baselines!.deferredAcceptance).toEqual({ ...r.baselines!.greedy, wallMs: expect.any(Number) });
    }
  });

  it('when a forcing cost is reported, then re-solving with that pair forced loses exactly that much', async () => {
    let checked = 0;
    for (const seed of SEEDS) {
      const m = tinyMarket(seed);
      const best = bruteForceBest(m)!;
      for (const solver of ['flow', 'highs'] as const) {
        const r = await planCampaign(m, { solver });
        const notes = [
          ...r.assignments.map((a) => ({ person: a.person, top: a.top })),
          ...r.unassigned.map((u) => ({ person: u.person, top: u.top })),
        ];
        for (const { person, top } of notes) {
          if (!top || top.forcingCost === null) continue;
          const forced = bruteForceBest(m, { force: { person, opening: top.opening } });
          expect(best - forced!, `seed ${seed} ${solver} person ${person}`).toBeCloseTo(top.forcingCost, 9);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('when a group bonus or an employer limit is set, then the MIP reaches the brute-force optimum', async () => {
    expect.hasAssertions();
    for (const seed of SEEDS.slice(0, 80)) {
      const m = tinyMarket(seed);
      for (const options of [
        { groupBonus: 15 },
        { maxEmployersPerBatch: 1 },
        { groupBonus: 25, groupScope: 'opening' as const, maxEmployersPerBatch: 1 },
      ]) {
        const planOptions = {
          groupBonus: options.groupBonus ? { points: options.groupBonus, scope: options.groupScope } : null,
          maxEmployersPerBatch: options.maxEmployersPerBatch ?? null,
        };
        const r = await planCampaign(m, { ...planOptions, mipRelGap: 0 });
        const best = bruteForceBest(m, options)!;
        expect(r.figures.objective, `seed ${seed} ${JSON.stringify(options)}`).toBe(best);
        // The fast plan (fallback and MIP start) is feasible and never above the optimum.
        const fast = await planCampaign(m, { ...planOptions, solver: 'flow' });
        expect(fast.figures.objective).toBeLessThanOrEqual(best);
        if (options.maxEmployersPerBatch) expect(fast.figures.maxEmployersPerCounty).toBeLessThanOrEqual(1);
        expect(r.solver.exact).toBe(true);
      }
    }
  });
});

describe('baselines', () => {
  it('when both sides rank by the same score, then deferred acceptance and greedy give the same assignment', () => {
    expect.hasAssertions();
    for (let seed = 1; seed <= 100; seed++) {
      const cm = compileMarket(tinyMarket(seed));
      expect(Array.from(deferredAcceptance(cm))).toEqual(Array.from(greedy(cm)));
    }
  });
});
