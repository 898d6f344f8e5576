import { Types } from 'mongoose';
import { EVERYTHING } from '../../lib/auth/scope.js';
import * as consents from './consents.repository.js';
import { matchingEligibility, workingAgeBirthDates } from './eligibility.js';
import type { WorkingAgeBounds } from './identity.js';
import { anonymisedProfile } from './present.js';
import type { WorkerProfile } from './profile.js';
import * as repo from './worker-profiles.repository.js';
import { ageBounds, cryptoOf, type ProfileDeps } from './worker-profiles.service.js';

/** What other modules read of a profile (matching, review, placements, notifications). */

/** What matching reads of a profile: no identity, no contact, no free text. */
export interface ProfileForMatching {
  id: string;
  version: number;
  status: WorkerProfile['status'];
  sex: WorkerProfile['sex'];
  birthDate: string;
  age: number;
  originCode: string;
  regionPath: string[];
  registeringFederationId: string;
  disabilityCategory: WorkerProfile['disabilityCategory'];
  disabilityLevel: WorkerProfile['disabilityLevel'];
  functionalLimitations: string[];
  assistiveDevices: string[];
  accommodationsNeeded: string[];
  skills: { code: string; level: string }[];
  training: {
    programmeCode: string;
    hours: number | null;
    underPartnership: boolean;
    providerOrganizationId: string | null;
  }[];
  education: string | null;
  languages: string[];
  experience: { occupationGroup?: string; skill?: string; months: number }[];
  preferences: WorkerProfile['preferences'];
  eligible: boolean;
  exclusionReasons: string[];
}

function toProfileForMatching(
  doc: Omit<repo.StoredProfile, 'identity' | 'guardian' | 'idHash'>,
  consented: boolean,
  bounds: WorkingAgeBounds,
): ProfileForMatching {
  const consent = { processing: !!doc.consent?.processing && consented };
  const e = matchingEligibility(
    { status: doc.status, sex: doc.sex, birthDate: doc.birthDate, consent },
    { bounds },
  );
  return {
    id: doc._id.toHexString(),
    version: doc.version,
    status: doc.status,
    sex: doc.sex,
    birthDate: doc.birthDate,
    age: e.age,
    originCode: doc.originCode,
    regionPath: doc.regionPath,
    registeringFederationId: doc.registeringFederationId,
    disabilityCategory: doc.disabilityCategory,
    disabilityLevel: doc.disabilityLevel,
    functionalLimitations: doc.functionalLimitations ?? [],
    assistiveDevices: doc.assistiveDevices ?? [],
    accommodationsNeeded: doc.accommodationsNeeded ?? [],
    skills: (doc.skills ?? []).map((s) => ({ code: s.code, level: s.level })),
    training: (doc.training ?? []).map((t) => ({
      programmeCode: t.programmeCode,
      hours: t.hours ?? null,
      underPartnership: !!t.underPartnership,
      providerOrganizationId: t.providerOrganizationId ?? null,
    })),
    education: doc.education ?? null,
    languages: doc.languages ?? [],
    experience: (doc.experience ?? []).map((x) => ({
      ...(x.occupationGroup ? { occupationGroup: x.occupationGroup } : {}),
      ...(x.skill ? { skill: x.skill } : {}),
      months: x.months,
    })),
    preferences: doc.preferences,
    eligible: e.eligible,
    exclusionReasons: e.reasons.map((r) => r.code),
  };
}

/**
 * Candidates for matching, by indexed query: available, consented (the consent records are checked
 * too, not only the profile's flag), of working age today; optionally narrowed to origins inside
 * `regionCodes`, to profiles having one of `skillCodes`, or to `ids`. Ordered by id; page with `after`.
 */
