import { prefectureOf, provinceOf, ymd } from './formulas.js';
import type { MatchOpening, MatchProfile, SkillLevel } from './types.js';
import type { MatchVocabulary } from './vocabulary.js';

/** The accommodation code that stands for an accessible dormitory (vocabulary `accommodations`). */
export const ACCESSIBLE_DORM = 'accessible_dorm';

/**
 * Canonical form of a profile: free text resolved to codes, duplicates merged, the accessible
 * dormitory carried by one flag. The reference score and the kernel both read only this, which is
 * what makes their results identical.
 */
export interface NormalizedProfile {
  id: string;
  version: number | undefined;
  available: boolean;
  consent: boolean;
  birthYmd: number;
  male: boolean;
  county: string;
  prefecture: string;
  limitations: readonly string[];
  /** Needed accommodations other than the accessible dormitory. */
  needs: readonly string[];
  needsDormitory: boolean;
  needsAccessibleDormitory: boolean;
  destProvinces: readonly string[];
  destCities: readonly string[];
  /** -1 when no expectation is recorded. */
  minWage: number;
  /** Highest level per skill, in order of first appearance. */
  skills: ReadonlyMap<string, SkillLevel>;
  training: readonly { programme: string; underPartnership: boolean }[];
  experience: readonly { skill: string | null; months: number }[];
  totalMonths: number;
}

export interface NormalizedOpening {
  id: string;
  version: number | undefined;
  open: boolean;
  hasRoom: boolean;
  status: string;
  headcount: number;
  filled: number;
  employerId: string;
  city: string;
  province: string;
  /** Highest level per skill, in order of first appearance. */
  required: readonly { code: string; level: SkillLevel }[];
  requiredSet: ReadonlySet<string>;
  preferredTraining: ReadonlySet<string>;
  wageMin: number;
  wageMax: number;
  demands: readonly string[];
  /** Offered accommodations, the accessible dormitory included when there is one. */
  offered: ReadonlySet<string>;
  dormitory: boolean;
  accessibleDormitory: boolean;
}

function level(n: number): SkillLevel {
  if (!Number.isFinite(n)) return 1;
  return Math.min(3, Math.max(1, Math.round(n))) as SkillLevel;
}

function uniq(values: Iterable<string>): string[] {
  return [...new Set(values)];
}

function skillMap(
  vocab: MatchVocabulary,
  list: readonly { code: string; level: number }[],
): Map<string, SkillLevel> {
  const out = new Map<string, SkillLevel>();
  for (const s of list) {
    const code = vocab.skills.canonical(s.code);
    if (code === '') continue;
    const l = level(s.level);
    const prior = out.get(code);
    if (prior === undefined || l > prior) out.set(code, l);
  }
  return out;
}

export function normalizeProfile(vocab: MatchVocabulary, p: MatchProfile): NormalizedProfile {
  const needsAll = uniq(p.accommodationsNeeded.map((a) => vocab.accommodations.canonical(a)));
  const needsAccessibleDormitory = p.needsAccessibleDormitory || needsAll.includes(ACCESSIBLE_DORM);
  const destProvinces: string[] = [];
  const destCities: string[] = [];
  for (const raw of p.destinations) {
    const code = raw.trim();
    if (!/^\d{6}$/.test(code)) continue;
    if (code.endsWith('0000')) destProvinces.push(code);
    else destCities.push(prefectureOf(code));
  }
  const experience = p.experience.map((e) => ({
    skill: e.skill === null || e.skill.trim() === '' ? null : vocab.skills.canonical(e.skill),
    months: Number.isFinite(e.months) && e.months > 0 ? e.months : 0,
  }));
  let totalMonths = 0;
  for (const e of experience) totalMonths += e.months;
  const minWage = p.minWage !== null && Number.isFinite(p.minWage) && p.minWage >= 0 ? p.minWage : -1;
  return {
    id: p.id,
    version: p.version,
    available: p.status === 'available',
    consent: p.sensitiveDataConsent === true,
    birthYmd: ymd(p.birthDate),
    male: p.sex === 'male',
    county: p.originCounty,
    prefecture: prefectureOf(p.originCounty),
    limitations: uniq(p.limitations.map((l) => vocab.limitations.canonical(l))),
    needs: needsAll.filter((a) => a !== ACCESSIBLE_DORM),
    needsDormitory: p.needsDormitory || needsAccessibleDormitory,
    needsAccessibleDormitory,
    destProvinces: uniq(destProvinces),
    destCities: uniq(destCities),
    minWage,
    skills: skillMap(vocab, p.skills),
    training: p.training.map((t) => ({
      programme: t.programme.trim(),
      underPartnership: t.underPartnership,
    })),
    experience,
    totalMonths,
  };
}

export function normalizeOpening(vocab: MatchVocabulary, o: MatchOpening): NormalizedOpening {
  const skills = skillMap(vocab, o.skillsRequired);
  const required = [...skills].map(([code, l]) => ({ code, level: l }));
  const offered = new Set(o.accommodationsOffered.map((a) => vocab.accommodations.canonical(a)));
  const accessibleDormitory = o.accessibleDormitory || offered.has(ACCESSIBLE_DORM);
  if (accessibleDormitory) offered.add(ACCESSIBLE_DORM);
  const city = prefectureOf(o.city);
  const lo = Number.isFinite(o.wageMin) ? o.wageMin : 0;
  const hi = Number.isFinite(o.wageMax) ? o.wageMax : 0;
  return {
    id: o.id,
    version: o.version,
    open: o.status === 'open',
    hasRoom: o.filled < o.headcount,
    status: o.status,
    headcount: o.headcount,
    filled: o.filled,
    employerId: o.employerId,
    city,
    province: provinceOf(city),
    required,
    requiredSet: new Set(skills.keys()),
    preferredTraining: new Set(o.preferredTraining.map((t) => t.trim())),
    wageMin: Math.min(lo, hi),
    wageMax: Math.max(lo, hi),
    demands: uniq(o.demands.map((d) => vocab.demands.canonical(d))),
    offered,
    dormitory: o.dormitory || accessibleDormitory,
    accessibleDormitory,
  };
}
