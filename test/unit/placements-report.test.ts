import { describe, expect, it } from 'vitest';
import {
  lastActionAt,
  partnershipOf,
  reportFieldsAtHire,
} from '../../src/modules/placements/report-fields.js';
import {
  bucketOf,
  creditDay,
  histogram,
  type PlacementGroup,
  percentile,
  percentOf,
  rollUp,
  targetInScope,
  timeToPlacement,
} from '../../src/modules/reports/placements-report.rules.js';

const group = (over: Partial<PlacementGroup>): PlacementGroup => ({
  partnershipId: 'p1',
  originCounty: '513401',
  disabilityCategory: '4',
  disabilityLevel: '2',
  employerId: 'e1',
  m3: null,
  m6: null,
  count: 1,
  ...over,
});

describe('percentile (nearest rank over grouped day counts)', () => {
  it('when days are grouped, then the median and upper percentiles are the nearest-rank values', () => {
    const counts = [
      { days: 10, count: 1 },
      { days: 0, count: 1 },
      { days: 40, count: 1 },
    ];
    expect(percentile(counts, 50)).toBe(10);
    expect(percentile(counts, 75)).toBe(40);
    expect(percentile(counts, 90)).toBe(40);
  });

  it('when one value repeats, then the rank counts each placement', () => {
    const counts = [
      { days: 5, count: 9 },
      { days: 100, count: 1 },
    ];
    expect(percentile(counts, 50)).toBe(5);
    expect(percentile(counts, 90)).toBe(5);
    expect(percentile(counts, 95)).toBe(100);
  });

  it('when there is nothing, then null', () => {
    expect(percentile([], 50)).toBeNull();
    expect(percentile([{ days: 3, count: 0 }], 50)).toBeNull();
  });
});

describe('buckets', () => {
  it('when days fall on a bound, then the bound is inclusive, and the last bucket is open', () => {
    expect([0, 7, 8, 14, 15, 30, 31, 90, 91, 180, 181, 999].map(bucketOf)).toEqual([
      '0-7',
      '0-7',
      '8-14',
      '8-14',
      '15-30',
      '15-30',
      '31-60',
      '61-90',
      '91-180',
      '91-180',
      '181+',
      '181+',
    ]);
  });

  it('when counts are bucketed, then every bucket is listed in order, empty ones with 0', () => {
    const h = histogram([
      { days: 3, count: 2 },
      { days: 200, count: 1 },
    ]);
    expect(h.map((b) => b.key)).toEqual(['0-7', '8-14', '15-30', '31-60', '61-90', '91-180', '181+']);
    expect(h.map((b) => b.count)).toEqual([2, 0, 0, 0, 0, 0, 1]);
  });

  it('when some placements have no suggestion date, then they are counted apart, not in the percentiles', () => {
    expect(
      timeToPlacement([
        { days: null, count: 2 },
        { days: 12, count: 1 },
      ]),
    ).toMatchObject({ placements: 1, unknown: 2, median: 12, p75: 12, p90: 12 });
  });
});

describe('rollUp (row shaping)', () => {
  it('when groups differ in other dimensions, then one row per key adds placements, retention and credit', () => {
    const groups = [
      group({ m3: true, m6: true, count: 2 }),
      group({ disabilityLevel: '3', m3: true, count: 1 }),
      group({ originCounty: '513301', partnershipId: 'p2', count: 4 }),
      group({ originCounty: null, partnershipId: null, m3: false, count: 1 }),
    ];
    const credits = [
      { ...group({}), weight: 2, count: 2 },
      { ...group({ originCounty: '513301' }), weight: 1, count: 3 },
    ];
    expect(rollUp('byCounty', groups, credits)).toEqual([
      { key: '513301', placements: 4, retained3m: 0, retained6m: 0, quotaCredit: 3 },
      { key: '513401', placements: 3, retained3m: 3, retained6m: 2, quotaCredit: 4 },
      { key: 'unknown', placements: 1, retained3m: 0, retained6m: 0, quotaCredit: 0 },
    ]);
    expect(rollUp('byPartnership', groups, []).map((r) => r.key)).toEqual(['p2', 'p1', 'none']);
    expect(rollUp('byCategoryLevel', groups, []).map((r) => [r.key, r.placements])).toEqual([
      ['4/2', 7],
      ['4/3', 1],
    ]);
  });

  it('when a key has credit but no placement of the period in the groups, then it still gets a row', () => {
    expect(rollUp('byEmployer', [], [{ ...group({ employerId: 'e9' }), weight: 2, count: 1 }])).toEqual([
      { key: 'e9', placements: 0, retained3m: 0, retained6m: 0, quotaCredit: 2 },
    ]);
  });
});

