/**
 * Identity numbers of worker profiles: pure validators and derivations, importing nothing but the
 * pure China-time helper, so the console checks ID and certificate numbers as they are typed with
 * the very rules the API applies (identity.ts adds the keyed hash and the zod schemas on top).
 *
 * - Resident ID number (公民身份号码): GB 11643-1999.
 * - Second-generation disability certificate number (第二代残疾人证号): GB/T 26341-2010 categories
 *   and levels, number = holder's ID number + category digit + level digit [+ B<n> when reissued].
 * - Mainland mobile number (11 digits, 1[3-9]…).
 * - Working age of the national real-name employment system (men 16–59, women 16–54 by default).
 *
 * Every validator returns a result instead of throwing; a failure names one precise `code` and a
 * zh/en message. Messages never repeat the submitted value: they end up in responses and may end
 * up in logs, and these values are personal data (PIPL Art. 28, 51).
 */

import { chinaDay } from '../../lib/china-time.js';

export interface Message {
  zh: string;
  en: string;
}

export interface IdentityIssue<C extends string = IdentityErrorCode> {
  code: C;
  message: Message;
  /** For a certificate whose ID part is invalid: what is wrong with that ID part. */
  cause?: IdNumberErrorCode;
}

export type Checked<T, C extends string> = { ok: true; value: T } | { ok: false; error: IdentityIssue<C> };

export type Sex = 'male' | 'female';
export const SEXES = ['male', 'female'] as const satisfies readonly Sex[];

/** GB/T 26341-2010 category digits: 1 视力, 2 听力, 3 言语, 4 肢体, 5 智力, 6 精神, 7 多重. */
export const DISABILITY_CATEGORIES = ['1', '2', '3', '4', '5', '6', '7'] as const;
export type DisabilityCategory = (typeof DISABILITY_CATEGORIES)[number];
/** GB/T 26341-2010 levels: 1 一级 (most severe) … 4 四级 (mildest), in every category. */
export const DISABILITY_LEVELS = ['1', '2', '3', '4'] as const;
export type DisabilityLevel = (typeof DISABILITY_LEVELS)[number];

const MESSAGES = {
  id_number_empty: { zh: '请填写身份证号', en: 'The resident ID number is missing' },
  id_number_first_generation: {
    zh: '15 位第一代身份证号已停止使用，请填写 18 位身份证号',
    en: 'A 15-digit first-generation ID number is no longer valid; give the 18-character number',
  },
  id_number_length: { zh: '身份证号应为 18 位', en: 'The resident ID number must have 18 characters' },
  id_number_characters: {
    zh: '身份证号前 17 位只能是数字，第 18 位是数字或 X',
    en: 'The first 17 characters of the ID number must be digits and the 18th a digit or X',
  },
  id_number_region: {
    zh: '身份证号前 2 位不是有效的省级行政区划代码（GB/T 2260）',
    en: 'The first two digits of the ID number are not a province-level region code (GB/T 2260)',
  },
  id_number_date_impossible: {
    zh: '身份证号第 7–14 位的出生日期不是真实存在的日期',
    en: 'The birth date in the ID number (characters 7–14) is not a real calendar date',
  },
  id_number_date_future: {
    zh: '身份证号中的出生日期晚于今天',
    en: 'The birth date in the ID number is in the future',
  },
  id_number_check_character: {
    zh: '身份证号第 18 位校验码与前 17 位不符（GB 11643-1999），请逐位核对',
    en: 'The check character (18th) does not match the first 17 digits (GB 11643-1999); check each digit',
  },
  sex_mismatch: {
    zh: '填写的性别与身份证号第 17 位不一致（奇数为男，偶数为女）',
    en: 'The declared sex disagrees with the ID number (17th digit: odd male, even female)',
  },
  birth_date_mismatch: {
    zh: '填写的出生日期与身份证号中的出生日期不一致',
    en: 'The declared birth date disagrees with the birth date in the ID number',
  },
  certificate_empty: { zh: '请填写残疾人证号', en: 'The disability certificate number is missing' },
  certificate_length: {
    zh: '残疾人证号应为 20 位：18 位身份证号 + 1 位残疾类别 + 1 位残疾等级（补发证另加 B 和序号）',
    en: 'The certificate number must have 20 characters: the 18-character ID number, a category digit and a level digit (plus B and a number when reissued)',
  },
  certificate_id_part: {
    zh: '残疾人证号前 18 位不是有效的身份证号',
    en: 'The first 18 characters of the certificate number are not a valid ID number',
  },
  certificate_category_digit: {
    zh: '残疾人证号第 19 位（残疾类别）应为 1–7（GB/T 26341-2010）',
    en: 'The 19th character of the certificate number (category) must be 1–7 (GB/T 26341-2010)',
  },
  certificate_level_digit: {
    zh: '残疾人证号第 20 位（残疾等级）应为 1–4（GB/T 26341-2010）',
    en: 'The 20th character of the certificate number (level) must be 1–4 (GB/T 26341-2010)',
  },
  certificate_reissue_suffix: {
    zh: '残疾人证号第 20 位之后只能是补发标记 B 加序号（如 B1、B2）',
    en: 'After the 20th character only a reissue mark B and a number (B1, B2 …) may follow',
  },
  certificate_id_mismatch: {
    zh: '残疾人证号前 18 位与身份证号不一致',
    en: 'The first 18 characters of the certificate number differ from the ID number',
  },
  certificate_category_mismatch: {
    zh: '残疾人证号第 19 位（残疾类别）与填写的残疾类别不一致',
    en: 'The category digit of the certificate number (19th) disagrees with the declared disability category',
  },
  certificate_level_mismatch: {
    zh: '残疾人证号第 20 位（残疾等级）与填写的残疾等级不一致',
    en: 'The level digit of the certificate number (20th) disagrees with the declared disability level',
  },
  phone_empty: { zh: '请填写手机号', en: 'The mobile number is missing' },
  phone_characters: {
    zh: '手机号只能包含数字，可带 +86、空格或短横线',
    en: 'The mobile number may contain only digits, optionally +86, spaces or dashes',
  },
  phone_length: { zh: '手机号应为 11 位', en: 'The mobile number must have 11 digits' },
  phone_prefix: {
    zh: '不是大陆手机号：应以 13–19 开头',
    en: 'Not a mainland mobile number: it must start with 13–19',
  },
} as const satisfies Record<string, Message>;

