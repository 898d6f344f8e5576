import { type OpeningsDeps, published } from './openings.deps.js';
import {
  changeStatusIfVersion,
  findOpeningById,
  givePlaceBack,
  type Opening,
  takePlace,
} from './openings.repository.js';
import { statusForHires } from './openings.status.js';

/** Hires against the headcount (used by the review workflow). */

/**
 * Takes one place of the opening's headcount for a hire: the place number (`filled` after it), or
 * undefined when every place is taken (or the opening is gone). Exact under concurrency (one
 * conditional `$inc`). Moves the opening to `filled` when it was the last place.
 */
export async function claimHeadcountSlot(openingId: string, deps: OpeningsDeps): Promise<number | undefined> {
  const taken = await takePlace(openingId);
  if (!taken) return undefined;
  await published(deps, taken, 'updated');
  await markFilledIfFull(openingId, deps);
  return taken.filled;
}

/** Gives a place back (a hire undone) and reopens the opening when it was filled. */
export async function releaseHeadcountSlot(openingId: string, deps: OpeningsDeps): Promise<void> {
  const freed = await givePlaceBack(openingId);
  if (freed) await published(deps, freed, 'updated');
  await markFilledIfFull(openingId, deps);
}

/**
 * Follows the hires with the status: open/paused → filled when full, filled → open when a place
 * came free. Idempotent; safe to call from any process at any time. A lost race (the opening moved
 * meanwhile: another hire, an employer action) is judged again on what is there now. Returns the
 * opening as it is afterwards (null when it is gone).
 */
export async function markFilledIfFull(openingId: string, deps: OpeningsDeps): Promise<Opening | null> {
  for (let attempt = 0; attempt < 8; attempt++) {
    const current = await findOpeningById(openingId);
    if (!current) return null;
    const status = statusForHires(current.status, current.filled, current.headcount);
    if (status === current.status) return current;
    const updated = await changeStatusIfVersion(
      openingId,
      current.version,
      {},
      {
        from: current.status,
        to: status,
        action: status === 'filled' ? 'fill' : 'reopen',
        at: new Date(),
        by: 'system',
      },
    );
    if (updated) {
      await published(deps, updated, 'status');
      return updated;
    }
  }
  return findOpeningById(openingId);
}
