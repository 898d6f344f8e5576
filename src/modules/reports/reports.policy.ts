import { type Actor, hasRole } from '../../lib/auth/actor.js';
import { definePolicy } from '../../lib/auth/policy.js';
import {
  anyOf,
  NOTHING,
  partnershipScope,
  regionScopeFilter,
  type ScopeFilter,
} from '../../lib/auth/scope.js';
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
    // A snapshot reads every profile and match: asked for by those who run the programme.
    refresh_fairness: ['federation_staff', 'admin'],
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
