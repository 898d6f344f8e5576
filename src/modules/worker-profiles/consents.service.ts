import { publishChange } from '../../jobs/changes.js';
import type { Actor } from '../../lib/auth/actor.js';
import { EVERYTHING, type ScopeFilter } from '../../lib/auth/scope.js';
import { AppError } from '../../lib/errors.js';
import { audit } from '../audit/audit.service.js';
import { findOrganizationById } from '../orgs/orgs.service.js';
import type { Consent } from './consents.repository.js';
import * as repo from './consents.repository.js';
import type { CONSENT_CHANNELS, ConsentCreateInput, ConsentWithdrawInput } from './consents.schemas.js';

/** What a record states: staff input, or the person's own (channel `self`). */
type AnyChannel = { channel: (typeof CONSENT_CHANNELS)[number] };
type RecordInput =
  | (Omit<Extract<ConsentCreateInput, { purpose: 'sensitive_processing' }>, 'channel'> & AnyChannel)
  | (Omit<Extract<ConsentCreateInput, { purpose: 'share_with_employer' }>, 'channel'> & AnyChannel);
type WithdrawInput = Omit<ConsentWithdrawInput, 'channel'> & AnyChannel;

import { maskName } from './masking.js';
import { profileWriteScope } from './worker-profiles.policy.js';
import * as profiles from './worker-profiles.repository.js';
import { cryptoOf, invalid, type ProfileDeps } from './worker-profiles.service.js';

export type { Consent } from './consents.repository.js';

/** Who records a consent: a member of staff, or another module acting for one. */
export interface RecordedBy {
  userId: string;
  organizationId: string;
}

const notFound = () =>
  new AppError('not_found', { detail: '人员档案不存在', detailEn: 'No such worker profile' });

export function presentConsent(c: Consent) {
  return {
    id: c.id,
    profileId: c.profileId,
    purpose: c.purpose,
    employerId: c.employerId,
    openingId: c.openingId,
    dataCategories: c.dataCategories,
    textVersion: c.textVersion,
    channel: c.channel,
    givenAt: c.givenAt.toISOString(),
    givenBy: c.givenBy,
    representative: c.representative
      ? { relation: c.representative.relation, name: maskName(c.representative.name) }
      : null,
    assistedByStaff: c.assistedByStaff,
    recordedBy: c.recordedBy,
    recordedByOrganizationId: c.recordedByOrganizationId,
    recordedAt: c.recordedAt.toISOString(),
    active: c.withdrawnAt === null,
    withdrawnAt: c.withdrawnAt?.toISOString() ?? null,
    withdrawalReason: c.withdrawalReason,
  };
}

/**
 * Brings the profile's consent flag in line with the consent records and bumps its version, so a
 * `consent` change reaches matching (which withdraws pending matches of a profile that left).
 */
async function syncProfileConsent(deps: ProfileDeps, profileId: string, scope: ScopeFilter) {
  const crypto = cryptoOf(deps);
  const result = await profiles.mutateProfile(crypto, profileId, scope, async () => {
    const active = (await repo.listConsents(crypto, profileId)).filter(
      (c) => c.purpose === 'sensitive_processing' && c.withdrawnAt === null,
    );
    const since = active.length ? new Date(Math.min(...active.map((c) => c.givenAt.getTime()))) : null;
    return { $set: { consent: { processing: active.length > 0, since, changedAt: new Date() } } };
  });
  if (result)
    await publishChange(deps.queues, deps.logger, {
      entity: 'worker_profile',
      id: profileId,
      version: result.after.version,
      kind: 'consent',
    });
  return result;
}

async function checkEmployer(employerId: string): Promise<void> {
  const org = await findOrganizationById(employerId);
  if (org?.type !== 'employer')
    throw invalid([
      { path: 'body.employerId', code: 'unknown_employer', message: 'not an employer organisation' },
    ]);
}

/**
 * Records a consent for a profile the caller may see through `scope`. A share consent needs an
 * active processing consent first; an identical active share consent is returned, not doubled.
 */
async function record(
  deps: ProfileDeps,
  by: RecordedBy,
  profileId: string,
  scope: ScopeFilter,
  input: RecordInput,
): Promise<{ consent: Consent; created: boolean }> {
  const crypto = cryptoOf(deps);
  const profile = await profiles.findProfile(crypto, profileId, scope);
  if (!profile) throw notFound();
  const share = input.purpose === 'share_with_employer' ? input : null;
  if (share) {
    await checkEmployer(share.employerId);
    if (!(await repo.hasActiveProcessingConsent(profileId)))
      throw new AppError('conflict', {
        detail: '须先登记敏感个人信息处理同意，才能登记向用人单位提供的同意',
        detailEn: 'Record the consent to process sensitive data before a consent to share with an employer',
      });
    const existing = await repo.findActiveShareConsent(crypto, profileId, share.employerId, share.openingId);
    if (existing) return { consent: existing, created: false };
  }
  const now = new Date();
  const consent = await repo.insertConsent(crypto, {
    profileId,
    purpose: input.purpose,
    employerId: share?.employerId ?? null,
    openingId: share?.openingId ?? null,
    dataCategories: share?.dataCategories ?? [],
    textVersion: input.textVersion,
    channel: input.channel,
    givenAt: input.givenAt ? new Date(input.givenAt) : now,
    givenBy: input.givenBy,
    representative: input.representative ?? null,
    assistedByStaff: input.assistedByStaff,
    recordedBy: by.userId,
    recordedByOrganizationId: by.organizationId,
    recordedAt: now,
  });
  await audit.record({
    action: 'consent.record',
    resource: { type: 'consent', id: consent.id },
    reason: input.purpose,
    fields: Object.keys(input),
  });
  await syncProfileConsent(deps, profileId, scope);
  return { consent, created: true };
}

