import { chinaDay } from '../../lib/china-time.js';
import {
  checkWorkingAge,
  DEFAULT_WORKING_AGE,
  type Message,
  type Sex,
  type WorkingAgeBounds,
} from './identity.js';
import type { ProfileStatus } from './status.js';

/**
 * Whether a profile may take part in matching, and if not, why (pure). The same rules give the
 * query `getProfilesForMatching` runs, so what staff see as the reason and what matching does
 * cannot drift apart.
 */
export type ExclusionCode =
  | 'status_not_available'
  | 'no_processing_consent'
  | 'working_age_too_young'
  | 'working_age_too_old';

export interface ExclusionReason {
  code: ExclusionCode;
  message: Message;
}

export interface Eligibility {
  eligible: boolean;
  age: number;
  reasons: ExclusionReason[];
}

export interface EligibilityInput {
  status: ProfileStatus;
  sex: Sex;
  birthDate: string;
  consent: { processing: boolean };
}

const STATUS_MESSAGES: Record<Exclude<ProfileStatus, 'available'>, Message> = {
  in_process: { zh: '正在招聘流程中', en: 'In a recruitment process' },
  placed: { zh: '已安置就业', en: 'Already placed' },
  inactive: { zh: '已停用', en: 'Inactive' },
};

export function matchingEligibility(
  p: EligibilityInput,
  options: { on?: Date; bounds?: WorkingAgeBounds } = {},
): Eligibility {
  const reasons: ExclusionReason[] = [];
  if (p.status !== 'available')
    reasons.push({ code: 'status_not_available', message: STATUS_MESSAGES[p.status] });
  if (!p.consent.processing)
    reasons.push({
      code: 'no_processing_consent',
      message: {
        zh: '尚未登记（或已撤回）敏感个人信息处理同意',
        en: 'No consent to process sensitive personal information (never given, or withdrawn)',
      },
    });
  const age = checkWorkingAge({ birthDate: p.birthDate, sex: p.sex }, options);
  if (!age.ok) reasons.push({ code: age.code, message: age.message });
  return { eligible: reasons.length === 0, age: age.age, reasons };
}

/** `YYYY-MM-DD` shifted by whole years (string arithmetic, as `ageOn` compares strings). */
function yearsBefore(today: string, years: number): string {
  return `${String(Number(today.slice(0, 4)) - years).padStart(4, '0')}${today.slice(4)}`;
}

/**
 * Birth dates of working age on `on` for one sex, as a range for an indexed query: `ageOn(b) ≥ min`
 * exactly when `b ≤ today − min years`, and `ageOn(b) ≤ max` exactly when `b > today − (max+1)
 * years` (both as `YYYY-MM-DD` strings, matching how `ageOn` compares month and day).
 */
export function workingAgeBirthDates(
  sex: Sex,
  options: { on?: Date; bounds?: WorkingAgeBounds } = {},
): { after: string; onOrBefore: string } {
  const bounds = options.bounds ?? DEFAULT_WORKING_AGE;
  const today = chinaDay(options.on);
  const max = sex === 'male' ? bounds.maxAgeMale : bounds.maxAgeFemale;
  return { after: yearsBefore(today, max + 1), onOrBefore: yearsBefore(today, bounds.minAge) };
}
