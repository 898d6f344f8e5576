import type { MatchContext } from './context.js';
import {
  ageAt,
  experienceValue,
  mean,
  peerValue,
  points,
  skillCredit,
  total,
  wageValue,
} from './formulas.js';
import type { NormalizedOpening, NormalizedProfile } from './normalize.js';
import type { ExclusionCode } from './types.js';

export type DestinationFit = 'anywhere' | 'city' | 'province' | 'none';

export interface ConflictFact {
  limitation: string;
  demand: string;
  /** The offered set of accommodations that mitigates it; null when none does. */
  mitigatedBy: readonly string[] | null;
  /** The table's alternatives (what would mitigate it). */
  options: readonly (readonly string[])[];
}

export interface SkillFact {
  code: string;
  required: number;
  /** 0 when the person does not have it. */
  have: number;
  credit: number;
}

export interface TrainingFact {
  programme: string;
  underPartnership: boolean;
  preferred: boolean;
  /** Required skills the programme teaches (when it is related through them). */
  teaches: readonly string[];
  credit: number;
}

/**
 * Every fact behind a score, without any text: the reference for the kernel, the source of
 * reasons and of the comparison chart.
 */
export interface Assessment {
  eligible: boolean;
  excludedBy: ExclusionCode[];
  age: number;
  maxAge: number;
  destination: DestinationFit;
  needsMet: string[];
  needsUnmet: string[];
  conflicts: ConflictFact[];
  skills: SkillFact[];
  /** The best related training; null when none is related. */
  training: TrainingFact | null;
  /** The opening neither prefers training nor requires a skill, so training cannot matter. */
  trainingNotApplicable: boolean;
  /** The receiving area (county or prefecture) paired with the opening's city, if any. */
  pairedArea: string | null;
  peerCount: number;
  relevantMonths: number;
  relevantSkills: string[];
  /** In COMPONENT_KEYS order. */
  values: [number, number, number, number, number, number, number];
  /** Points of each component in hundredths (integers). */
  hundredths: [number, number, number, number, number, number, number];
  /** Sum of points; the score proper is this when eligible and 0 otherwise. */
  potential: number;
  score: number;
}

function isMitigated(
  groups: readonly (readonly string[])[],
  offered: ReadonlySet<string>,
): readonly string[] | null {
  for (const g of groups) {
    if (g.every((a) => offered.has(a))) return g;
  }
  return null;
}

