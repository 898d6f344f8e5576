import type { Config } from '../../config.js';
import type { Queues } from '../../jobs/queues.js';
import { AppError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import { getProfileForMatching } from '../worker-profiles/for-other-modules.service.js';
import type { ProfileStatus } from '../worker-profiles/status.js';
import { transitionProfileStatus } from '../worker-profiles/status.service.js';
import { EMPLOYED, IN_PROCESS } from './machine.js';
import { matchesOfProfile } from './matches.repository.js';

type Deps = { config: Config; logger: Logger; queues: Queues };

/** The status a person's matches call for (pure): employed through one → placed, in one → in process. */
export function profileStatusFor(statuses: readonly string[]): 'placed' | 'in_process' | 'available' {
  if (statuses.some((s) => (EMPLOYED as readonly string[]).includes(s))) return 'placed';
  if (statuses.some((s) => (IN_PROCESS as readonly string[]).includes(s))) return 'in_process';
  return 'available';
}

const PATH: Partial<
  Record<
    ProfileStatus,
    Partial<Record<ProfileStatus, ('start_process' | 'return_to_pool' | 'place' | 'end_placement')[]>>
  >
> = {
  available: { in_process: ['start_process'], placed: ['place'] },
  in_process: { available: ['return_to_pool'], placed: ['place'] },
  placed: { available: ['end_placement'], in_process: ['end_placement', 'start_process'] },
};

/**
 * Brings the person's lifecycle status (worker-profiles) in line with their matches after a
 * transition. Inactive or erased people are left alone. Best effort: a concurrent change of the
 * profile is logged and caught up by the next transition.
 */
export async function syncProfileStatus(deps: Deps, profileId: string): Promise<void> {
  try {
    await syncProfileStatusOrThrow(deps, profileId);
  } catch (err) {
    if (err instanceof AppError || err instanceof Error)
      deps.logger.warn({ profileId, err: err.message }, 'profile status not synchronised with its matches');
  }
}

/** The same, failing loudly: the `matches.sync-profile-status` job is retried on a failure. */
export async function syncProfileStatusOrThrow(deps: Deps, profileId: string): Promise<void> {
  const profile = await getProfileForMatching(deps, profileId);
  if (!profile) return;
  const matches = await matchesOfProfile(profileId, [...IN_PROCESS, ...EMPLOYED]);
  const want = profileStatusFor(matches.map((m) => m.status));
  for (const action of PATH[profile.status]?.[want] ?? [])
    await transitionProfileStatus(deps, profileId, action);
}
