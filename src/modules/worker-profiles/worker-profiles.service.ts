import { Types } from 'mongoose';
import type { Config } from '../../config.js';
import { publishChange } from '../../jobs/changes.js';
import type { Queues } from '../../jobs/queues.js';
import { type Actor, hasRole } from '../../lib/auth/actor.js';
import { EVERYTHING, inRegionScope, jurisdictionScope } from '../../lib/auth/scope.js';
import { AppError, type ProblemIssue } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import { audit } from '../audit/audit.service.js';
import { findOrganizationById } from '../orgs/orgs.service.js';
import { getVocabulary, listRegions, type VocabularyKind } from '../reference/reference.service.js';
import * as consents from './consents.repository.js';
import { crossCheckIdentity, parseIdNumber, type WorkingAgeBounds } from './identity.js';
import { presentProfile } from './present.js';
import type { ProfileContent, WorkerProfile } from './profile.js';
import { type ProfileCrypto, profileCrypto } from './profile-crypto.js';
import { checkProfileReferences } from './profile-rules.js';
import { buildReferenceSnapshot, type ReferenceSnapshot } from './reference-snapshot.js';
import { profileReadScope, profileWriteScope, viewOf } from './worker-profiles.policy.js';
import * as repo from './worker-profiles.repository.js';
import type { CreateProfileInput, ListProfilesQuery, UpdateProfileInput } from './worker-profiles.schemas.js';

export type { AnonymisedProfile } from './present.js';
export type { WorkerProfile } from './profile.js';

/** What the service needs from the app or the worker. */
export interface ProfileDeps {
  config: Config;
  queues: Queues;
  logger: Logger;
}

export function cryptoOf(deps: Pick<ProfileDeps, 'config'>): ProfileCrypto {
  return profileCrypto(deps.config.security);
}

export function ageBounds(deps: Pick<ProfileDeps, 'config'>): WorkingAgeBounds {
  return deps.config.workerProfiles.workingAge;
}

/** The vocabularies a profile's fields draw on. */
const PROFILE_VOCABULARIES: readonly VocabularyKind[] = [
  'disability_category',
  'disability_level',
  'limitation',
  'assistive_device',
  'accommodation',
  'skill',
  'skill_level',
  'education',
  'language',
  'occupation_group',
  'training_programme',
];

export async function loadReferenceSnapshot(): Promise<ReferenceSnapshot> {
  const vocab = (await Promise.all(PROFILE_VOCABULARIES.map((k) => getVocabulary(k)))).flat();
  return buildReferenceSnapshot(vocab, await listRegions({}));
}

export function invalid(issues: ProblemIssue[]): AppError {
  return new AppError('validation_failed', {
    detail: `字段 ${issues.map((i) => i.path).join(', ')} 不符合要求`,
    detailEn: `Invalid field(s): ${issues.map((i) => i.path).join(', ')}`,
    issues,
  });
}

export const notFound = () =>
  new AppError('not_found', { detail: '人员档案不存在', detailEn: 'No such worker profile' });

export async function publish(
  deps: ProfileDeps,
  p: { id: string; version: number },
  kind: Parameters<typeof publishChange>[2]['kind'],
) {
  await publishChange(deps.queues, deps.logger, {
    entity: 'worker_profile',
    id: p.id,
    version: p.version,
    kind,
  });
}

/** Present one profile for an actor. */
export function presentFor(deps: Pick<ProfileDeps, 'config'>, actor: Actor, p: WorkerProfile) {
  return presentProfile(p, viewOf(actor, p), { bounds: ageBounds(deps) });
}

// ---- create --------------------------------------------------------------------------------

/** The stored content of a validated create body: sex and birth date come from the ID number. */
export function contentOf(input: Omit<CreateProfileInput, 'processingConsent'>): ProfileContent {
  const parsed = parseIdNumber(input.idNumber);
  if (!parsed.ok) throw new RangeError('the ID number was validated before');
  return {
    identity: {
      name: input.name,
      idNumber: parsed.value.idNumber,
      certificateNumber: input.certificateNumber,
      phone: input.phone ?? null,
    },
    sex: parsed.value.sex,
    birthDate: parsed.value.birthDate,
    originCode: input.originCode,
    disabilityCategory: input.disabilityCategory,
    disabilityLevel: input.disabilityLevel,
    functionalLimitations: input.functionalLimitations,
    assistiveDevices: input.assistiveDevices,
    accommodationsNeeded: input.accommodationsNeeded,
    skills: input.skills.map((s) => ({ code: s.code, level: s.level })),
    education: input.education,
    languages: input.languages,
    experience: input.experience,
    preferences: input.preferences,
    guardian: input.guardian ? { ...input.guardian, phone: input.guardian.phone ?? null } : null,
  };
}

