import { describe, expect, it } from 'vitest';
import {
  exclusionFieldIssues,
  isCalendarDate,
  normaliseContactPhone,
  type OpeningRuleView,
  openingRuleIssues,
  readsAsExclusion,
} from '../../src/modules/openings/openings.rules.js';
import { createOpeningSchema, updateOpeningSchema } from '../../src/modules/openings/openings.schemas.js';

const valid: OpeningRuleView = {
  title: '电子元器件装配工',
  description: '坐姿作业，车间有灯光报警。',
  headcount: 5,
  wageMin: 4000,
  wageMax: 5000,
  hours: { shifts: ['day'] },
  jobDemands: ['fine_motor'],
  accommodationsOffered: ['seated_workstation'],
  dormitory: { provided: true, accessible: false },
};
const opts = { wageFloorCny: 1620, filled: 0 };
const paths = (o: Partial<OpeningRuleView>, more: Partial<typeof opts> & { changed?: Set<string> } = {}) =>
  openingRuleIssues({ ...valid, ...o }, { ...opts, ...more }).map((i) => `${i.path} ${i.code}`);

describe('opening rules', () => {
  it('when everything agrees, then there is no problem', () => {
    expect(paths({})).toEqual([]);
  });

  it('when the minimum wage is below the floor, then body.wageMin is named', () => {
    expect(paths({ wageMin: 1500 })).toEqual(['body.wageMin below_wage_floor']);
    expect(paths({ wageMin: 1620 })).toEqual([]);
    expect(paths({ wageMin: 2000 }, { wageFloorCny: 2100 })).toEqual(['body.wageMin below_wage_floor']);
  });

  it('when min exceeds max, then body.wageMin is named — or body.wageMax when only it was patched', () => {
    expect(paths({ wageMin: 6000 })).toEqual(['body.wageMin wage_range']);
    expect(paths({ wageMax: 3000 }, { changed: new Set(['wageMax']) })).toEqual(['body.wageMax wage_range']);
    expect(paths({ wageMin: 6000 }, { changed: new Set(['wageMin', 'wageMax']) })).toEqual([
      'body.wageMin wage_range',
    ]);
  });

  it('when the headcount drops below the hires recorded, then body.headcount is named', () => {
    expect(paths({ headcount: 2 }, { filled: 3 })).toEqual(['body.headcount below_filled']);
    expect(paths({ headcount: 3 }, { filled: 3 })).toEqual([]);
  });

  it('when an accessible dormitory is claimed without a dormitory, then body.dormitory.accessible is named', () => {
    expect(
      paths({
        dormitory: { provided: false, accessible: true },
        accommodationsOffered: ['accessible_dorm'],
      }),
    ).toEqual(['body.dormitory.accessible no_dormitory']);
  });

  it('when the accessible dormitory and the accessible_dorm accommodation disagree, then the side that changed is named', () => {
    expect(paths({ accommodationsOffered: ['accessible_dorm'] })).toEqual([
      'body.accommodationsOffered inconsistent',
    ]);
    expect(paths({ dormitory: { provided: true, accessible: true } })).toEqual([
      'body.accommodationsOffered inconsistent',
    ]);
    expect(
      paths({ dormitory: { provided: true, accessible: true } }, { changed: new Set(['dormitory']) }),
    ).toEqual(['body.dormitory.accessible inconsistent']);
    expect(
      paths({ dormitory: { provided: true, accessible: true }, accommodationsOffered: ['accessible_dorm'] }),
    ).toEqual([]);
  });

  it('when night or rotating shifts and the night_shift demand disagree, then it is refused', () => {
    expect(paths({ hours: { shifts: ['rotating'] } })).toEqual(['body.jobDemands inconsistent']);
    expect(paths({ hours: { shifts: ['night'] } }, { changed: new Set(['hours']) })).toEqual([
      'body.hours.shifts inconsistent',
    ]);
    expect(paths({ jobDemands: ['night_shift'] })).toEqual(['body.jobDemands inconsistent']);
    expect(paths({ hours: { shifts: ['day', 'night'] }, jobDemands: ['night_shift'] })).toEqual([]);
    expect(paths({ hours: { shifts: ['evening'] } })).toEqual([]);
  });

  it('when the title or description excludes a category, then it is refused with the law as reason', () => {
    expect(paths({ description: '本岗位不招聋哑人。' })).toEqual(['body.description exclusion_not_allowed']);
    expect(paths({ title: '包装工（残疾人免谈）' })).toEqual(['body.title exclusion_not_allowed']);
    const [issue] = openingRuleIssues({ ...valid, description: '谢绝肢体残疾者' }, opts);
    expect(issue?.message).toMatch(/Art\. 38/);
  });
});

