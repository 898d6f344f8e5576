import { type Actor, hasRole } from '../../lib/auth/actor.js';
import { definePolicy } from '../../lib/auth/policy.js';
import {
  anyOf,
  jurisdictionScope,
  NOTHING,
  partnershipScope,
  type RegionScope,
  regionScopeFilter,
  type ScopeFilter,
} from '../../lib/auth/scope.js';

/**
 * Reading suggestions (the lists behind the review screen, and the comparison chart). A match
 * carries what the score knows of a person — limitations, needs, skills — so it is read by the
 * people who may read the profile: recipient federation staff in their jurisdiction, reviewers in
 * their partnership scope, admins. Outside that scope a match reads as absent (404).
 *
 * Employers get 403 on all of them (the fit of any pair is a chart too): they must not see suggestions before a reviewer proposed them,
 * and what they see of a proposed person (anonymised until the person consents to share) is the
 * review workflow's proposal view — one place deciding what an employer learns, rather than a
 * second, filtered copy of it here.
 */
export const matchingPolicy = definePolicy({
  resource: 'matching',
  actions: {
    list_for_opening: ['federation_staff', 'reviewer', 'admin'],
    list_for_profile: ['federation_staff', 'reviewer', 'admin'],
    best_openings: ['federation_staff', 'reviewer', 'admin'],
    explain: ['federation_staff', 'reviewer', 'admin'],
    fit: ['federation_staff', 'reviewer', 'admin'],
  },
});

/** The matches a caller may read: by the person's origin, as profiles are (profileReadScope). */
export function matchReadScope(actor: Actor): ScopeFilter {
  return anyOf(
    hasRole(actor, 'federation_staff', 'admin')
      ? regionScopeFilter(jurisdictionScope(actor), 'profileRegionPath')
      : NOTHING,
    hasRole(actor, 'reviewer') ? regionScopeFilter(partnershipScope(actor), 'profileRegionPath') : NOTHING,
  );
}

/** Whether a region scope holds a `regionPath` (what regionScopeFilter asks of the database). */
function covers(scope: RegionScope, path: readonly string[]): boolean {
  if (scope.kind === 'all') return true;
  if (scope.kind === 'none') return false;
  return path.some((code) => scope.codes.includes(code));
}

/**
 * matchReadScope in memory, for a match already read through a wider scope (the review scope lets
 * its employer and a supporting federation at the workplace read it too): whether the caller may
 * see what the score knows of the person beyond its reasons' text.
 */
export function readsMatchDetail(actor: Actor, m: { profileRegionPath: readonly string[] }): boolean {
  return (
    (hasRole(actor, 'federation_staff', 'admin') && covers(jurisdictionScope(actor), m.profileRegionPath)) ||
    (hasRole(actor, 'reviewer') && covers(partnershipScope(actor), m.profileRegionPath))
  );
}
