import type { OrgType } from '../../lib/auth/actor.js';
import { isWithin, levelOf, type RegionLevel } from '../../lib/regions.js';

const SICHUAN = '510000';
const SUPPORTING_PROVINCES = ['330000', '440000'] as const; // 浙江, 广东

export type RegionField = 'jurisdictionCode' | 'locationCode';

/** Which region field each organisation type has, and what it must be. */
export const REGION_FIELD: Record<OrgType, RegionField | undefined> = {
  platform: undefined,
  recipient_federation: 'jurisdictionCode',
  supporting_federation: 'jurisdictionCode',
  employer: 'locationCode',
};

/** Fields that only make sense for one type; setting them on another type is an error. */
export const TYPE_FIELDS: Record<OrgType, readonly string[]> = {
  platform: [],
  recipient_federation: ['jurisdictionCode'],
  supporting_federation: ['jurisdictionCode'],
  employer: ['creditCode', 'locationCode', 'industryCode', 'staffCount'],
};

interface RegionRule {
  within: readonly string[];
  levels: readonly RegionLevel[];
  zh: string;
  en: string;
}

const RULES: Record<Exclude<OrgType, 'platform'>, RegionRule> = {
  // 受援方: a 四川 市/州 or 县 federation.
  recipient_federation: {
    within: [SICHUAN],
    levels: ['prefecture', 'county'],
    zh: '必须是四川省的市（州）或县级行政区划代码',
    en: 'must be a Sichuan prefecture or county code',
  },
  // 支援方: the 浙江 or 广东 provincial federation or a city federation.
  supporting_federation: {
    within: SUPPORTING_PROVINCES,
    levels: ['province', 'prefecture'],
    zh: '必须是浙江省或广东省（或其地级市）的行政区划代码',
    en: 'must be the code of Zhejiang or Guangdong or one of their cities',
  },
  // Employers taking part are in the supporting provinces.
  employer: {
    within: SUPPORTING_PROVINCES,
    levels: ['prefecture', 'county'],
    zh: '用人单位所在地必须在广东省或浙江省（地级市或县区代码）',
    en: 'the employer must be located in Guangdong or Zhejiang (a city or district code)',
  },
};

/** Why `code` does not fit the organisation type, or undefined when it does (pure, GB/T 2260 shape). */
export function regionRuleProblem(type: OrgType, code: string): { zh: string; en: string } | undefined {
  if (type === 'platform') return undefined;
  const rule = RULES[type];
  const fits = rule.within.some((p) => isWithin(code, p)) && rule.levels.includes(levelOf(code));
  return fits ? undefined : { zh: rule.zh, en: rule.en };
}

/** The natural key that keeps one organisation per credit code, per federation jurisdiction, one platform. */
export function organizationKey(org: {
  type: OrgType;
  jurisdictionCode?: string | null;
  creditCode?: string | null;
}): string {
  switch (org.type) {
    case 'platform':
      return 'platform';
    case 'employer':
      return `uscc:${org.creditCode}`;
    default:
      return `${org.type}:${org.jurisdictionCode}`;
  }
}