export type IdentityErrorCode = keyof typeof MESSAGES;
export type IdNumberErrorCode = Extract<IdentityErrorCode, `id_number_${string}`>;
export type CertificateErrorCode = Extract<IdentityErrorCode, `certificate_${string}`>;
export type PhoneErrorCode = Extract<IdentityErrorCode, `phone_${string}`>;

function fail<C extends IdentityErrorCode>(code: C): { ok: false; error: IdentityIssue<C> } {
  return { ok: false, error: { code, message: MESSAGES[code] } };
}

/** Longer input is refused before any normalisation work is spent on it. */
export const MAX_INPUT_LENGTH = 64;

/**
 * Full-width digits and letters (common in spreadsheets typed with a Chinese IME) become ASCII,
 * whitespace anywhere goes, lowercase x becomes X.
 */
function normalizeCode(input: string): string {
  return input.normalize('NFKC').replace(/\s+/gu, '').toUpperCase();
}

// ---------------------------------------------------------------------------------------------
// Resident ID number — GB 11643-1999
// ---------------------------------------------------------------------------------------------

/** A valid, normalised resident ID number and what GB 11643-1999 lets us read from it. */
export interface ResidentId {
  idNumber: string;
  /** GB/T 2260 code of the county of household registration at issue (characters 1–6). */
  addressCode: string;
  /** `YYYY-MM-DD` (characters 7–14). */
  birthDate: string;
  /** From the sequence code (characters 15–17): odd male, even female. */
  sex: Sex;
  sequence: string;
}

/** GB 11643-1999 §5.2: weights Wᵢ = 2^(i−1) mod 11 for the first 17 digits, left to right. */
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
/** GB 11643-1999: check character for S mod 11 = 0 … 10 (ISO 7064 MOD 11-2). */
const ID_CHECK_CHARACTERS = '10X98765432';

/**
 * Province-level codes of GB/T 2260 (incl. 71 台湾, 81 香港, 82 澳门) and 83, which residence
 * permits for Taiwan residents use. A wrong first digit can survive the checksum when a second
 * digit is also wrong; this catches most of those.
 */
// biome-ignore format: a table reads better packed
const PROVINCE_CODES = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37', '41',
  '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65', '71',
  '81', '82', '83',
]);

/** Trims, removes whitespace, makes full-width characters ASCII and lowercase x uppercase. */
export function normalizeIdNumber(input: string): string {
  return normalizeCode(input);
}

