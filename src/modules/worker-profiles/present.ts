import { matchingEligibility } from './eligibility.js';
import type { WorkingAgeBounds } from './identity.js';
import { maskCertificate, maskCode, maskIdNumber, maskName, maskPhone } from './masking.js';
import type { TrainingRecord, WorkerProfile } from './profile.js';
import type { RevealableField } from './worker-profiles.schemas.js';

/**
 * Every outward view of a profile (pure). Identity numbers leave only masked, except through
 * `revealIdentity`, which the service calls after auditing the reason.
 *
 * - `staff`: federation staff of the person's jurisdiction, and admins.
 * - `reviewer`: reviewers in partnership scope: no phone, no guardian, no exact birth date.
 * - `anonymisedProfile`: what an employer may see before the person consents to share with it
 *   (PIPL Art. 23) — no name, numbers, contact, exact birth date, and no disability category or
 *   level either: employers must not select by category (残疾人保障法), they see limitations and
 *   the accommodations needed instead (JAN's SOAR approach).
 */
export type ProfileView = 'staff' | 'reviewer';

export interface PresentOptions {
  on?: Date;
  bounds?: WorkingAgeBounds;
}

function presentTraining(t: TrainingRecord) {
  return {
    id: t.id,
    programmeCode: t.programmeCode,
    providerName: t.providerName,
    providerOrganizationId: t.providerOrganizationId,
    startDate: t.startDate,
    endDate: t.endDate,
    hours: t.hours,
    certificateNumber: t.certificateNumber ? maskCode(t.certificateNumber) : null,
    certificateLevel: t.certificateLevel,
    addedByOrganizationId: t.addedByOrganizationId,
    underPartnership: t.underPartnership,
    source: t.source,
    addedAt: t.addedAt.toISOString(),
  };
}

export function presentProfile(p: WorkerProfile, view: ProfileView, options: PresentOptions = {}) {
  const eligibility = matchingEligibility(p, options);
  const staff = view === 'staff';
  return {
    id: p.id,
    version: p.version,
    status: p.status,
    statusReason: p.statusReason,
    statusChangedAt: p.statusChangedAt.toISOString(),
    masked: true as const,
    name: maskName(p.identity.name),
    idNumber: maskIdNumber(p.identity.idNumber),
    certificateNumber: maskCertificate(p.identity.certificateNumber),
    phone: staff && p.identity.phone ? maskPhone(p.identity.phone) : null,
    sex: p.sex,
    birthDate: staff ? p.birthDate : null,
    age: eligibility.age,
    originCode: p.originCode,
    registeringFederationId: p.registeringFederationId,
    disabilityCategory: p.disabilityCategory,
    disabilityLevel: p.disabilityLevel,
    functionalLimitations: p.functionalLimitations,
    assistiveDevices: p.assistiveDevices,
    accommodationsNeeded: p.accommodationsNeeded,
    skills: p.skills,
    education: p.education,
    languages: p.languages,
    experience: p.experience,
    preferences: p.preferences,
    guardian:
      staff && p.guardian
        ? {
            relation: p.guardian.relation,
            name: maskName(p.guardian.name),
            phone: p.guardian.phone ? maskPhone(p.guardian.phone) : null,
          }
        : null,
    training: p.training.map(presentTraining),
    consent: { processing: p.consent.processing, since: p.consent.since?.toISOString() ?? null },
    matching: {
      eligible: eligibility.eligible,
      reasons: eligibility.reasons.map((r) => ({
        code: r.code,
        message: r.message.zh,
        messageEn: r.message.en,
      })),
    },
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

export type PresentedProfile = ReturnType<typeof presentProfile>;

/** The full values of the requested fields (after the caller has audited the reveal). */
export function revealIdentity(p: WorkerProfile, fields: readonly RevealableField[]) {
  const want = new Set(fields);
  const out: {
    id: string;
    name?: string;
    idNumber?: string;
    certificateNumber?: string;
    phone?: string | null;
    guardian?: { name?: string; phone?: string | null } | null;
  } = { id: p.id };
  if (want.has('name')) out.name = p.identity.name;
  if (want.has('idNumber')) out.idNumber = p.identity.idNumber;
  if (want.has('certificateNumber')) out.certificateNumber = p.identity.certificateNumber;
  if (want.has('phone')) out.phone = p.identity.phone;
  if (want.has('guardian.name') || want.has('guardian.phone')) {
    out.guardian = p.guardian
      ? {
          ...(want.has('guardian.name') ? { name: p.guardian.name } : {}),
          ...(want.has('guardian.phone') ? { phone: p.guardian.phone } : {}),
        }
      : null;
  }
  return out;
}

/**
 * The anonymised profile for an employer (PIPL Art. 23: until the person consents to share with
 * that employer). `ref` is the caller's own opaque reference (a match id): the profile id is left
 * out so an employer cannot correlate profiles across proposals.
 */
export function anonymisedProfile(p: WorkerProfile, ref: string, options: PresentOptions = {}) {
  const eligibility = matchingEligibility(p, options);
  return {
    ref,
    age: eligibility.age,
    sex: p.sex,
    /** The prefecture only: a county and an age together narrow a person down too far. */
    originPrefectureCode: `${p.originCode.slice(0, 4)}00`,
    functionalLimitations: p.functionalLimitations,
    assistiveDevices: p.assistiveDevices,
    accommodationsNeeded: p.accommodationsNeeded,
    skills: p.skills,
    education: p.education,
    languages: p.languages,
    experience: p.experience.map(({ employerName: _e, description: _d, ...rest }) => rest),
    training: p.training.map((t) => ({
      programmeCode: t.programmeCode,
      hours: t.hours,
      endDate: t.endDate,
      certificateLevel: t.certificateLevel,
      underPartnership: t.underPartnership,
    })),
    preferences: {
      minimumWage: p.preferences.minimumWage,
      needsDormitory: p.preferences.needsDormitory,
      needsAccessibleDormitory: p.preferences.needsAccessibleDormitory,
      willingToTravelWithGroup: p.preferences.willingToTravelWithGroup,
    },
  };
}

export type AnonymisedProfile = ReturnType<typeof anonymisedProfile>;
