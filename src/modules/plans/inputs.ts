import type { MatchOpening, MatchProfile, SkillLevel } from '../matching/engine.js';
import type { MatchableOpening } from '../openings/openings.service.js';
import type { MatchingProfile } from '../worker-profiles/worker-profiles.service.js';

/**
 * The matching engine's inputs from what the worker-profiles and openings modules hand out for
 * matching (pure). The engine sees codes and numbers only; disability category and level never
 * reach it (see matching/types.ts).
 */

function level(value: string | number): SkillLevel {
  const n = Number(value);
  return n >= 3 ? 3 : n >= 2 ? 2 : 1;
}

export function toMatchProfile(p: MatchingProfile): MatchProfile {
  return {
    id: p.id,
    version: p.version,
    status: p.status,
    // getProfilesForMatching checked the consent records as well as the profile's flag.
    sensitiveDataConsent: !p.exclusionReasons.some((r) => r.includes('consent')),
    birthDate: p.birthDate,
    sex: p.sex,
    originCounty: p.originCode,
    limitations: p.functionalLimitations,
    accommodationsNeeded: p.accommodationsNeeded,
    needsDormitory: !!p.preferences?.needsDormitory,
    needsAccessibleDormitory: !!p.preferences?.needsAccessibleDormitory,
    destinations: p.preferences?.destinationCodes ?? [],
    minWage: p.preferences?.minimumWage ?? null,
    skills: p.skills.map((s) => ({ code: s.code, level: level(s.level) })),
    training: p.training.map((t) => ({ programme: t.programmeCode, underPartnership: t.underPartnership })),
    experience: p.experience.map((x) => ({ skill: x.skill ?? null, months: x.months })),
  };
}

export function toMatchOpening(o: MatchableOpening): MatchOpening {
  return {
    id: o.id,
    version: o.version,
    status: o.status,
    headcount: o.headcount,
    filled: o.filled,
    employerId: o.employerId,
    city: `${o.regionCode.slice(0, 4)}00`,
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