/**
 * GB 11643-1999 check character of the first 17 digits. Throws on anything but 17 ASCII digits:
 * callers validate shape first.
 */
export function idNumberCheckCharacter(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('expected exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]!;
  return ID_CHECK_CHARACTERS[sum % 11]!;
}

/** Whether `y-m-d` exists in the proleptic Gregorian calendar (no Feb 30, Feb 29 only in leap years). */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
  if (month < 1 || month > 12 || day < 1) return false;
  const d = new Date(Date.UTC(year, month - 1, day));
  d.setUTCFullYear(year); // Date.UTC maps years 0–99 to 1900–1999
  return d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

function birthDateOf(digits8: string, now: Date): Checked<string, IdNumberErrorCode> {
  const year = Number(digits8.slice(0, 4));
  const month = Number(digits8.slice(4, 6));
  const day = Number(digits8.slice(6, 8));
  // GB 11643-1999 numbers carry full four-digit years; the shape in DOMAIN.md allows 18xx–20xx.
  if (year < 1800 || !isCalendarDate(year, month, day)) return fail('id_number_date_impossible');
  const iso = `${digits8.slice(0, 4)}-${digits8.slice(4, 6)}-${digits8.slice(6, 8)}`;
  if (iso > chinaDay(now)) return fail('id_number_date_future');
  return { ok: true, value: iso };
}

/**
 * Validates a resident ID number per GB 11643-1999 — 6-digit address code, 8-digit birth date,
 * 3-digit sequence, check character — and derives birth date, sex and address code.
 *
 * The first failure found is reported, structural before semantic: length, characters, region,
 * date, then checksum (a wrong date is a more useful message than the checksum it also breaks).
 */
export function parseIdNumber(
  input: string,
  options: { now?: Date } = {},
): Checked<ResidentId, IdNumberErrorCode> {
  if (input.length > MAX_INPUT_LENGTH) return fail('id_number_length');
  const id = normalizeIdNumber(input);
  if (id === '') return fail('id_number_empty');
  if (id.length === 15 && /^\d{15}$/.test(id)) return fail('id_number_first_generation');
  if (id.length !== 18) return fail('id_number_length');
  if (!/^\d{17}[\dX]$/.test(id)) return fail('id_number_characters');
  if (!PROVINCE_CODES.has(id.slice(0, 2))) return fail('id_number_region');
  const birth = birthDateOf(id.slice(6, 14), options.now ?? new Date());
  if (!birth.ok) return birth;
  if (idNumberCheckCharacter(id.slice(0, 17)) !== id[17]) return fail('id_number_check_character');
  const sequence = id.slice(14, 17);
  return {
    ok: true,
    value: {
      idNumber: id,
      addressCode: id.slice(0, 6),
      birthDate: birth.value,
      sex: Number(sequence) % 2 === 1 ? 'male' : 'female',
      sequence,
    },
  };
}

/** One disagreement between declared fields, named by the field it concerns. */
export interface FieldIssue extends IdentityIssue {
  field: IdentityField;
}

/** Fields of a profile that the identity rules read; names match the profile's own. */
export interface DeclaredIdentity {
  idNumber?: string | null;
  certificateNumber?: string | null;
  disabilityCategory?: string | null;
  disabilityLevel?: string | null;
  sex?: string | null;
  birthDate?: string | null;
}
export type IdentityField = keyof DeclaredIdentity;

function issue(field: IdentityField, code: IdentityErrorCode): FieldIssue {
  return { field, code, message: MESSAGES[code] };
}

/**
 * Declared sex and birth date must equal those GB 11643-1999 encodes in the ID number.
 * `birthDate` may be `YYYY-MM-DD` or a longer ISO timestamp (only its date part is compared).
 */
export function checkDeclaredSexAndBirthDate(id: ResidentId, declared: DeclaredIdentity): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (declared.sex != null && declared.sex !== id.sex) issues.push(issue('sex', 'sex_mismatch'));
  if (declared.birthDate != null && declared.birthDate.slice(0, 10) !== id.birthDate)
    issues.push(issue('birthDate', 'birth_date_mismatch'));
  return issues;
}

// ---------------------------------------------------------------------------------------------
// Disability certificate number — GB/T 26341-2010, second generation (第二代残疾人证)
// ---------------------------------------------------------------------------------------------

