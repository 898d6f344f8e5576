import { describe, expect, it } from 'vitest';
import { chinaDay } from '../../src/lib/china-time.js';
import { openingsIndex } from '../../src/lib/search/indexes.js';
import { prepareDocuments } from '../../src/lib/search/request.js';
import type { Opening } from '../../src/modules/openings/openings.repository.js';
import { type OpeningSearchContext, toSearchDocument } from '../../src/modules/openings/openings.search.js';

const ctx: OpeningSearchContext = {
  employerName: (id) => (id === 'emp1' ? '华南制造有限公司' : null),
  regionName: (code) =>
    (({ '440000': '广东省', '440600': '佛山市', '440605': '南海区' }) as Record<string, string>)[code],
  label: (kind, code) =>
    (
      ({
        'skill.electronic_assembly': { zh: '电子装配', en: 'electronics assembly' },
        'accommodation.visual_alarms': { zh: '可视报警', en: 'visual alarms' },
      }) as Record<string, { zh: string; en: string }>
    )[`${kind}.${code}`],
};

function opening(overrides: Partial<Opening> = {}): Opening {
  const at = new Date('2026-05-01T08:00:00Z');
  return {
    id: '665f1c2e9b1d8a0012345678',
    employerId: 'emp1',
    title: '电子装配工',
    description: '流水线插件装配。',
    occupationGroup: '6',
    regionCode: '440605',
    regionPath: ['440000', '440600', '440605'],
    address: '佛山市南海区示例工业园 3 号厂房',
    skills: [{ code: 'electronic_assembly', level: '1' }],
    preferredTraining: [],
    headcount: 5,
    filled: 2,
    wageMin: 4200,
    wageMax: 5800,
    hours: { hoursPerDay: 8, daysPerWeek: 6, shifts: ['day'] },
    jobDemands: ['fine_motor'],
    accommodationsOffered: ['visual_alarms', 'unknown_code'],
    dormitory: { provided: true, accessible: false, costPerMonthCny: 0 },
    canteen: 'subsidised',
    travelSubsidyCny: 500,
    contract: { termMonths: 24, socialInsurance: true, housingFund: false },
    accommodationContact: { name: '陈经理', phone: '0757-83000101' },
    startDate: '2027-03-01',
    suitableFor: ['2'],
    status: 'paused',
    statusChangedAt: at,
    statusHistory: [
      { from: 'draft', to: 'open', action: 'open', at: new Date('2026-04-01T02:00:00Z'), by: 'u1' },
      { from: 'open', to: 'paused', action: 'pause', at, by: 'u1' },
    ],
    version: 4,
    createdAt: new Date('2026-03-01T00:00:00Z'),
    updatedAt: at,
    ...overrides,
  };
}

describe('toSearchDocument(opening)', () => {
  it('when projected, then codes, labels, places and dates are there, and the index accepts it', () => {
    const doc = toSearchDocument(opening(), ctx);
    expect(doc).toMatchObject({
      id: '665f1c2e9b1d8a0012345678',
      employerName: '华南制造有限公司',
      regionCodes: ['440000', '440600', '440605'],
      regionNames: ['广东省', '佛山市', '南海区'],
      skillCodes: ['electronic_assembly'],
      skillLabels: ['电子装配', 'electronics assembly'],
      accommodationCodes: ['visual_alarms', 'unknown_code'],
      accommodationLabels: ['可视报警', 'visual alarms'],
      occupationCode: '6',
      dormitory: 'standard',
      status: 'paused',
      headcountOpen: 3,
      publishedAt: Date.parse('2026-04-01T02:00:00Z'),
      updatedAt: Date.parse('2026-05-01T08:00:00Z'),
      version: 4,
    });
    expect(chinaDay(doc.startDate!)).toBe('2027-03-01');
    expect(() => prepareDocuments(openingsIndex, [doc])).not.toThrow();
  });

  it('when projected, then neither the address nor the accommodation contact (a person) is in it', () => {
    const text = JSON.stringify(toSearchDocument(opening(), ctx));
    expect(text).not.toContain('示例工业园');
    expect(text).not.toContain('陈经理');
    expect(text).not.toContain('0757');
    // suitableFor never excludes and is not searchable either.
    expect(Object.keys(toSearchDocument(opening(), ctx))).not.toContain('suitableFor');
  });

  it('when a draft, full or without dormitory, then publishedAt is null, no places are left, dormitory none', () => {
    const doc = toSearchDocument(
      opening({
        status: 'draft',
        statusHistory: [],
        filled: 9,
        dormitory: { provided: false, accessible: false, costPerMonthCny: 0 },
        employerId: 'gone',
      }),
      ctx,
    );
    expect(doc.publishedAt).toBeNull();
    expect(doc.headcountOpen).toBe(0);
    expect(doc.dormitory).toBe('none');
    expect(doc.employerName).toBe('');
  });
});
