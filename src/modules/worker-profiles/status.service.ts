import type { Actor } from '../../lib/auth/actor.js';
import { EVERYTHING } from '../../lib/auth/scope.js';
import { AppError } from '../../lib/errors.js';
import { audit } from '../audit/audit.service.js';
import type { WorkerProfile } from './profile.js';
import { type DeactivationReason, nextStatus, type StatusAction } from './status.js';
import { profileWriteScope } from './worker-profiles.policy.js';
import * as repo from './worker-profiles.repository.js';
import { cryptoOf, invalid, notFound, type ProfileDeps, publish } from './worker-profiles.service.js';

/** Status changes of a profile: by staff (the route) and by the system (matches moving on). */

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