export interface DisabilityCertificate {
  certificateNumber: string;
  /** The holder's resident ID number (characters 1–18). */
  idNumber: string;
  holder: ResidentId;
  category: DisabilityCategory;
  level: DisabilityLevel;
  /** n of a `B<n>` reissue suffix; null for an original certificate. */
  reissue: number | null;
}

function isCategory(c: string | undefined): c is DisabilityCategory {
  return (DISABILITY_CATEGORIES as readonly string[]).includes(c ?? '');
}

function isLevel(c: string | undefined): c is DisabilityLevel {
  return (DISABILITY_LEVELS as readonly string[]).includes(c ?? '');
}

/** Same normalisation as the ID number (the ID part may end in x; a reissue mark may be b1). */
export function normalizeCertificateNumber(input: string): string {
  return normalizeCode(input);
}

/**
 * Validates a second-generation disability certificate number: the holder's 18-character ID
 * number (valid per GB 11643-1999), a category digit 1–7 and a level digit 1–4 (GB/T 26341-2010),
 * optionally `B<n>` (n ≥ 1) for a reissued certificate. Shape per DOMAIN.md:
 * `^\d{6}(18|19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])\d{3}[\dX][1-7][1-4](B[1-9]\d*)?$`.
 */
export function parseCertificateNumber(
  input: string,
  options: { now?: Date } = {},
): Checked<DisabilityCertificate, CertificateErrorCode> {
  if (input.length > MAX_INPUT_LENGTH) return fail('certificate_length');
  const cert = normalizeCertificateNumber(input);
  if (cert === '') return fail('certificate_empty');
  if (cert.length < 20) return fail('certificate_length');
  const holder = parseIdNumber(cert.slice(0, 18), options);
  if (!holder.ok) {
    const inner = holder.error.message;
    const outer = MESSAGES.certificate_id_part;
    return {
      ok: false,
      error: {
        code: 'certificate_id_part',
        message: { zh: `${outer.zh}：${inner.zh}`, en: `${outer.en}: ${inner.en}` },
        cause: holder.error.code,
      },
    };
  }
  const category = cert[18];
  const level = cert[19];
  if (!isCategory(category)) return fail('certificate_category_digit');
  if (!isLevel(level)) return fail('certificate_level_digit');
  const suffix = cert.slice(20);
  // DOMAIN.md allows B[1-9]\d*; six digits keep n an exact integer and far exceed real reissues.
  if (suffix !== '' && !/^B[1-9]\d{0,5}$/.test(suffix)) return fail('certificate_reissue_suffix');
  return {
    ok: true,
    value: {
      certificateNumber: cert,
      idNumber: holder.value.idNumber,
      holder: holder.value,
      category,
      level,
      reissue: suffix === '' ? null : Number(suffix.slice(1)),
    },
  };
}

/**
 * A certificate must belong to the profile: its ID part equals the profile's ID number and its
 * digits equal the declared category and level (GB/T 26341-2010). Every disagreement is reported,
 * each on its own field, because each is a different fix for the person entering the data.
 */
export function checkCertificateAgainstProfile(
  cert: DisabilityCertificate,
  declared: DeclaredIdentity,
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (declared.idNumber != null && normalizeIdNumber(declared.idNumber) !== cert.idNumber)
    issues.push(issue('certificateNumber', 'certificate_id_mismatch'));
  if (declared.disabilityCategory != null && declared.disabilityCategory !== cert.category)
    issues.push(issue('disabilityCategory', 'certificate_category_mismatch'));
  if (declared.disabilityLevel != null && declared.disabilityLevel !== cert.level)
    issues.push(issue('disabilityLevel', 'certificate_level_mismatch'));
  return issues;
}

/**
 * Cross-field rules of a profile, for values that are each valid on their own (a field that is
 * itself invalid is left to its own schema and not reported twice): declared sex and birth date
 * agree with the ID number; the certificate agrees with the ID number, category and level.
 * The worker-profiles service runs it on the merged document of a PATCH, too.
 */
export function crossCheckIdentity(declared: DeclaredIdentity, options: { now?: Date } = {}): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const id = declared.idNumber != null ? parseIdNumber(declared.idNumber, options) : undefined;
  if (id?.ok) issues.push(...checkDeclaredSexAndBirthDate(id.value, declared));
  if (declared.certificateNumber != null) {
    const cert = parseCertificateNumber(declared.certificateNumber, options);
    if (cert.ok) {
      // An invalid ID number is reported by its own schema; comparing against it would only echo that.
      const comparable = id && !id.ok ? { ...declared, idNumber: undefined } : declared;
      issues.push(...checkCertificateAgainstProfile(cert.value, comparable));
    }
  }
  return issues;
}

