import type { ProblemIssue } from '../../lib/errors.js';

/**
 * Rules of an opening that span several fields or protect job seekers (pure, no I/O). The schema
 * checks shapes; the service checks codes against reference data; everything here runs on the
 * merged opening (stored values + a patch), so a partial update is judged as a whole.
 */

export const SHIFTS = ['day', 'evening', 'night', 'rotating'] as const;
export type Shift = (typeof SHIFTS)[number];

export const CANTEEN = ['none', 'paid', 'subsidised', 'free'] as const;
export type Canteen = (typeof CANTEEN)[number];

/** The fields the cross-field rules look at. */
export interface OpeningRuleView {
  title: string;
  description: string;
  headcount: number;
  wageMin: number;
  wageMax: number;
  hours: { shifts: readonly Shift[] };
  jobDemands: readonly string[];
  accommodationsOffered: readonly string[];
  dormitory: { provided: boolean; accessible: boolean };
}

/** The accommodation code that says "accessible dormitory" and the job demand for night work. */
export const ACCESSIBLE_DORM = 'accessible_dorm';
export const NIGHT_SHIFT = 'night_shift';

const NIGHT_SHIFTS: readonly Shift[] = ['night', 'rotating'];

const LAW =
  '《残疾人保障法》第三十八条、《就业促进法》第二十九条：招用人员不得歧视残疾人。请写明岗位要求和可提供的便利，而不是排除某类残疾人';
const LAW_EN =
  'Employers must not discriminate against disabled people (Law on the Protection of Persons with Disabilities Art. 38, ' +
  'Employment Promotion Law Art. 29): state the demands of the work and the accommodations offered instead of excluding a category';

/**
 * Field names a client might use to exclude disability categories or limitations. They are named
 * in the request schema only so that the refusal can say why (the law), rather than "unknown
 * field"; no value is ever accepted. "Suitable for" categories go in `suitableFor`, as information.
 */
export const EXCLUSION_FIELDS = [
  'excludedCategories',
  'excludedDisabilityCategories',
  'excludedLimitations',
  'notSuitableFor',
  'unsuitableFor',
] as const;

export function exclusionFieldIssues(body: Record<string, unknown>): ProblemIssue[] {
  return EXCLUSION_FIELDS.filter((f) => body[f] !== undefined).map((f) => ({
    path: `body.${f}`,
    code: 'exclusion_not_allowed',
    message: LAW_EN,
  }));
}

export const EXCLUSION_DETAIL = { zh: LAW, en: LAW_EN };

// Words for a disability category or a disabled person, including the pejorative ones that such
// notices tend to use.
const CATEGORY =
  '(?:残疾人|残疾|残障|伤残|盲人|视障|失明|聋哑|聋人|聋|哑巴|哑|听障|智障|弱智|精神病|精神疾病|瘸|跛|截肢|轮椅|侏儒)';
// Refusal words before the category ("不招聋哑人", "谢绝残疾人"). "不要求" (does not require) and
// "拒绝歧视" (against discrimination) are the opposite and are excluded.
const BEFORE = '(?:不招收?|不录用|不接收|不接受|谢绝|拒收|恕不接受|不要(?!求)|拒绝(?!歧视)|限非)';
// Refusal words after the category ("残疾人免谈", "聋哑人除外").
const AFTER = '(?:除外|免谈|勿扰|勿投|谢绝|不予录用|不录用|不考虑|不招)';
const GAP = '[^，。,.;；!！?？\\n]{0,6}?';

const ZH = new RegExp(`${BEFORE}${GAP}${CATEGORY}|${CATEGORY}${GAP}${AFTER}`, 'u');
const EN =
  /\b(?:no|not|excluding|except)\s+(?:the\s+|for\s+)?(?:deaf|blind|mute|disabled|handicapped|wheelchair)/i;

/**
 * True when `text` reads as excluding disabled people or a category of them (a heuristic for the
 * phrases such notices use; employers are told to state job demands instead). A sentence that
 * speaks of discrimination (歧视) is taken as the opposite ("拒绝对残疾人的歧视").
 */
export function readsAsExclusion(text: string): boolean {
  return text
    .normalize('NFKC')
    .split(/[。！？!?；;\n]/u)
    .some((sentence) => !sentence.includes('歧视') && (ZH.test(sentence) || EN.test(sentence)));
}

