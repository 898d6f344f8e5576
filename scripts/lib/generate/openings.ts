import vocabularies from '../../../src/data/vocabularies.json' with { type: 'json' };
import type { OpeningContent } from '../../../src/modules/openings/openings.repository.js';
import type { OpeningStatus } from '../../../src/modules/openings/openings.status.js';
import { generateMatchingData } from './matching-data.js';

/**
 * Many plausible openings for benchmarks (`npm run bench:search`), from the matching module's demo
 * generator: its skills, demands, accommodations, wages and cities, dressed as opening content.
 * Deterministic for a seed. Not validated like a posted opening (codes such as training
 * programmes are the generator's own); never seeded into a real database.
 */
export interface GeneratedOpening {
  /** The generator's employer key: map it to a real employer organisation. */
  employerKey: string;
  status: OpeningStatus;
  content: OpeningContent;
}

const CITY_NAMES: Record<string, string> = {
  '440600': '佛山市',
  '440100': '广州市',
  '441900': '东莞市',
  '440300': '深圳市',
  '330300': '温州市',
  '330500': '湖州市',
  '330400': '嘉兴市',
  '330600': '绍兴市',
  '331000': '台州市',
  '330700': '金华市',
  '330800': '衢州市',
  '330900': '舟山市',
};

const label = (list: readonly { code: string; zh: string }[], code: string) =>
  list.find((e) => e.code === code)?.zh ?? code;

export function generateOpenings(count: number, seed = 7): GeneratedOpening[] {
  const { openings } = generateMatchingData({ seed, openings: count, profiles: 0 });
  return openings.map((o, i) => {
    const skill = o.skillsRequired[0]?.code;
    const skillZh = skill ? label(vocabularies.skills, skill) : '普工';
    const city = CITY_NAMES[o.city] ?? '';
    const offered = o.accommodationsOffered.map((a) => label(vocabularies.accommodations, a));
    const demands = o.demands.map((d) => label(vocabularies.jobDemands, d));
    return {
      employerKey: o.employerId,
      status: o.status as OpeningStatus,
      content: {
        title: `${skillZh}${i % 3 === 0 ? '操作工' : '工'}`,
        description: [
          `${city}${skillZh}岗位，招${o.headcount}人。`,
          demands.length ? `工作要求：${demands.join('、')}。` : '',
          offered.length ? `提供：${offered.join('、')}。` : '',
        ].join(''),
        occupationGroup: '6',
        regionCode: o.city,
        address: `${city}示例工业园 ${(i % 40) + 1} 号`,
        skills: o.skillsRequired.map((s) => ({ code: s.code, level: String(s.level) })),
        preferredTraining: [],
        headcount: o.headcount,
        wageMin: o.wageMin,
        wageMax: o.wageMax,
        hours: {
          hoursPerDay: 8,
          daysPerWeek: 6,
          shifts: o.demands.includes('night_shift') ? ['rotating'] : ['day'],
        },
        jobDemands: [...o.demands],
        accommodationsOffered: [...o.accommodationsOffered],
        dormitory: { provided: o.dormitory, accessible: o.accessibleDormitory, costPerMonthCny: 0 },
        canteen: 'subsidised',
        travelSubsidyCny: 300,
        contract: { termMonths: 24, socialInsurance: true, housingFund: false },
        accommodationContact: { name: '人事部', phone: '0757-83000000' },
        startDate: '2027-03-01',
        suitableFor: [],
      },
    };
  });
}
