import { Types } from 'mongoose';
import type { Actor } from '../../lib/auth/actor.js';
import { AppError } from '../../lib/errors.js';
import { audit } from '../audit/audit.service.js';
import * as consents from './consents.repository.js';
import type { WorkerProfile } from './profile.js';
import { profileWriteScope } from './worker-profiles.policy.js';
import * as repo from './worker-profiles.repository.js';
import type { ERASURE_REASONS } from './worker-profiles.schemas.js';
import { cryptoOf, notFound, type ProfileDeps, publish } from './worker-profiles.service.js';

/** Erasure: personal data removed, statistical remains kept. */

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