/** Only a recipient federation (a 四川 prefecture or county) registers people. */
export function registeringJurisdiction(actor: Actor): string {
  if (actor.orgType !== 'recipient_federation' || !actor.jurisdictionCode)
    throw new AppError('forbidden', {
      detail: '只有受援地（四川）残联可以登记人员',
      detailEn: 'Only a recipient (四川) federation registers people',
    });
  return actor.jurisdictionCode;
}

/**
 * The 409 for a person registered already. Inside the caller's jurisdiction the existing profile
 * is named (the caller may open it anyway); elsewhere nothing says whose or where it is.
 */
export async function duplicateError(actor: Actor, idHash: string): Promise<AppError> {
  const existing = await repo.findByIdHash(idHash);
  const origin = existing?.regionPath.at(-1);
  if (existing && (hasRole(actor, 'admin') || inRegionScope(jurisdictionScope(actor), origin)))
    return new AppError('duplicate', {
      detail: '此人已在本辖区登记',
      detailEn: 'This person is already registered in your jurisdiction',
      extra: { existingId: existing.id },
    });
  await audit.record({
    action: 'worker_profile.duplicate_refused',
    outcome: 'failure',
    resource: { type: 'worker_profile' },
  });
  return new AppError('duplicate', {
    detail: '此人已在其他辖区登记，不能重复登记',
    detailEn: 'A profile of this person exists in another jurisdiction; it cannot be registered twice',
  });
}

export async function createProfile(
  deps: ProfileDeps,
  actor: Actor,
  input: CreateProfileInput,
): Promise<WorkerProfile> {
  const jurisdictionCode = registeringJurisdiction(actor);
  const ref = await loadReferenceSnapshot();
  const issues = checkProfileReferences(input, { ref, jurisdictionCode });
  if (issues.length) throw invalid(issues);

  const crypto = cryptoOf(deps);
  const content = contentOf(input);
  const _id = new Types.ObjectId();
  const id = _id.toHexString();
  const now = new Date();
  // The consent is written first: a profile never claims a consent that has no record.
  const consent = input.processingConsent
    ? await consents.insertConsent(crypto, {
        profileId: id,
        purpose: 'sensitive_processing',
        employerId: null,
        openingId: null,
        dataCategories: [],
        textVersion: input.processingConsent.textVersion,
        channel: input.processingConsent.channel,
        givenAt: input.processingConsent.givenAt ? new Date(input.processingConsent.givenAt) : now,
        givenBy: input.processingConsent.givenBy,
        representative: input.processingConsent.representative ?? null,
        assistedByStaff: input.processingConsent.assistedByStaff,
        recordedBy: actor.userId,
        recordedByOrganizationId: actor.organizationId,
        recordedAt: now,
      })
    : null;
  const doc = repo.newProfileDocument(crypto, _id, content, {
    registeringFederationId: actor.organizationId,
    registeredBy: actor.userId,
    consent: { processing: !!consent, since: consent?.givenAt ?? null },
    now,
  });
  try {
    await repo.insertProfile(doc);
  } catch (err) {
    if (consent) await consents.deleteConsent(consent.id);
    if (repo.isDuplicateKey(err)) throw await duplicateError(actor, doc.idHash);
    throw err;
  }
  await audit.record({
    action: 'worker_profile.create',
    resource: { type: 'worker_profile', id },
    fields: Object.keys(input).filter((k) => k !== 'processingConsent'),
  });
  if (consent)
    await audit.record({
      action: 'consent.record',
      resource: { type: 'consent', id: consent.id },
      reason: 'sensitive_processing',
    });
  await publish(deps, { id, version: 1 }, 'created');
  return repo.decodeProfile(crypto, doc as unknown as Parameters<typeof repo.decodeProfile>[1]);
}

// ---- read ----------------------------------------------------------------------------------

export async function getProfile(deps: ProfileDeps, actor: Actor, id: string): Promise<WorkerProfile> {
  const resource = { type: 'worker_profile', id };
  const profile = await audit.foundOrDenied(
    await repo.findProfile(cryptoOf(deps), id, profileReadScope(actor)),
    { action: 'worker_profile.read', resource },
    notFound,
  );
  await audit.record({ action: 'worker_profile.read', resource });
  return profile;
}

/** People the caller may record a consent for whose processing consent is missing or withdrawn. */
export async function consentsToRecord(actor: Actor): Promise<number> {
  return repo.countWithoutProcessingConsent(profileWriteScope(actor));
}

/** A profile the caller may edit (their federation's jurisdiction), audited as a read; 404 otherwise. */
export async function getProfileForWrite(
  deps: ProfileDeps,
  actor: Actor,
  id: string,
): Promise<WorkerProfile> {
  const resource = { type: 'worker_profile', id };
  const profile = await audit.foundOrDenied(
    await repo.findProfile(cryptoOf(deps), id, profileWriteScope(actor)),
    { action: 'worker_profile.read', resource },
    notFound,
  );
  await audit.record({ action: 'worker_profile.read', resource });
  return profile;
}

