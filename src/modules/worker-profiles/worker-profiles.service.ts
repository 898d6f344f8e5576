import { Types } from 'mongoose';
import type { Config } from '../../config.js';
import { publishChange } from '../../jobs/changes.js';
import type { Queues } from '../../jobs/queues.js';
import { type Actor, hasRole } from '../../lib/auth/actor.js';
import { EVERYTHING, inRegionScope, jurisdictionScope } from '../../lib/auth/scope.js';
import { AppError, type ProblemIssue } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import type { WorkerProfileSearchDocument } from '../../lib/search/indexes.js';
import { audit } from '../audit/audit.service.js';
import { findOrganizationById } from '../orgs/orgs.service.js';
import {
  getVocabulary,
  isWithin,
  listRegions,
  supportersOf,
  type VocabularyKind,
} from '../reference/reference.service.js';
import * as consents from './consents.repository.js';
import { matchingEligibility, workingAgeBirthDates } from './eligibility.js';
import { ageOn, crossCheckIdentity, parseIdNumber, type Sex, type WorkingAgeBounds } from './identity.js';
import { maskName } from './masking.js';
import { anonymisedProfile, presentProfile, revealIdentity } from './present.js';
import type { ProfileContent, TrainingRecord, WorkerProfile } from './profile.js';
import { type ProfileCrypto, profileCrypto } from './profile-crypto.js';
import { checkProfileReferences } from './profile-rules.js';
import { buildReferenceSnapshot, type ReferenceSnapshot } from './reference-snapshot.js';
import { type DeactivationReason, nextStatus, type StatusAction } from './status.js';
import {
  profileReadScope,
  profileVisibleTo,
  profileWriteScope,
  trainingScope,
  viewOf,
} from './worker-profiles.policy.js';
import * as repo from './worker-profiles.repository.js';
import type {
  CreateProfileInput,
  ERASURE_REASONS,
  ListProfilesQuery,
  REVEAL_REASONS,
  RevealableField,
  TrainingInput,
  UpdateProfileInput,
} from './worker-profiles.schemas.js';
import { REVEALABLE_FIELDS } from './worker-profiles.schemas.js';
import {
  type ProfileSearchContext,
  type SearchableProfile,
  toSearchDocument as toProfileSearchDocument,
} from './worker-profiles.search.js';

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

const notFound = () =>
  new AppError('not_found', { detail: '人员档案不存在', detailEn: 'No such worker profile' });

