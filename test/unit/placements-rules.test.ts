import { describe, expect, it } from 'vitest';
import { chinaDay } from '../../src/lib/china-time.js';
import {
  addMonths,
  canRecord,
  checkpointState,
  dueAt,
  nextDueOn,
  parseSchedule,
  retentionOf,
  scheduleFor,
} from '../../src/modules/placements/follow-ups.js';
import {
  contractAtLeastOneYear,
  disqualifications,
  type QuotaPlacement,
  quotaCredit,
  quotaWeight,
} from '../../src/modules/placements/quota.js';

const day = '2026-06-01';
const base: QuotaPlacement = {
  id: 'p1',
  profileId: 'a',
  employerId: 'e1',
  contractStart: '2026-03-01',
  contractEnd: '2027-02-28',
  monthlyWage: 4200,
  minimumWageAtHire: 1900,
  socialInsurance: true,
  disabilityLevel: '3',
  status: 'placed',
};

describe('quota credit rules', () => {
  it('when the contract runs one year (inclusive end), then it qualifies; a day less does not', () => {
    expect(contractAtLeastOneYear('2026-03-01', '2027-02-28')).toBe(true);
    expect(contractAtLeastOneYear('2026-03-01', '2027-02-27')).toBe(false);
    expect(disqualifications({ ...base, contractEnd: '2026-12-31' }, day)).toEqual([
      'contract_under_one_year',
    ]);
  });

  it('when the wage is below the minimum wage at hire, then it does not count; equal counts', () => {
    expect(disqualifications({ ...base, monthlyWage: 1899 }, day)).toEqual(['wage_below_minimum']);
    expect(disqualifications({ ...base, monthlyWage: 1900 }, day)).toEqual([]);
    expect(disqualifications({ ...base, minimumWageAtHire: null }, day)).toEqual(['minimum_wage_unknown']);
  });

  it('when social insurance is not paid, then it does not count', () => {
    expect(disqualifications({ ...base, socialInsurance: false }, day)).toEqual(['no_social_insurance']);
  });

  it('when the placement ended or has not started, then it does not count', () => {
    expect(disqualifications({ ...base, status: 'ended', endedOn: '2026-05-01' }, day)).toEqual([
      'not_employed',
    ]);
    expect(
      disqualifications({ ...base, contractStart: '2026-07-01', contractEnd: '2027-07-01' }, day),
    ).toEqual(['not_employed']);
  });

  it('when the certificate level is 一 or 二, then the person counts as two', () => {
    expect([quotaWeight('1'), quotaWeight('2'), quotaWeight('3'), quotaWeight('4')]).toEqual([2, 2, 1, 1]);
    const s = quotaCredit({
      day,
      staffCount: 200,
      ratePercent: 1.5,
      placements: [
        base,
        { ...base, id: 'p2', profileId: 'b', disabilityLevel: '2' },
        { ...base, id: 'p3', profileId: 'c', socialInsurance: false },
      ],
      elsewhere: new Map(),
    });
    expect(s.required).toBe(3);
    expect(s.credited).toBe(3);
    expect(s.shortfall).toBe(0);
    expect(s.lines.map((l) => l.weight)).toEqual([1, 2, 0]);
  });

  it('when one person is counted by two employers at once, then both lines are flagged as paper employment', () => {
    const other = { ...base, id: 'q1', employerId: 'e2' };
    const s = quotaCredit({
      day,
      staffCount: 100,
      ratePercent: 1.5,
      placements: [base],
      elsewhere: new Map([['a', [other]]]),
    });
    expect(s.lines[0]!.paperEmployment).toBe(true);
    expect(s.paperEmploymentCount).toBe(1);
    const later = { ...other, contractStart: '2027-03-01', contractEnd: '2028-03-01' };
    const t = quotaCredit({
      day,
      staffCount: 100,
      ratePercent: 1.5,
      placements: [base],
      elsewhere: new Map([['a', [later]]]),
    });
    expect(t.lines[0]!.paperEmployment).toBe(false);
  });
});

describe('follow-up schedule', () => {
  it('when the default schedule is parsed, then checkpoints fall 7 days and 1, 3, 6 months after the start', () => {
    const specs = parseSchedule('7d,1m,3m,6m');
    expect(scheduleFor('2026-01-31', specs).map((c) => [c.code, c.dueOn])).toEqual([
      ['d7', '2026-02-07'],
      ['m1', '2026-02-28'],
      ['m3', '2026-04-30'],
      ['m6', '2026-07-31'],
    ]);
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(() => parseSchedule('7x')).toThrow();
    expect(() => parseSchedule('1m,1m')).toThrow();
  });

  it('when time passes, then a checkpoint is upcoming, due, overdue after the grace period, and done once recorded', () => {
    const [c] = scheduleFor('2026-01-01', parseSchedule('1m'));
    expect(checkpointState(c!, '2026-01-20', 7)).toBe('upcoming');
    expect(checkpointState(c!, '2026-02-01', 7)).toBe('due');
    expect(checkpointState(c!, '2026-02-09', 7)).toBe('overdue');
    expect(checkpointState({ ...c!, dueNotifiedAt: new Date() }, '2026-01-20', 7)).toBe('due');
    expect(checkpointState({ ...c!, doneAt: new Date() }, '2026-03-01', 7)).toBe('done');
    expect(canRecord(c!, '2026-01-28')).toBe(false);
    expect(canRecord(c!, '2026-01-29')).toBe(true);
  });

  it('when checkpoints are recorded, then retention and subsidy evidence follow the 3- and 6-month visits', () => {
    const cps = scheduleFor('2026-01-01', parseSchedule('7d,3m,6m'));
    const done = (code: string, stillEmployed: boolean, wagePaidOnTime: boolean) =>
      cps.map((c) => (c.code === code ? { ...c, doneAt: new Date(), stillEmployed, wagePaidOnTime } : c));
    expect(retentionOf(cps)).toEqual({ m3: null, m6: null, subsidyEvidence: false });
    expect(retentionOf(done('m3', true, true))).toEqual({ m3: true, m6: null, subsidyEvidence: true });
    expect(retentionOf(done('m3', true, false))).toEqual({ m3: true, m6: null, subsidyEvidence: false });
    expect(nextDueOn(done('d7', true, true))).toBe('2026-04-01');
  });

  it('when a day is due, then its reminder is at 09:00 in China', () => {
    expect(dueAt('2026-02-01').toISOString()).toBe('2026-02-01T01:00:00.000Z');
    expect(chinaDay(new Date('2026-01-31T17:00:00Z'))).toBe('2026-02-01');
  });
});
