import { type Actor, hasRole } from '../../lib/auth/actor.js';
import { definePolicy } from '../../lib/auth/policy.js';
import {
  anyOf,
  EVERYTHING,
  NOTHING,
  partnershipScope,
  regionScopeFilter,
  type ScopeFilter,
} from '../../lib/auth/scope.js';
import { federationScope } from '../matches/matches.policy.js';
import { profileReadScope } from '../worker-profiles/worker-profiles.policy.js';

/**
 * Reports: counts, never people. Federations, reviewers and admins, each over what they may read;
 * staff of a supporting federation also count the people of their partnership's receiving regions
 * (DESIGN §1: they see the statistics of their partnership, no personal data). Employers have no
 * report here (their quota credit needs placements).
 */
export const reportsPolicy = definePolicy({
  resource: 'reports',
  actions: {
    profiles: ['federation_staff', 'reviewer', 'admin'],
    export_profiles: ['federation_staff', 'reviewer', 'admin'],
    fairness: ['federation_staff', 'reviewer', 'admin'],
    export_fairness: ['federation_staff', 'reviewer', 'admin'],
    placements: ['federation_staff', 'reviewer', 'admin'],
    export_placements: ['federation_staff', 'reviewer', 'admin'],
    read_target: ['federation_staff', 'admin'],
    set_target: ['federation_staff', 'admin'],
    // A snapshot reads every profile and match: asked for by those who run the programme.
    refresh_fairness: ['federation_staff', 'admin'],
  },
  writable: {
    // Federation staff set their own organisation's target; admins name the organisation.
    set_target: { federation_staff: ['target'], admin: ['target', 'organizationId'] },
  },
});

/** Profiles a report may count for this caller (a filter on `regionPath`). */
export function profileReportScope(actor: Actor): ScopeFilter {
  const supporting =
    hasRole(actor, 'federation_staff') && actor.orgType === 'supporting_federation'
      ? regionScopeFilter(partnershipScope(actor))
      : NOTHING;
  return anyOf(profileReadScope(actor), supporting);
}

/**
 * Placements and matches a placement report may count (a filter on `profileRegionPath` /
 * `openingRegionPath`, which both collections carry): a recipient federation the people of its
 * jurisdiction; a supporting federation the workplaces in its region (its employers' hires,
 * whichever region the people come from) — the same records its staff can open one by one
 * (`placementScope`), so every figure can be followed down to records; reviewers the people of
 * their partnership scope; admins everything.
 */
export function placementReportScope(actor: Actor): ScopeFilter {
  if (hasRole(actor, 'admin')) return EVERYTHING;
  return anyOf(
    hasRole(actor, 'reviewer') ? regionScopeFilter(partnershipScope(actor), 'profileRegionPath') : NOTHING,
    federationScope(actor, 'profileRegionPath', 'openingRegionPath'),
  );
}