// ---------------------------------------------------------------------------------------------
// Mainland mobile number
// ---------------------------------------------------------------------------------------------

/** Spaces, ASCII and Unicode dashes, and parentheses around a country code are decoration only. */
const PHONE_DECORATION = /[\s\-\u2010-\u2015()]/gu;

/**
 * Strips decoration and a +86 / 0086 country code (or a bare 86 before 11 digits). The result is
 * what is stored, shown masked and compared.
 */
export function normalizePhone(input: string): string {
  const compact = input.normalize('NFKC').replace(PHONE_DECORATION, '');
  if (compact.startsWith('+86')) return compact.slice(3);
  if (compact.startsWith('0086')) return compact.slice(4);
  if (/^86\d{11}$/.test(compact)) return compact.slice(2);
  return compact;
}

/** A mainland mobile number: 11 digits, `1[3-9]` then 9 digits; returns the normalised form. */
export function parsePhone(input: string): Checked<string, PhoneErrorCode> {
  if (input.length > MAX_INPUT_LENGTH) return fail('phone_length');
  const phone = normalizePhone(input);
  if (phone === '') return fail('phone_empty');
  if (!/^\d+$/.test(phone)) return fail('phone_characters');
  if (phone.length !== 11) return fail('phone_length');
  if (!/^1[3-9]/.test(phone)) return fail('phone_prefix');
  return { ok: true, value: phone };
}

// ---------------------------------------------------------------------------------------------
// Working age
// ---------------------------------------------------------------------------------------------

/**
 * Inclusive bounds in completed years. The national real-name employment system counts men
 * 16–59 and women 16–54 (DOMAIN.md); retirement ages are being raised gradually, hence parameters.
 */
export interface WorkingAgeBounds {
  minAge: number;
  maxAgeMale: number;
  maxAgeFemale: number;
}

export const DEFAULT_WORKING_AGE: Readonly<WorkingAgeBounds> = Object.freeze({
  minAge: 16,
  maxAgeMale: 59,
  maxAgeFemale: 54,
});

export type WorkingAgeCode = 'working_age_too_young' | 'working_age_too_old';

export type WorkingAgeResult =
  | { ok: true; age: number }
  | { ok: false; age: number; code: WorkingAgeCode; bound: number; message: Message };

/**
 * Completed years (周岁) on China's calendar day of `on`. A 29 February birthday is reached on
 * 1 March in common years (the date string comparison does that by itself).
 */
export function ageOn(birthDate: string, on: Date = new Date()): number {
  const today = chinaDay(on);
  const years = Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return today.slice(5, 10) >= birthDate.slice(5, 10) ? years : years - 1;
}

/**
 * Whether a person is of working age on `on`. An out-of-range age is not an error: the profile is
 * kept but excluded from matching, and the returned reason is shown with it.
 */
export function checkWorkingAge(
  person: { birthDate: string; sex: Sex },
  options: { on?: Date; bounds?: WorkingAgeBounds } = {},
): WorkingAgeResult {
  const bounds = options.bounds ?? DEFAULT_WORKING_AGE;
  const max = person.sex === 'male' ? bounds.maxAgeMale : bounds.maxAgeFemale;
  if (bounds.minAge > max) throw new RangeError('working-age bounds: the minimum exceeds the maximum');
  const age = ageOn(person.birthDate, options.on);
  if (age < bounds.minAge)
    return {
      ok: false,
      age,
      code: 'working_age_too_young',
      bound: bounds.minAge,
      message: {
        zh: `未达到就业年龄（${bounds.minAge} 周岁）`,
        en: `Below the minimum working age (${bounds.minAge})`,
      },
    };
  if (age > max) {
    const who = person.sex === 'male' ? { zh: '男性', en: 'men' } : { zh: '女性', en: 'women' };
    return {
      ok: false,
      age,
      code: 'working_age_too_old',
      bound: max,
      message: {
        zh: `超过${who.zh}就业年龄上限（${max} 周岁）`,
        en: `Above the maximum working age for ${who.en} (${max})`,
      },
    };
  }
  return { ok: true, age };
}

/** The zh/en message of an identity rule, by its issue code (what the API returns in `issues[].code`). */
export function identityMessage(code: string): Message | undefined {
  return (MESSAGES as Record<string, Message>)[code];
}
