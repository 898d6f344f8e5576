import { describe, expect, it } from 'vitest';
import { regionPath } from '../../src/lib/auth/scope.js';
import { buildFairness, countPeople, MILESTONES } from '../../src/modules/reports/fairness.compute.js';
import {
  fairnessFromTotals,
  type PlacedPerson,
  type PlacedProfileCount,
  snapshotRows,
  sumByDims,
} from '../../src/modules/reports/fairness.snapshot.js';

const XICHANG = regionPath('513401');
const MIANNING = regionPath('513433');
const KANGDING = regionPath('513301');

const who = (profileId: string, path: string[], category = '4', level = '2'): PlacedPerson => ({
  profileId,
  regionPath: path,
  category,
  level,
});
const registered = (path: string[], category: string, level: string, status: string, count: number) =>
  ({ regionPath: path, category, level, status, count }) as PlacedProfileCount;

describe('snapshot rows keyed by origin region', () => {
  it('when people hold several matches, then each counts once per measure, in their own region', () => {
    const rows = snapshotRows(
      [registered(XICHANG, '4', '2', 'available', 2), registered(XICHANG, '4', '2', 'placed', 1)],
      [who('a', XICHANG), who('a', XICHANG), who('b', KANGDING, '1', '1')],
      {
        approved: [who('a', XICHANG), who('c', XICHANG), who('a', XICHANG)],
        proposed: [who('c', XICHANG)],
        hired: [who('c', XICHANG), who('c', XICHANG)],
      },
    );
    expect(rows).toEqual([
      {
        regionPath: KANGDING,
        category: '1',
        level: '1',
        registered: { available: 0, in_process: 0, placed: 0, inactive: 0 },
        suggestedPeople: 1,
        approvedPeople: 0,
        proposedPeople: 0,
        hiredPeople: 0,
      },
      {
        regionPath: XICHANG,
        category: '4',
        level: '2',
        registered: { available: 2, in_process: 0, placed: 1, inactive: 0 },
        suggestedPeople: 1,
        approvedPeople: 2,
        proposedPeople: 1,
        hiredPeople: 1,
      },
    ]);
  });

  it('when a person’s matches name two regions, then they are counted in the first only (a sum never counts them twice)', () => {
    const rows = snapshotRows([], [who('a', XICHANG), who('a', KANGDING)], {
      approved: [],
      proposed: [],
      hired: [],
    });
    expect(rows.map((r) => [r.regionPath.at(-1), r.suggestedPeople])).toEqual([['513401', 1]]);
  });

  it('when a profile status is outside the vocabulary, then the snapshot refuses it rather than lose it', () => {
    expect(() =>
      snapshotRows([registered(XICHANG, '4', '2', 'retired', 1)], [], {
        approved: [],
        proposed: [],
        hired: [],
      }),
    ).toThrow(/unknown profile status/);
  });
});

describe('summing region rows over a scope', () => {
  // People of three counties in two prefectures, some with several matches.
  const profiles: PlacedProfileCount[] = [
    registered(XICHANG, '4', '2', 'available', 3),
    registered(XICHANG, '4', '2', 'in_process', 2),
    registered(XICHANG, '1', '1', 'available', 4),
    registered(MIANNING, '4', '2', 'placed', 1),
    registered(MIANNING, '2', '3', 'inactive', 2),
    registered(KANGDING, '4', '3', 'available', 5),
  ];
  const suggested = [
    who('x1', XICHANG),
    who('x1', XICHANG),
    who('x2', XICHANG, '1', '1'),
    who('k1', KANGDING, '4', '3'),
    who('k2', KANGDING, '4', '3'),
  ];
  const reached = {
    approved: [who('x3', XICHANG), who('m1', MIANNING), who('x3', XICHANG), who('k1', KANGDING, '4', '3')],
    proposed: [who('x3', XICHANG), who('m1', MIANNING)],
    hired: [who('m1', MIANNING), who('m1', MIANNING)],
  };
  const rows = snapshotRows(profiles, suggested, reached);
  const within = (code: string) => (r: { regionPath: readonly string[] }) => r.regionPath.includes(code);

  it.each([['510000'], ['513400'], ['513401'], ['513433'], ['513300'], ['440600']])(
    'when the scope is %s, then the summed rows give the report computed from that scope’s own data',
    (code) => {
      const inScope = within(code);
      const direct = buildFairness(
        profiles.filter(inScope),
        countPeople(suggested.filter(inScope)),
        Object.fromEntries(MILESTONES.map((m) => [m, reached[m].filter(inScope)])) as typeof reached,
      );
      expect(fairnessFromTotals(sumByDims(rows.filter(inScope)))).toEqual(direct);
    },
  );

  it('when the rows of two regions are summed, then they equal the two regions’ reports added up', () => {
    const ls = sumByDims(rows.filter(within('513400')));
    const gz = sumByDims(rows.filter(within('513300')));
    const all = fairnessFromTotals(sumByDims(rows)).totals;
    const a = fairnessFromTotals(ls).totals;
    const b = fairnessFromTotals(gz).totals;
    for (const k of ['registered', 'available', 'suggested', 'approved', 'proposed', 'hired'] as const)
      expect(all[k]).toBe(a[k] + b[k]);
    expect(all).toMatchObject({ registered: 17, suggested: 4, approved: 3, proposed: 2, hired: 1 });
  });
});