describe('reading a text as an exclusion', () => {
  it.each([
    '不招聋哑人',
    '谢绝残疾人',
    '残疾人免谈',
    '视力残疾者除外',
    '不接受坐轮椅的求职者',
    '本厂不录用智障人员',
    'No deaf applicants',
    'not for wheelchair users',
    '限非残疾人',
  ])('when the text says "%s", then it reads as an exclusion', (text) => {
    expect(readsAsExclusion(text)).toBe(true);
  });

  it.each([
    '不要求会手语，聋人同事会带你',
    '我们拒绝对残疾人的任何歧视',
    '适合听力残疾、肢体残疾的求职者',
    '车间无障碍，轮椅可以到达每个工位',
    '不计件，节拍可调',
    '残疾人就业岗位，欢迎报名',
    '需长时间站立；不招，聋', // a comma breaks the phrase apart
  ])('when the text says "%s", then it does not', (text) => {
    expect(readsAsExclusion(text)).toBe(false);
  });
});

describe('fields that exclude categories', () => {
  it('when a body names excludedCategories or notSuitableFor, then each is refused', () => {
    expect(exclusionFieldIssues({ excludedCategories: ['5'], notSuitableFor: ['6'], title: 'x' })).toEqual([
      expect.objectContaining({ path: 'body.excludedCategories', code: 'exclusion_not_allowed' }),
      expect.objectContaining({ path: 'body.notSuitableFor', code: 'exclusion_not_allowed' }),
    ]);
    expect(exclusionFieldIssues({ suitableFor: ['2'] })).toEqual([]);
  });
});

describe('contact phone and dates', () => {
  it.each([
    ['13800138000', '13800138000'],
    ['+86 138 0013 8000', '13800138000'],
    ['0757-83001234', '0757-83001234'],
    ['020 12345678', '020-12345678'],
    ['(0577)88001234转123', '0577-88001234-123'],
  ])('when the phone is %s, then it is kept as %s', (input, out) => {
    expect(normaliseContactPhone(input)).toBe(out);
  });

  it.each(['12345', '23800138000', '757-8300123', 'call me'])(
    'when the phone is %s, then it is refused',
    (p) => {
      expect(normaliseContactPhone(p)).toBeUndefined();
    },
  );

  it('when a date is not a calendar day, then it is refused', () => {
    expect(isCalendarDate('2026-02-28')).toBe(true);
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('2026-13-01')).toBe(false);
    expect(isCalendarDate('20260301')).toBe(false);
  });
});

describe('request shapes', () => {
  const body = {
    title: '包装工',
    description: '按图示装袋',
    occupationGroup: '6',
    regionCode: '440600',
    address: '佛山市示例工业园',
    headcount: 3,
    wageMin: 3600,
    wageMax: 4200,
    hours: { hoursPerDay: 8, daysPerWeek: 5, shifts: ['day'] },
    dormitory: { provided: false },
    canteen: 'free',
    contract: { termMonths: 12, socialInsurance: true },
    accommodationContact: { name: '梁主管', phone: '0757-83000202' },
    startDate: '2027-01-04',
  };
  const issuePaths = (r: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
    r.error?.issues.map((i) => i.path.join('.')) ?? [];

  it('when a minimal opening is posted, then defaults fill the lists and the dormitory', () => {
    const parsed = createOpeningSchema.parse(body);
    expect(parsed.skills).toEqual([]);
    expect(parsed.dormitory).toEqual({ provided: false, accessible: false, costPerMonthCny: 0 });
    expect(parsed.contract.housingFund).toBe(false);
  });

  it('when fields are missing or malformed, then each is named', () => {
    const r = createOpeningSchema.safeParse({
      ...body,
      headcount: 0,
      wageMin: 3600.5,
      startDate: '2027-02-30',
      jobDemands: ['fast_pace', 'fast_pace'],
      skills: [
        { code: 'sewing', level: '1' },
        { code: 'sewing', level: '2' },
      ],
      accommodationContact: { name: '梁主管', phone: '12' },
      title: undefined,
    });
    expect(issuePaths(r).sort()).toEqual(
      [
        'accommodationContact.phone',
        'headcount',
        'jobDemands.1',
        'skills.1.code',
        'startDate',
        'title',
        'wageMin',
      ].sort(),
    );
  });

  it('when a patch is empty, then it is refused; when it sets one field, then only that field is present', () => {
    expect(updateOpeningSchema.safeParse({}).success).toBe(false);
    expect(updateOpeningSchema.parse({ wageMax: 5000 })).toEqual({ wageMax: 5000 });
  });
});
