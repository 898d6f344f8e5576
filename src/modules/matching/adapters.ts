import { prefectureOf } from '../../lib/regions.js';
import type { MatchContextInput, PartnershipPair, ProgrammeInfo } from './context.js';
import type { ExclusionCode, MatchOpening, MatchProfile, SkillLevel, Text } from './types.js';

/**
 * From the shapes the profiles and openings modules hand to matching (`ProfileForMatching`,
 * `OpeningForMatching`) to the engine's inputs `MatchProfile` and `MatchOpening` (pure).
 * `ProfileSource` and `OpeningSource` are the fields of those shapes the engine reads, declared
 * structurally, so this file depends on neither module and stays unit-testable. Disability category and level are dropped here: the
 * score never sees them.
 */

export interface ProfileSource {
  id: string;
  version: number;
  status: string;
  sex: 'male' | 'female';
  birthDate: string;
  originCode: string;
  regionPath: string[];
  functionalLimitations: string[];
  accommodationsNeeded: string[];
  skills: { code: string; level: string }[];
  training: { programmeCode: string; underPartnership: boolean }[];
  experience: { skill?: string; months: number }[];
  preferences: {
    destinationCodes?: string[];
    minimumWage?: number | null;
    needsDormitory?: boolean;
    needsAccessibleDormitory?: boolean;
  };
  /** The profile module's own reasons (`status_not_available`, `no_processing_consent`, …). */
  exclusionReasons: string[];
}

export interface OpeningSource {
  id: string;
  version: number;
  employerId: string;
  status: string;
  regionCode: string;
  regionPath: string[];
  skills: { code: string; level: string }[];
  preferredTraining: string[];
  headcount: number;
  filled: number;
  wageMin: number;
  wageMax: number;
  jobDemands: string[];
  accommodationsOffered: string[];
  dormitory: { provided: boolean; accessible: boolean };
}

/**
 * Report-only dimensions of a profile: disability category and level. Matching copies them onto
 * the match documents it writes (so the fairness report can group suggestions without a join);
 * they are kept beside the engine input, never inside it, and nothing that scores reads them.
 */
export interface ReportDims {
  profileCategory: string;
  profileLevel: string;
}

/**
 * What matching keeps of a profile beside its snapshot row: the engine input, the scope and the
 * report-only dimensions (outside `profile`, which is all that `score` and the snapshot see).
 */
export interface HeldProfile {
  profile: MatchProfile;
  regionPath: string[];
  dims: ReportDims;
}

/** The report-only dimensions of a profile as the profiles module hands it over. */
export function reportDimsOf(p: { disabilityCategory: string; disabilityLevel: string }): ReportDims {
  return { profileCategory: p.disabilityCategory, profileLevel: p.disabilityLevel };
}

export interface HeldOpening {
  opening: MatchOpening;
  regionPath: string[];
}

function level(raw: string): SkillLevel {
  const n = Number(raw);
  return n >= 3 ? 3 : n === 2 ? 2 : 1;
}

export function toMatchProfile(p: ProfileSource): MatchProfile {
  return {
    id: p.id,
    version: p.version,
    status: p.status,
    sensitiveDataConsent: !p.exclusionReasons.includes('no_processing_consent'),
    birthDate: p.birthDate,
    sex: p.sex,
    originCounty: p.originCode,
    limitations: p.functionalLimitations,
    accommodationsNeeded: p.accommodationsNeeded,
    needsDormitory: !!p.preferences.needsDormitory,
    needsAccessibleDormitory: !!p.preferences.needsAccessibleDormitory,
    destinations: p.preferences.destinationCodes ?? [],
    minWage: p.preferences.minimumWage ?? null,
    skills: p.skills.map((s) => ({ code: s.code, level: level(s.level) })),
    training: p.training.map((t) => ({ programme: t.programmeCode, underPartnership: t.underPartnership })),
    experience: p.experience.map((x) => ({ skill: x.skill ?? null, months: x.months })),
  };
}

export function toMatchOpening(o: OpeningSource): MatchOpening {
  return {
    id: o.id,
    version: o.version,
    status: o.status,
    headcount: o.headcount,
    filled: o.filled,
    employerId: o.employerId,
    // Partnerships pair cities: a county workplace counts as its prefecture-level city.
    city: prefectureOf(o.regionCode) ?? o.regionCode,
    skillsRequired: o.skills.map((s) => ({ code: s.code, level: level(s.level) })),
    preferredTraining: o.preferredTraining,
    wageMin: o.wageMin,
    wageMax: o.wageMax,
    demands: o.jobDemands,
    accommodationsOffered: o.accommodationsOffered,
    dormitory: o.dormitory.provided,
    accessibleDormitory: o.dormitory.accessible,
  };
}

/** The engine's exclusion code for the profile module's first reason (supersede reasons). */
export function profileExclusion(reasons: readonly string[]): ExclusionCode | null {
  for (const r of reasons) {
    if (r === 'status_not_available') return 'profile_not_available';
    if (r === 'no_processing_consent') return 'no_sensitive_data_consent';
    if (r.startsWith('working_age')) return 'outside_working_age';
  }
  return null;
}

export interface ReferenceInput {
  asOf: string;
  partnerships: readonly { supportingCode: string; receivingCode: string }[];
  regions: readonly { code: string; zh: string; en?: string; pinyin?: string }[];
  programmes: readonly { code: string; zh: string; en: string; attributes?: Record<string, unknown> }[];
  /** Placed or proposed people per employer and origin region (any level of the path). */
  peerCounts: Record<string, Record<string, number>>;
}

/** The context input from reference data (partnerships active on `asOf` only). */
export function contextInputOf(ref: ReferenceInput): MatchContextInput {
  const partnerships: PartnershipPair[] = ref.partnerships.map((p) => ({
    supportingCity: p.supportingCode,
    receivingArea: p.receivingCode,
  }));
  const regionNames: Record<string, Text> = {};
  for (const r of ref.regions) regionNames[r.code] = { zh: r.zh, en: r.en ?? r.pinyin ?? r.zh };
  const programmes: Record<string, ProgrammeInfo> = {};
  for (const p of ref.programmes) {
    const skills = p.attributes?.skills;
    programmes[p.code] = {
      zh: p.zh,
      en: p.en,
      ...(Array.isArray(skills) ? { skills: skills.filter((s): s is string => typeof s === 'string') } : {}),
    };
  }
  return { asOf: ref.asOf, partnerships, regionNames, programmes, peerCounts: ref.peerCounts };
}