/**
 * The cross-field problems of an opening, each naming its field. `filled` is the number of hires
 * already recorded (the headcount may not drop below it). For a partial update, `changed` holds
 * the top-level fields the patch sets, so that a contradiction is named where the client made it
 * (a patch lowering `wageMax` under the stored `wageMin` names `body.wageMax`).
 *
 * Structured facts and their vocabulary codes must agree both ways rather than one being derived
 * from the other: an accessible dormitory ⇔ `accessible_dorm` offered, night or rotating shifts ⇔
 * the `night_shift` demand. Deriving would make a read-modify-write round trip ambiguous (was the
 * code declared or implied?); matching reads the codes.
 */
export function openingRuleIssues(
  o: OpeningRuleView,
  opts: { wageFloorCny: number; filled: number; changed?: ReadonlySet<string> },
): ProblemIssue[] {
  const issues: ProblemIssue[] = [];
  const changed = opts.changed;
  // The first path unless only the second side was changed by this patch.
  const where = (a: string, b: string) =>
    changed && !changed.has(a.split('.')[0]!) && changed.has(b.split('.')[0]!) ? b : a;

  if (o.wageMin < opts.wageFloorCny)
    issues.push({
      path: 'body.wageMin',
      code: 'below_wage_floor',
      message: `must be at least ${opts.wageFloorCny} CNY/month (WAGE_FLOOR_CNY)`,
    });
  if (o.wageMin > o.wageMax) {
    const path = where('wageMin', 'wageMax');
    issues.push({
      path: `body.${path}`,
      code: 'wage_range',
      message: path === 'wageMin' ? 'must not exceed wageMax' : 'must not be below wageMin',
    });
  }
  if (o.headcount < opts.filled)
    issues.push({
      path: 'body.headcount',
      code: 'below_filled',
      message: `must not be below the ${opts.filled} hire(s) already recorded`,
    });
  if (o.dormitory.accessible && !o.dormitory.provided)
    issues.push({
      path: 'body.dormitory.accessible',
      code: 'no_dormitory',
      message: 'an accessible dormitory needs a dormitory (dormitory.provided)',
    });

  const dormOffered = o.accommodationsOffered.includes(ACCESSIBLE_DORM);
  if (dormOffered !== o.dormitory.accessible) {
    const path = where('accommodationsOffered', 'dormitory.accessible');
    issues.push({
      path: `body.${path}`,
      code: 'inconsistent',
      message: o.dormitory.accessible
        ? 'dormitory.accessible is true: list accessible_dorm in accommodationsOffered too'
        : 'accessible_dorm is offered: dormitory.accessible must be true',
    });
  }

  const nightScheduled = o.hours.shifts.some((s) => NIGHT_SHIFTS.includes(s));
  if (o.jobDemands.includes(NIGHT_SHIFT) !== nightScheduled) {
    const path = where('jobDemands', 'hours.shifts');
    issues.push({
      path: `body.${path}`,
      code: 'inconsistent',
      message: nightScheduled
        ? 'hours.shifts has a night or rotating shift: list night_shift in jobDemands too'
        : 'night_shift is a job demand: hours.shifts needs a night or rotating shift',
    });
  }

  for (const field of ['title', 'description'] as const)
    if (readsAsExclusion(o[field]))
      issues.push({ path: `body.${field}`, code: 'exclusion_not_allowed', message: LAW_EN });
  return issues;
}

/**
 * A contact phone of the employer: a mainland mobile (11 digits, 1[3-9]…) or a landline with its
 * area code, then 7–8 digits, optionally with an extension; stored as `0757-83001234[-ext]`.
 */
export function normaliseContactPhone(input: string): string | undefined {
  const s = input
    .normalize('NFKC')
    .trim()
    .replace(/[\s()（）]/g, '');
  if (/^(?:\+?86)?1[3-9]\d{9}$/.test(s.replace(/-/g, ''))) return s.replace(/-/g, '').slice(-11);
  // Area codes: 010 and 02x have three digits, every other one four (0757, 0577).
  const m = /^(0[12]\d|0[3-9]\d{2})-?(\d{7,8})(?:(?:-|转|ext\.?)(\d{1,6}))?$/i.exec(s);
  if (!m) return undefined;
  return `${m[1]}-${m[2]}${m[3] ? `-${m[3]}` : ''}`;
}

/** `YYYY-MM-DD` naming a real calendar day. */
export function isCalendarDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}
