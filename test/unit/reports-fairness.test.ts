import { describe, expect, it } from 'vitest';
import { ACTIONS } from '../../src/modules/matches/machine.js';
import { MACHINE_STATES, MATCH_STATUSES } from '../../src/modules/matching/reconcile.js';
import {
  buildFairness,
  HISTORY_ONLY,
  REACHED_BY_STATUS,
} from '../../src/modules/reports/fairness.compute.js';

const person = (profileId: string, category: string, level = '2') => ({ profileId, category, level });

describe('fairness report arithmetic', () => {
  const profiles = [
    { category: '4', level: '2', status: 'available', count: 6 },
    { category: '4', level: '3', status: 'placed', count: 2 },
    { category: '1', level: '1', status: 'available', count: 2 },
  ];
  const r = buildFairness(
    profiles,
    [
      { category: '4', level: '2', count: 3 },
      { category: '1', level: '1', count: 1 },
    ],
    {
      approved: [person('a', '4'), person('a', '4'), person('b', '4', '3')],
      proposed: [person('a', '4'), person('b', '4', '3')],
      hired: [person('b', '4', '3'), person('b', '4', '3'), person('x', 'unknown', 'unknown')],
    },
  );

  it('when counted, then rates are per category and a person counts once per milestone', () => {
    const limbs = r.categories.find((c) => c.disabilityCategory === '4')!;
    expect(limbs).toMatchObject({
      registered: 8,
      available: 6,
      placed: 2,
      suggested: 3,
      approved: 2,
      hired: 1,
    });
    expect(limbs.suggestionRate).toBe(0.5);
    expect(limbs.hireRate).toBe(0.125);
    const visual = r.categories.find((c) => c.disabilityCategory === '1')!;
    expect(visual.suggestionRate).toBe(0.5);
    expect(visual.hireRate).toBe(0);
  });

  it('when shares are compared, then representation = share of suggestions (hires) ÷ share of available (registered)', () => {
    const limbs = r.categories.find((c) => c.disabilityCategory === '4')!;
    // 3 of 4 suggested people, 6 of 8 available: exactly in proportion.
    expect(limbs.suggestionRepresentation).toBe(1);
    // 1 of 2 hired people, 8 of 10 registered: 0.5 / 0.8.
    expect(limbs.hireRepresentation).toBe(0.625);
    expect(r.totals).toMatchObject({
      registered: 10,
      suggested: 4,
      hired: 2,
      suggestionRate: 0.5,
      hireRate: 0.2,
    });
  });

  it('when a category has nobody, then it still has a row with null rates; unknown only when someone is unknown', () => {
    expect(r.categories.map((c) => c.disabilityCategory)).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
      'unknown',
    ]);
    const speech = r.categories.find((c) => c.disabilityCategory === '3')!;
    expect(speech).toMatchObject({ registered: 0, suggestionRate: null, hireRate: null });
    expect(buildFairness(profiles, [], { approved: [], proposed: [], hired: [] }).categories).toHaveLength(7);
    expect(r.levels.map((l) => `${l.disabilityCategory}/${l.disabilityLevel}`)).toEqual([
      '1/1',
      '4/2',
      '4/3',
      'unknown/unknown',
    ]);
  });
});

describe('milestones reached, from the review machine', () => {
  it('when a state counts as past a milestone, then every state it can be entered from is past it too', () => {
    expect.hasAssertions();
    for (const spec of Object.values(ACTIONS)) {
      if (spec.to === 'same') continue;
      for (const m of ['approved', 'proposed', 'hired'] as const) {
        const reached = REACHED_BY_STATUS[m];
        if (reached.includes(spec.to) && spec.to !== m)
          for (const from of spec.from) expect(reached, `${from} → ${spec.to}`).toContain(from);
      }
    }
  });

  it('when a human state is in no list, then it is rejected (never approved) or read from history', () => {
    const listed = new Set(Object.values(REACHED_BY_STATUS).flat());
    const rest = MATCH_STATUSES.filter((s) => !MACHINE_STATES.has(s) && !listed.has(s));
    expect(rest.sort()).toEqual(['rejected', ...HISTORY_ONLY].sort());
    expect(ACTIONS.reject.from).toEqual(['suggested']);
  });
});
