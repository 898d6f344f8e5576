import type { Actor } from '../../lib/auth/actor.js';
import { audit } from '../audit/audit.service.js';
import { revealIdentity } from './present.js';
import { profileWriteScope } from './worker-profiles.policy.js';
import * as repo from './worker-profiles.repository.js';
import type { REVEAL_REASONS, RevealableField } from './worker-profiles.schemas.js';
import { REVEALABLE_FIELDS } from './worker-profiles.schemas.js';
import { cryptoOf, notFound, type ProfileDeps } from './worker-profiles.service.js';

/** Revealing a masked field, with a reason, audited. */

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