/**
 * The person's own profile, for their own page: the caller (the self-service session) has bound
 * `id` to the person; null once the profile is erased.
 */
export async function getProfileOfPerson(deps: Pick<ProfileDeps, 'config'>, id: string) {
  return repo.findProfile(cryptoOf(deps), id, EVERYTHING);
}

export async function listProfilesFor(deps: ProfileDeps, actor: Actor, q: ListProfilesQuery) {
  const page = await repo.listProfiles(
    cryptoOf(deps),
    {
      status: q.status,
      region: q.region,
      skill: q.skill,
      consent: q.consent,
      updatedSince: q.updatedSince ? new Date(q.updatedSince) : undefined,
    },
    profileReadScope(actor),
    { sort: q.sort, cursor: q.cursor, limit: q.limit },
  );
  await audit.record({ action: 'worker_profile.list', resource: { type: 'worker_profile' } });
  return { ...page, items: page.items.map((p) => presentFor(deps, actor, p)) };
}

// ---- update --------------------------------------------------------------------------------

/** The jurisdiction an origin must lie in: the caller's own (staff), the registering federation's (admins). */
async function ruleJurisdiction(actor: Actor, profile: WorkerProfile): Promise<string> {
  if (!hasRole(actor, 'admin') && actor.orgType === 'recipient_federation' && actor.jurisdictionCode)
    return actor.jurisdictionCode;
  const org = await findOrganizationById(profile.registeringFederationId);
  return org?.jurisdictionCode ?? profile.originCode;
}

export async function updateProfile(
  deps: ProfileDeps,
  actor: Actor,
  id: string,
  expectedVersion: number,
  patch: UpdateProfileInput,
): Promise<WorkerProfile> {
  const crypto = cryptoOf(deps);
  const ref = await loadReferenceSnapshot();
  const result = await repo
    .mutateProfile(
      crypto,
      id,
      profileWriteScope(actor),
      async (current) => {
        const identity = {
          idNumber: patch.idNumber ?? current.identity.idNumber,
          certificateNumber: patch.certificateNumber ?? current.identity.certificateNumber,
          disabilityCategory: patch.disabilityCategory ?? current.disabilityCategory,
          disabilityLevel: patch.disabilityLevel ?? current.disabilityLevel,
          sex: patch.sex,
          birthDate: patch.birthDate,
        };
        const issues: ProblemIssue[] = crossCheckIdentity(identity).map((i) => ({
          path: `body.${i.field}`,
          code: i.code,
          message: i.message.en,
        }));
        issues.push(
          ...checkProfileReferences(patch, { ref, jurisdictionCode: await ruleJurisdiction(actor, current) }),
        );
        if (issues.length) throw invalid(issues);

        const content: Partial<ProfileContent> = {};
        const idChange: Partial<ProfileContent['identity']> = {};
        if (patch.name !== undefined) idChange.name = patch.name;
        if (patch.certificateNumber !== undefined) idChange.certificateNumber = patch.certificateNumber;
        if (patch.phone !== undefined) idChange.phone = patch.phone;
        if (patch.idNumber !== undefined) {
          const parsed = parseIdNumber(patch.idNumber);
          if (!parsed.ok) throw new RangeError('the ID number was validated before');
          if (parsed.value.idNumber !== current.identity.idNumber) {
            const holder = await repo.findByIdHash(crypto.hashId(parsed.value.idNumber));
            if (holder && holder.id !== id)
              throw await duplicateError(actor, crypto.hashId(parsed.value.idNumber));
          }
          idChange.idNumber = parsed.value.idNumber;
          content.sex = parsed.value.sex;
          content.birthDate = parsed.value.birthDate;
        }
        if (Object.keys(idChange).length) content.identity = idChange as ProfileContent['identity'];
        for (const key of [
          'disabilityCategory',
          'disabilityLevel',
          'originCode',
          'functionalLimitations',
          'assistiveDevices',
          'accommodationsNeeded',
          'skills',
          'education',
          'languages',
          'experience',
          'preferences',
        ] as const)
          if (patch[key] !== undefined) (content as Record<string, unknown>)[key] = patch[key];
        if (patch.guardian !== undefined)
          content.guardian = patch.guardian
            ? { ...patch.guardian, phone: patch.guardian.phone ?? null }
            : null;
        return { $set: repo.encodeContent(crypto, id, content) };
      },
      { expectedVersion },
    )
    .catch(async (err) => {
      if (repo.isDuplicateKey(err)) throw await duplicateError(actor, crypto.hashId(patch.idNumber ?? ''));
      throw err;
    });
  if (!result) throw notFound();
  await audit.record({
    action: 'worker_profile.update',
    resource: { type: 'worker_profile', id },
    fields: Object.keys(patch),
  });
  await publish(deps, result.after, 'updated');
  return result.after;
}