describe('targets', () => {
  const holders = [
    { organizationId: 'ls', jurisdictionCode: '513400', target: 100 },
    { organizationId: 'xc', jurisdictionCode: '513401', target: 30 },
    { organizationId: 'gz', jurisdictionCode: '513300', target: 50 },
  ];
  it('when a prefecture and one of its counties both set targets, then only the outermost counts', () => {
    expect(targetInScope(holders)).toBe(150);
  });
  it('when a region is asked, then only the targets of federations within it count', () => {
    expect(targetInScope(holders, '513400')).toBe(100);
    expect(targetInScope(holders, '513401')).toBe(30);
    expect(targetInScope(holders, '513200')).toBeNull();
  });
  it('when none is set, then the target and the percent are null', () => {
    expect(targetInScope([])).toBeNull();
    expect(percentOf(3, null)).toBeNull();
    expect(percentOf(3, 0)).toBeNull();
    expect(percentOf(1, 3)).toBe(33.3);
  });
});

describe('the year', () => {
  it('when the year is past, current or future, then credit is read on 31 Dec, today or 1 Jan', () => {
    expect(creditDay(2025, '2026-11-29')).toBe('2025-12-31');
    expect(creditDay(2026, '2026-11-29')).toBe('2026-11-29');
    expect(creditDay(2027, '2026-11-29')).toBe('2027-01-01');
  });
});

describe('report fields at hire', () => {
  const partnerships = [
    { id: 'fs-ls', supportingCode: '440600', receivingCode: '513400' },
    { id: 'gd-gz', supportingCode: '440000', receivingCode: '513300' },
  ];
  it('when the origin and the workplace are paired (city or province), then that partnership; otherwise none', () => {
    expect(partnershipOf('513401', '440604', partnerships)).toBe('fs-ls');
    expect(partnershipOf('513301', '440600', partnerships)).toBe('gd-gz');
    expect(partnershipOf('513401', '330300', partnerships)).toBeNull();
    expect(partnershipOf(null, '440600', partnerships)).toBeNull();
  });

  it('when a match went through the stages, then the last date of each and the days to hire are kept', () => {
    const at = (d: string) => new Date(`${d}T02:00:00Z`);
    const history = [
      { action: 'approve', at: at('2026-03-02') },
      { action: 'propose', at: at('2026-03-03') },
      { action: 'withdraw', at: at('2026-03-04') },
      { action: 'approve', at: at('2026-03-05') },
      { action: 'hire', at: at('2026-03-20') },
    ];
    expect(lastActionAt(history, 'approve')).toEqual(at('2026-03-05'));
    const f = reportFieldsAtHire({
      match: { suggestedAt: at('2026-03-01'), history },
      profile: { disabilityCategory: '4', originCode: '513401' },
      workplaceCode: '440600',
      partnerships,
      contract: {
        contractStart: '2026-04-01',
        contractEnd: '2027-03-31',
        monthlyWage: 2000,
        minimumWageAtHire: 1900,
        socialInsurance: true,
      },
      now: at('2026-03-21'),
    });
    expect(f).toEqual({
      disabilityCategory: '4',
      originCounty: '513401',
      partnershipId: 'fs-ls',
      suggestedAt: at('2026-03-01'),
      approvedAt: at('2026-03-05'),
      proposedAt: at('2026-03-03'),
      hiredAt: at('2026-03-20'),
      daysToHire: 19,
      quotaEligible: true,
    });
  });

  it('when the contract is short, the pay below the minimum or the minimum unknown, then the quota conditions are not met', () => {
    const base = {
      match: { suggestedAt: null, history: [] },
      profile: { disabilityCategory: null, originCode: null },
      workplaceCode: '440600',
      partnerships,
      now: new Date('2026-03-21T00:00:00Z'),
    };
    const contract = {
      contractStart: '2026-04-01',
      contractEnd: '2027-03-31',
      monthlyWage: 2000,
      minimumWageAtHire: 1900 as number | null,
      socialInsurance: true,
    };
    expect(
      reportFieldsAtHire({ ...base, contract: { ...contract, contractEnd: '2027-03-29' } }).quotaEligible,
    ).toBe(false);
    expect(reportFieldsAtHire({ ...base, contract: { ...contract, monthlyWage: 1800 } }).quotaEligible).toBe(
      false,
    );
    expect(
      reportFieldsAtHire({ ...base, contract: { ...contract, minimumWageAtHire: null } }).quotaEligible,
    ).toBe(false);
    const f = reportFieldsAtHire({ ...base, contract });
    expect(f).toMatchObject({ daysToHire: null, hiredAt: base.now, partnershipId: null });
  });
});