export async function recordConsent(
  deps: ProfileDeps,
  actor: Actor,
  profileId: string,
  input: ConsentCreateInput,
) {
  return record(deps, actor, profileId, profileWriteScope(actor), input);
}

/**
 * For the review workflow: records the person's consent (PIPL Art. 23) to provide their data to
 * `employerId` for `openingId`. The caller checks its own scope; the employer must exist and the
 * profile must hold an active processing consent. Idempotent while that consent is active.
 */
export async function recordShareConsent(
  deps: ProfileDeps,
  by: RecordedBy,
  profileId: string,
  employerId: string,
  openingId: string,
  details: Omit<
    Extract<RecordInput, { purpose: 'share_with_employer' }>,
    'purpose' | 'employerId' | 'openingId'
  >,
) {
  return record(deps, by, profileId, EVERYTHING, {
    purpose: 'share_with_employer',
    employerId,
    openingId,
    ...details,
  });
}

/** Whether the profile (not erased) holds an active consent to process sensitive data. */
export async function hasProcessingConsent(profileId: string): Promise<boolean> {
  return repo.hasActiveProcessingConsent(profileId);
}

/**
 * Whether the person consented, and has not withdrawn, to their data going to `employerId` for
 * `openingId` — and still consents to processing at all. Until then an employer sees the
 * anonymised profile only.
 */
export async function hasShareConsent(
  profileId: string,
  employerId: string,
  openingId: string,
): Promise<boolean> {
  const [processing, share] = await Promise.all([
    repo.hasActiveProcessingConsent(profileId),
    repo.hasActiveShareConsent(profileId, employerId, openingId),
  ]);
  return processing && !!share;
}

export async function listConsentsFor(
  deps: ProfileDeps,
  actor: Actor,
  profileId: string,
): Promise<Consent[]> {
  const crypto = cryptoOf(deps);
  await audit.foundOrDenied(
    await profiles.findProfile(crypto, profileId, profileWriteScope(actor)),
    { action: 'consent.list', resource: { type: 'worker_profile', id: profileId } },
    notFound,
  );
  return repo.listConsents(crypto, profileId);
}

/** The person's consents, for their own page (the caller has bound `profileId` to the person). */
export async function listConsentsOfPerson(deps: ProfileDeps, profileId: string): Promise<Consent[]> {
  return repo.listConsents(cryptoOf(deps), profileId);
}

/**
 * Withdrawal takes effect at once. Withdrawing the processing consent withdraws every processing
 * consent of the person and every consent to share (nothing may be shared of data no longer
 * processed); the profile leaves matching and a `consent` change is published.
 */
export async function withdrawConsent(
  deps: ProfileDeps,
  actor: Actor,
  profileId: string,
  consentId: string,
  input: ConsentWithdrawInput,
): Promise<Consent> {
  return withdraw(deps, actor.userId, profileWriteScope(actor), profileId, consentId, input);
}

/**
 * For the person's own page: the same withdrawal as staff record, by the person (or their
 * guardian / supporter). The caller has established that `profileId` is the person's own.
 */
export async function withdrawConsentForPerson(
  deps: ProfileDeps,
  by: string,
  profileId: string,
  consentId: string,
  input: WithdrawInput,
): Promise<Consent> {
  return withdraw(deps, by, EVERYTHING, profileId, consentId, input);
}

async function withdraw(
  deps: ProfileDeps,
  by: string,
  scope: ScopeFilter,
  profileId: string,
  consentId: string,
  input: WithdrawInput,
): Promise<Consent> {
  const crypto = cryptoOf(deps);
  if (!(await profiles.findProfile(crypto, profileId, scope))) throw notFound();
  const consent = await repo.findConsent(crypto, profileId, consentId);
  if (!consent) throw new AppError('not_found', { detail: '同意记录不存在', detailEn: 'No such consent' });
  if (consent.withdrawnAt)
    throw new AppError('illegal_transition', {
      detail: '该同意已撤回',
      detailEn: 'This consent was withdrawn already',
      extra: { withdrawnAt: consent.withdrawnAt.toISOString() },
    });
  const w = { at: new Date(), reason: input.reason, channel: input.channel, by };
  if (consent.purpose === 'sensitive_processing') await repo.withdrawConsents({ profileId }, w);
  else await repo.withdrawConsents({ profileId, id: consentId }, w);
  await audit.record({
    action: 'consent.withdraw',
    resource: { type: 'consent', id: consentId },
    reason: consent.purpose,
  });
  await syncProfileConsent(deps, profileId, scope);
  return (await repo.findConsent(crypto, profileId, consentId))!;
}