export async function getProfilesForMatching(
  deps: Pick<ProfileDeps, 'config'>,
  query: {
    ids?: string[];
    regionCodes?: string[];
    skillCodes?: string[];
    after?: string;
    limit?: number;
  } = {},
): Promise<ProfileForMatching[]> {
  const bounds = ageBounds(deps);
  const ages = (['male', 'female'] as const).map((sex) => {
    const r = workingAgeBirthDates(sex, { bounds });
    return { sex, birthDate: { $gt: r.after, $lte: r.onOrBefore } };
  });
  const filter: Record<string, unknown> = { status: 'available', 'consent.processing': true, $or: ages };
  const and: Record<string, unknown>[] = [];
  if (query.ids)
    and.push({
      _id: { $in: query.ids.filter((i) => /^[0-9a-f]{24}$/.test(i)).map((i) => new Types.ObjectId(i)) },
    });
  if (query.regionCodes) and.push({ regionPath: { $in: query.regionCodes } });
  if (query.skillCodes) and.push({ 'skills.code': { $in: query.skillCodes } });
  if (query.after) and.push({ _id: { $gt: new Types.ObjectId(query.after) } });
  const docs = await repo.findForMatching(and.length ? { ...filter, $and: and } : filter, query.limit ?? 500);
  const consented = await consents.profilesWithProcessingConsent(docs.map((d) => d._id.toHexString()));
  return docs
    .map((d) => toProfileForMatching(d, consented.has(d._id.toHexString()), bounds))
    .filter((p) => p.eligible);
}

/**
 * Every profile that may take part in matching now (the same rules as `getProfilesForMatching`),
 * streamed from one cursor, with the consent records read once for all: how a matching worker
 * loads its snapshot at start.
 */
export async function* streamProfilesForMatching(
  deps: Pick<ProfileDeps, 'config'>,
  query: { skillCodes?: readonly string[] } = {},
): AsyncGenerator<ProfileForMatching> {
  const bounds = ageBounds(deps);
  const consented = await consents.allProfilesWithProcessingConsent();
  const filter: Record<string, unknown> = { status: 'available', 'consent.processing': true };
  if (query.skillCodes) filter['skills.code'] = { $in: [...query.skillCodes] };
  for await (const doc of repo.streamForMatching(filter)) {
    const p = toProfileForMatching(doc, consented.has(doc._id.toHexString()), bounds);
    if (p.eligible) yield p;
  }
}

/** `{id, version}` of the profiles changed at or after `since` (erased ones included). */
export async function listProfileVersionsSince(since: Date): Promise<{ id: string; version: number }[]> {
  return repo.profileVersionsSince(since);
}

/**
 * One profile as matching sees it, eligible or not (with the reasons), or null when it does not
 * exist or was erased: a consumer of a `consent`, `status` or `erased` change calls this to decide
 * whether pending matches must be withdrawn.
 */
export async function getProfileForMatching(
  deps: Pick<ProfileDeps, 'config'>,
  id: string,
): Promise<ProfileForMatching | null> {
  if (!/^[0-9a-f]{24}$/.test(id)) return null;
  const [doc] = await repo.findForMatching({ _id: new Types.ObjectId(id) }, 1);
  if (!doc) return null;
  const consented = await consents.hasActiveProcessingConsent(id);
  return toProfileForMatching(doc, consented, ageBounds(deps));
}

/**
 * The anonymised view of a profile for an employer (no name, numbers, contact, exact birth date,
 * disability category or level). `ref` is the caller's opaque reference (e.g. the match id).
 */
export async function buildAnonymisedProfile(deps: Pick<ProfileDeps, 'config'>, id: string, ref: string) {
  const profile = await repo.findProfile(cryptoOf(deps), id, EVERYTHING);
  return profile ? anonymisedProfile(profile, ref, { bounds: ageBounds(deps) }) : null;
}

/**
 * What an employer may learn of a person who consented to share with it (PIPL Art. 23): name and
 * phone, never the ID or certificate number. The caller checks the consent and audits the disclosure.
 */
export async function shareableIdentity(
  deps: Pick<ProfileDeps, 'config'>,
  id: string,
): Promise<{ name: string; phone: string | null } | null> {
  const profile = await repo.findProfile(cryptoOf(deps), id, EVERYTHING);
  return profile ? { name: profile.identity.name, phone: profile.identity.phone ?? null } : null;
}

/** For reports that join profiles in an aggregation ($lookup needs the collection's name). */
export { PROFILE_COLLECTION } from './worker-profiles.repository.js';
