import type { Actor } from '../../lib/auth/actor.js';
import { definePolicy } from '../../lib/auth/policy.js';
import {
  inRegionScope,
  NOTHING,
  partnershipScope,
  type RegionScope,
  regionScopeFilter,
  type ScopeFilter,
} from '../../lib/auth/scope.js';

/**
 * Campaign plans. Reviewers plan for the job seekers of their partnership scope (a supporting
 * city's reviewer: the receiving prefectures paired with it); admins for anyone. A plan is scoped by
 * its origin region: a reviewer sees the plans whose origin lies inside their scope, and a plan of
 * a whole prefecture is not visible to a reviewer scoped to one of its counties (it lists people
 * outside that scope). Anything else answers 404.
 */
const REQUEST_FIELDS = ['people', 'openings', 'options'] as const;

export const plansPolicy = definePolicy({
  resource: 'plans',
  actions: {
    create: ['reviewer', 'admin'],
    list: ['reviewer', 'admin'],
    read: ['reviewer', 'admin'],
    accept: ['reviewer', 'admin'],
  },
  writable: {
    create: { reviewer: REQUEST_FIELDS, admin: REQUEST_FIELDS },
    accept: { reviewer: ['assignments', 'note'], admin: ['assignments', 'note'] },
  },
});

/** The regions a caller plans for. */
export function planRegions(actor: Actor): RegionScope {
  return actor.roles.includes('admin') || actor.roles.includes('reviewer')
    ? partnershipScope(actor)
    : { kind: 'none' };
}

/** Plans the caller may read and accept: origin inside their regions. */
export function planScope(actor: Actor): ScopeFilter {
  const regions = planRegions(actor);
  return regions.kind === 'none' ? NOTHING : regionScopeFilter(regions, 'regionPath');
}

/** Whether the caller may plan for people of `originCode`. */
export function mayPlanFor(actor: Actor, originCode: string): boolean {
  return inRegionScope(planRegions(actor), originCode);
}
