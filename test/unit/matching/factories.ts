import { createMatchContext, type MatchContextInput } from '../../../src/modules/matching/context.js';
import type { MatchOpening, MatchProfile } from '../../../src/modules/matching/types.js';

let seq = 0;

/** An available, consenting 30-year-old man from 昭觉县 (凉山) who sews, with no limitations. */
export function aProfile(over: Partial<MatchProfile> = {}): MatchProfile {
  seq++;
  return {
    id: `wp-${seq}`,
    status: 'available',
    sensitiveDataConsent: true,
    birthDate: '1995-05-01',
    sex: 'male',
    originCounty: '513431',
    limitations: [],
    accommodationsNeeded: [],
    needsDormitory: false,
    needsAccessibleDormitory: false,
    destinations: [],
    minWage: null,
    skills: [{ code: 'sewing', level: 2 }],
    training: [],
    experience: [],
    ...over,
  };
}

/** An open sewing job in 佛山 paying 4000–6000 with a dormitory, no demands and no supports. */
export function anOpening(over: Partial<MatchOpening> = {}): MatchOpening {
  seq++;
  return {
    id: `op-${seq}`,
    status: 'open',
    headcount: 5,
    filled: 0,
    employerId: 'emp-1',
    city: '440600',
    skillsRequired: [{ code: 'sewing', level: 2 }],
    preferredTraining: [],
    wageMin: 4000,
    wageMax: 6000,
    demands: [],
    accommodationsOffered: [],
    dormitory: true,
    accessibleDormitory: false,
    ...over,
  };
}

export const REGION_NAMES = {
  '440000': { zh: '广东省', en: 'Guangdong' },
  '440600': { zh: '佛山市', en: 'Foshan' },
  '330000': { zh: '浙江省', en: 'Zhejiang' },
  '330300': { zh: '温州市', en: 'Wenzhou' },
  '513400': { zh: '凉山州', en: 'Liangshan' },
  '513431': { zh: '昭觉县', en: 'Zhaojue' },
  '511300': { zh: '南充市', en: 'Nanchong' },
  '511321': { zh: '南部县', en: 'Nanbu' },
};

export function aContext(over: Partial<MatchContextInput> = {}) {
  return createMatchContext({
    asOf: '2025-06-30',
    partnerships: [
      { supportingCity: '440600', receivingArea: '513400' },
      { supportingCity: '330300', receivingArea: '511321' },
    ],
    regionNames: REGION_NAMES,
    programmes: {
      'P-sewing': { zh: '缝纫工培训班', en: 'sewing course', skills: ['缝纫'] },
      'P-massage': { zh: '盲人按摩培训', en: 'massage course', skills: ['massage'] },
    },
    ...over,
  });
}
