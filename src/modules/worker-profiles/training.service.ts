import { Types } from 'mongoose';
import { type Actor, hasRole } from '../../lib/auth/actor.js';
import { audit } from '../audit/audit.service.js';
import { findOrganizationById } from '../orgs/orgs.service.js';
import { isWithin, supportersOf } from '../reference/reference.service.js';
import type { TrainingRecord, WorkerProfile } from './profile.js';
import { trainingScope } from './worker-profiles.policy.js';
import * as repo from './worker-profiles.repository.js';
import type { TrainingInput } from './worker-profiles.schemas.js';
import {
  cryptoOf,
  invalid,
  loadReferenceSnapshot,
  notFound,
  type ProfileDeps,
  publish,
} from './worker-profiles.service.js';

/** Training records added to a profile. */

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