async function publish(
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

// ---- status --------------------------------------------------------------------------------

function statusMutation(action: StatusAction, reason: DeactivationReason | null | undefined) {
  return (current: WorkerProfile): repo.Mutation => {
    const next = nextStatus(current.status, action, reason);
    if (!next.ok && next.code === 'reason_required')
      throw invalid([
        { path: 'body.reason', code: 'reason_required', message: 'a reason is required to deactivate' },
      ]);
    if (!next.ok)
      throw new AppError('illegal_transition', {
        detail: `当前状态（${current.status}）下不能执行 ${action}`,
        detailEn: `${action} is not allowed while the profile is ${current.status}`,
        extra: { currentStatus: current.status, allowedActions: next.allowed },
      });
    return {
      $set: {
        status: next.to,
        statusReason: action === 'deactivate' ? (reason ?? null) : null,
        statusChangedAt: new Date(),
      },
    };
  };
}

/** A status action by a member of staff (their write scope applies); If-Match optional. */
export async function changeProfileStatus(
  deps: ProfileDeps,
  actor: Actor,
  id: string,
  body: { action: StatusAction; reason?: DeactivationReason },
  expectedVersion?: number,
): Promise<WorkerProfile> {
  const result = await repo.mutateProfile(
    cryptoOf(deps),
    id,
    profileWriteScope(actor),
    statusMutation(body.action, body.reason),
    { expectedVersion },
  );
  if (!result) throw notFound();
  await audit.record({
    action: 'worker_profile.status',
    resource: { type: 'worker_profile', id },
    fields: ['status'],
    reason: body.action,
  });
  await publish(deps, result.after, 'status');
  return result.after;
}

/**
 * For other modules (review, placements): moves a profile through its lifecycle, exactly once per
 * version, without a scope (the caller applied its own). Throws 409 `illegal_transition` when the
 * action does not apply to the current status.
 */
export async function transitionProfileStatus(
  deps: ProfileDeps,
  id: string,
  action: StatusAction,
  options: { reason?: DeactivationReason } = {},
): Promise<{ status: WorkerProfile['status']; version: number }> {
  const result = await repo.mutateProfile(
    cryptoOf(deps),
    id,
    EVERYTHING,
    statusMutation(action, options.reason),
  );
  if (!result) throw notFound();
  await audit.record({
    action: 'worker_profile.status',
    resource: { type: 'worker_profile', id },
    fields: ['status'],
    reason: action,
  });
  await publish(deps, result.after, 'status');
  return { status: result.after.status, version: result.after.version };
}

// ---- reveal --------------------------------------------------------------------------------

export async function revealProfile(
  deps: ProfileDeps,
  actor: Actor,
  id: string,
  reason: (typeof REVEAL_REASONS)[number],
  fields: readonly RevealableField[] = REVEALABLE_FIELDS,
) {
  const profile = await audit.foundOrDenied(
    await repo.findProfile(cryptoOf(deps), id, profileWriteScope(actor)),
    { action: 'worker_profile.reveal', resource: { type: 'worker_profile', id }, fields },
    notFound,
  );
  // Audited before anything is returned: a reveal whose record cannot be written does not happen.
  await audit.record({
    action: 'worker_profile.reveal',
    resource: { type: 'worker_profile', id },
    fields,
    reason,
  });
  return revealIdentity(profile, fields);
}

// ---- training ------------------------------------------------------------------------------

/**
 * Adds a training record. A supporting federation records training it delivered to a person of
 * its partnership (and is its provider); a recipient federation records any training, and marks
 * it as under the partnership when the provider is a supporting federation paired with the origin.
 */
export async function addTrainingRecord(
  deps: ProfileDeps,
  actor: Actor,
  id: string,
  input: TrainingInput,
): Promise<{ profile: WorkerProfile; record: TrainingRecord }> {
  const ref = await loadReferenceSnapshot();
  const issues = ref.hasCode('training_programme', input.programmeCode)
    ? []
    : [{ path: 'body.programmeCode', code: 'unknown_code', message: 'unknown training_programme code' }];
  const supporting = actor.orgType === 'supporting_federation' && !hasRole(actor, 'admin');
  if (supporting && input.providerOrganizationId && input.providerOrganizationId !== actor.organizationId)
    issues.push({
      path: 'body.providerOrganizationId',
      code: 'provider_not_own_organization',
      message: 'a supporting federation records training it delivered itself',
    });
  const providerId = supporting ? actor.organizationId : (input.providerOrganizationId ?? null);
  const provider = providerId ? await findOrganizationById(providerId) : null;
  if (providerId && !provider)
    issues.push({
      path: 'body.providerOrganizationId',
      code: 'unknown_organization',
      message: 'no such organisation',
    });
  if (issues.length) throw invalid(issues);

  const crypto = cryptoOf(deps);
  const record: TrainingRecord = {
    id: new Types.ObjectId().toHexString(),
    programmeCode: input.programmeCode,
    providerName: input.providerName,
    providerOrganizationId: providerId,
    startDate: input.startDate,
    endDate: input.endDate,
    hours: input.hours,
    certificateNumber: input.certificateNumber ?? null,
    certificateLevel: input.certificateLevel ?? null,
    addedByOrganizationId: actor.organizationId,
    addedByUserId: actor.userId,
    underPartnership: false,
    source: 'api',
    addedAt: new Date(),
  };
  const result = await repo.mutateProfile(crypto, id, trainingScope(actor), async (current) => {
    if (provider?.type === 'supporting_federation' && provider.jurisdictionCode) {
      const pairs = await supportersOf(current.originCode);
      record.underPartnership = pairs.some((p) => isWithin(provider.jurisdictionCode!, p.supportingCode));
    }
    if (current.training.length >= 100)
      throw invalid([
        { path: 'body', code: 'too_many_training_records', message: 'at most 100 training records' },
      ]);
    return { $set: repo.encodeTraining(crypto, id, [...current.training, record]) };
  });
  if (!result) throw notFound();
  await audit.record({
    action: 'worker_profile.training_add',
    resource: { type: 'worker_profile', id },
    fields: Object.keys(input).map((k) => `training.${k}`),
  });
  await publish(deps, result.after, 'updated');
  return { profile: result.after, record };
}

// ---- erasure -------------------------------------------------------------------------------

/** Fields whose content erasure removes, named in the audit entry (names only, never values). */
const ERASED_FIELDS = [
  'identity.name',
  'identity.idNumber',
  'identity.certificateNumber',
  'identity.phone',
  'idHash',
  'sex',
  'birthDate',
  'guardian',
  'functionalLimitations',
  'assistiveDevices',
  'accommodationsNeeded',
  'skills',
  'education',
  'languages',
  'experience',
  'preferences',
  'training.certificateNumber',
  'training.providerName',
  'consents.representative',
];

/**
 * The anonymous remains of an erased profile (pure): what federation statistics count — category,
 * level, region, outcome, training delivered — and nothing that identifies the person.
 */
export function remainsOf(p: WorkerProfile, reason: string, now: Date): Record<string, unknown> {
  return {
    _id: new Types.ObjectId(p.id),
    // The unique index needs a value; this one can never equal an HMAC (hex only).
    idHash: `erased-${p.id}`,
    erased: true,
    erasedAt: now,
    erasureReason: reason,
    originCode: p.originCode,
    regionPath: p.regionPath,
    registeringFederationId: p.registeringFederationId,
    disabilityCategory: p.disabilityCategory,
    disabilityLevel: p.disabilityLevel,
    status: p.status,
    statusChangedAt: p.statusChangedAt,
    training: p.training.map((t) => ({
      id: t.id,
      programmeCode: t.programmeCode,
      providerOrganizationId: t.providerOrganizationId,
      hours: t.hours,
      endDate: t.endDate?.slice(0, 7) ?? null,
      underPartnership: t.underPartnership,
    })),
    consent: { processing: false, since: null },
    createdAt: p.createdAt,
    updatedAt: now,
  };
}

export async function eraseProfile(
  deps: ProfileDeps,
  actor: Actor,
  id: string,
  reason: (typeof ERASURE_REASONS)[number],
): Promise<void> {
  const crypto = cryptoOf(deps);
  const scope = profileWriteScope(actor);
  let version: number | null = null;
  for (let attempt = 0; attempt < 8 && version === null; attempt++) {
    const current = await repo.findProfile(crypto, id, scope);
    if (!current) throw notFound();
    version = await repo.replaceWithRemains(
      id,
      current.version,
      scope,
      remainsOf(current, reason, new Date()),
    );
  }
  if (version === null)
    throw new AppError('conflict', {
      detail: '记录正被修改，请稍后重试',
      detailEn: 'The record is being changed; try again',
    });
  await consents.eraseConsentsOf(id, new Date());
  await audit.record({
    action: 'worker_profile.erase',
    resource: { type: 'worker_profile', id },
    fields: ERASED_FIELDS,
    reason,
  });
  await publish(deps, { id, version }, 'erased');
}

// ---- for other modules ---------------------------------------------------------------------

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

// ---- the search projection (indexing and search; see src/modules/search) -------------------------

async function profileSearchContext(): Promise<ProfileSearchContext> {
  const [regions, ...vocab] = await Promise.all([
    listRegions({}),
    getVocabulary('skill'),
    getVocabulary('training_programme'),
    getVocabulary('limitation'),
    getVocabulary('accommodation'),
  ]);
  const regionNames = new Map(regions.map((r) => [r.code, r.zh]));
  const labels = new Map(vocab.flat().map((v) => [`${v.kind}.${v.code}`, v]));
  return {
    regionName: (code) => regionNames.get(code),
    label: (kind, code) => labels.get(`${kind}.${code}`),
  };
}

export interface ProfileSearchEntry {
  id: string;
  version: number;
  /** Null: must not be in the index (erased). */
  document: WorkerProfileSearchDocument | null;
}

async function searchEntries(list: readonly SearchableProfile[]): Promise<ProfileSearchEntry[]> {
  if (list.length === 0) return [];
  const ctx = await profileSearchContext();
  return list.map((p) => ({ id: p.id, version: p.version, document: toProfileSearchDocument(p, ctx) }));
}

/** Search entries of profiles changed at or after `since` (all when undefined), `batchSize` at a time. */
export async function* profileSearchEntriesSince(
  since: Date | undefined,
  batchSize: number,
): AsyncGenerator<ProfileSearchEntry[]> {
  for await (const batch of repo.streamSearchable(since, batchSize)) yield searchEntries(batch);
}

/** Search entries of `ids` (those that exist, erased remains included). */
export async function profileSearchEntries(ids: readonly string[]): Promise<ProfileSearchEntry[]> {
  return searchEntries(await repo.findSearchable(ids));
}

/** Current versions of `ids` (absent: gone). */
export async function profileVersions(ids: readonly string[]): Promise<Map<string, number>> {
  return new Map((await repo.findSearchable(ids)).map((p) => [p.id, p.version]));
}

/** How many profiles the search index should hold (live ones). */
export async function countSearchableProfiles(): Promise<number> {
  return repo.countLiveProfiles();
}

/** Which of `ids` `actor` may read now, according to MongoDB (the check of a search page). */
export async function visibleProfileIds(actor: Actor, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const found = await repo.findSearchable(ids);
  return new Set(found.filter((p) => profileVisibleTo(actor, p)).map((p) => p.id));
}

/** How a person appears in a list another module shows (plans): masked, never a number. */
export interface ProfileDisplay {
  id: string;
  /** Masked (surname kept), for every role that may see the person at all. */
  name: string;
  sex: Sex;
  age: number;
  originCode: string;
  status: string;
}

/** A stored row as a list shows it: the name masked, the age on `now`. */
function toDisplay(r: repo.DisplayFields, now: Date): ProfileDisplay {
  return {
    id: r.id,
    name: maskName(r.name),
    sex: r.sex,
    age: ageOn(r.birthDate, now),
    originCode: r.originCode,
    status: r.status,
  };
}

/**
 * Display fields of `ids` whose origin lies under `region`, as far as `actor` may read them
 * (profiles outside the read scope, erased or gone are simply absent). One query over the region.
 */
export async function profileDisplays(
  deps: Pick<ProfileDeps, 'config'>,
  actor: Actor,
  region: string,
  ids: readonly string[],
): Promise<Map<string, ProfileDisplay>> {
  const wanted = new Set(ids);
  if (wanted.size === 0) return new Map();
  const rows = await repo.findDisplayFields(cryptoOf(deps), region, profileReadScope(actor), (id) =>
    wanted.has(id),
  );
  const now = new Date();
  return new Map(rows.map((r) => [r.id, toDisplay(r, now)]));
}

/**
 * The same for a few people named by id (a transfer batch's members): one query by id, so it costs
 * the same whatever the size of their county. Absent as above when `actor` may not read them.
 */
export async function profileDisplaysByIds(
  deps: Pick<ProfileDeps, 'config'>,
  actor: Actor,
  ids: readonly string[],
): Promise<Map<string, ProfileDisplay>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await repo.findDisplayFieldsByIds(cryptoOf(deps), unique, profileReadScope(actor));
  const now = new Date();
  return new Map(rows.map((r) => [r.id, toDisplay(r, now)]));
}