export function assess(p: NormalizedProfile, o: NormalizedOpening, ctx: MatchContext): Assessment {
  const excludedBy: ExclusionCode[] = [];
  const { vocabulary: vocab, params, scales } = ctx;

  if (!o.open) excludedBy.push('opening_not_open');
  if (!o.hasRoom) excludedBy.push('opening_full');
  if (!p.available) excludedBy.push('profile_not_available');
  if (!p.consent) excludedBy.push('no_sensitive_data_consent');

  const age = ageAt(p.birthYmd, ctx.asOfYmd);
  const maxAge = p.male ? ctx.workingAge.maxMale : ctx.workingAge.maxFemale;
  if (!(age >= ctx.workingAge.min && age <= maxAge)) excludedBy.push('outside_working_age');

  let destination: DestinationFit;
  if (p.destCities.length === 0 && p.destProvinces.length === 0) destination = 'anywhere';
  else if (p.destCities.includes(o.city)) destination = 'city';
  else if (p.destProvinces.includes(o.province)) destination = 'province';
  else destination = 'none';
  if (destination === 'none') excludedBy.push('destination_not_acceptable');

  if (p.minWage > o.wageMax) excludedBy.push('wage_expectation_above_max');

  const needsMet: string[] = [];
  const needsUnmet: string[] = [];
  for (const a of p.needs) (o.offered.has(a) ? needsMet : needsUnmet).push(a);
  if (needsUnmet.length > 0) excludedBy.push('accommodation_not_offered');

  const conflicts: ConflictFact[] = [];
  let unmitigated = false;
  for (const limitation of p.limitations) {
    for (const demand of o.demands) {
      const c = vocab.conflict(limitation, demand);
      if (!c) continue;
      const mitigatedBy = isMitigated(c.anyOf, o.offered);
      if (mitigatedBy === null) unmitigated = true;
      conflicts.push({ limitation, demand, mitigatedBy, options: c.anyOf });
    }
  }
  if (unmitigated) excludedBy.push('demand_conflict');

  if (p.needsAccessibleDormitory && !o.accessibleDormitory) excludedBy.push('accessible_dormitory_missing');

  // Soft components. The arithmetic order here is mirrored by the kernel; keep them in step.
  const skills: SkillFact[] = [];
  let skillsValue = 1;
  if (o.required.length > 0) {
    let sum = 0;
    for (const r of o.required) {
      const have = p.skills.get(r.code) ?? 0;
      const credit = skillCredit(have, r.level);
      sum += credit;
      skills.push({ code: r.code, required: r.level, have, credit });
    }
    skillsValue = mean(sum, 1 / o.required.length);
  }

  const trainingNotApplicable = o.preferredTraining.size === 0 && o.required.length === 0;
  let training: TrainingFact | null = null;
  let trainingValue = 1;
  if (!trainingNotApplicable) {
    let best = 0;
    for (const t of p.training) {
      const preferred = o.preferredTraining.has(t.programme);
      const teaches = [...ctx.programmeSkills(t.programme)].filter((s) => o.requiredSet.has(s));
      const base = preferred ? 1 : teaches.length > 0 ? params.trainingSkillRelatedCredit : 0;
      const credit = t.underPartnership ? base : base * params.trainingOutsidePartnershipFactor;
      if (credit > best) {
        best = credit;
        training = {
          programme: t.programme,
          underPartnership: t.underPartnership,
          preferred,
          teaches: preferred ? [] : teaches,
          credit,
        };
      }
    }
    trainingValue = best;
  }

  // Federations train people for the jobs they propose them for: someone with none of the
  // required skills and no related training is not a suggestion for this opening (DESIGN §3).
  if (o.required.length > 0 && skillsValue === 0 && trainingValue === 0) excludedBy.push('no_required_skill');

  const partners = ctx.partnersOf(o.city);
  const pairedArea = partners.has(p.county) ? p.county : partners.has(p.prefecture) ? p.prefecture : null;
  const partnershipValue = pairedArea === null ? 0 : 1;

  const wage = wageValue(
    p.minWage,
    o.wageMin,
    o.wageMax,
    1 / (o.wageMax - o.wageMin),
    params.wageWithinRangeCredit,
  );

  const destinationValue =
    destination === 'province' ? params.destinationProvinceCredit : destination === 'none' ? 0 : 1;

  const peerCount = ctx.peers(o.employerId, p.county);
  const peers = peerValue(peerCount, params.peerSaturation);

  let relevantMonths = 0;
  const relevantSkills: string[] = [];
  for (const e of p.experience) {
    if (e.skill !== null && o.requiredSet.has(e.skill)) {
      relevantMonths += e.months;
      if (!relevantSkills.includes(e.skill)) relevantSkills.push(e.skill);
    }
  }
  const experience = experienceValue(
    relevantMonths,
    p.totalMonths,
    1 / params.experienceSaturationMonths,
    params.otherExperienceFactor,
  );

  const values: Assessment['values'] = [
    skillsValue,
    trainingValue,
    partnershipValue,
    wage,
    destinationValue,
    peers,
    experience,
  ];
  const pts: Assessment['hundredths'] = [
    points(scales.skills, skillsValue),
    points(scales.training, trainingValue),
    points(scales.partnership, partnershipValue),
    points(scales.wage, wage),
    points(scales.destination, destinationValue),
    points(scales.peers, peers),
    points(scales.experience, experience),
  ];
  const potential = total(pts[0], pts[1], pts[2], pts[3], pts[4], pts[5], pts[6]);
  const eligible = excludedBy.length === 0;
  return {
    eligible,
    excludedBy,
    age,
    maxAge,
    destination,
    needsMet,
    needsUnmet,
    conflicts,
    skills,
    training,
    trainingNotApplicable,
    pairedArea,
    peerCount,
    relevantMonths,
    relevantSkills,
    values,
    hundredths: pts,
    potential,
    score: eligible ? potential : 0,
  };
}
