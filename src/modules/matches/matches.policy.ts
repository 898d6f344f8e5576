import { type Actor, hasRole } from '../../lib/auth/actor.js';
import { definePolicy } from '../../lib/auth/policy.js';
import {
  anyOf,
  EVERYTHING,
  jurisdictionScope,
  NOTHING,
  partnershipScope,
  regionScopeFilter,
  type ScopeFilter,
} from '../../lib/auth/scope.js';
import { ACTIONS, EMPLOYER_VISIBLE, type HumanAction } from './machine.js';

/**
 * Matches in review. Roles per transition come from the state machine (machine.ts), so the route
 * guard and the machine cannot disagree. Visibility:
 * - reviewers: matches of people in their partnership scope (凉山's reviewer never sees 甘孜);
 * - federation staff: a recipient federation the people of its jurisdiction, a supporting
 *   federation the matches at workplaces in its city (it follows them up there);
 * - employers: their own organisation's matches, and only from the proposal on;
 * - admins: all. Anything else answers 404.
 */
const rolesOf = (a: HumanAction) => ACTIONS[a].roles;

export const matchesPolicy = definePolicy({
  resource: 'matches',
  actions: {
    queue: ['reviewer', 'admin'],
    read: ['reviewer', 'federation_staff', 'employer', 'admin'],
    reasons: ['reviewer', 'federation_staff', 'employer', 'admin'],
    proposals: ['employer'],
    approve: rolesOf('approve'),
    reject: rolesOf('reject'),
    propose: rolesOf('propose'),
    interested: rolesOf('interested'),
    decline: rolesOf('decline'),
    interview: rolesOf('interview'),
    hire: rolesOf('hire'),
    withdraw: rolesOf('withdraw'),
  },
  writable: {
    approve: { reviewer: ['note'], admin: ['note'] },
    reject: { reviewer: ['reasonCode', 'note'], admin: ['reasonCode', 'note'] },
    propose: { reviewer: ['note'] },
    interested: { employer: ['note'], admin: ['note'] },
    decline: { employer: ['reasonCode', 'note'], admin: ['reasonCode', 'note'] },
    interview: {
      employer: ['at', 'mode', 'note'],
      reviewer: ['at', 'mode', 'note'],
      admin: ['at', 'mode', 'note'],
    },
    hire: {
      employer: ['contractStart', 'contractEnd', 'monthlyWage', 'socialInsurance', 'note'],
      reviewer: ['contractStart', 'contractEnd', 'monthlyWage', 'socialInsurance', 'note'],
      admin: ['contractStart', 'contractEnd', 'monthlyWage', 'socialInsurance', 'note'],
    },
    withdraw: {
      federation_staff: ['reasonCode', 'note'],
      reviewer: ['reasonCode', 'note'],
      admin: ['reasonCode', 'note'],
    },
  },
});

/** Federation staff: the people of a recipient jurisdiction, or the workplaces of a supporting city. */
export function federationScope(actor: Actor, profileField: string, workplaceField: string): ScopeFilter {
  if (!hasRole(actor, 'federation_staff') || !actor.jurisdictionCode) return NOTHING;
  if (actor.orgType === 'recipient_federation')
    return regionScopeFilter(jurisdictionScope(actor), profileField);
  if (actor.orgType === 'supporting_federation') return { [workplaceField]: actor.jurisdictionCode };
  return NOTHING;
}

/** Matches `actor` may see (pure). */
export function matchScope(actor: Actor): ScopeFilter {
  if (hasRole(actor, 'admin')) return EVERYTHING;
  return anyOf(
    hasRole(actor, 'reviewer') ? regionScopeFilter(partnershipScope(actor), 'profileRegionPath') : NOTHING,
    federationScope(actor, 'profileRegionPath', 'openingRegionPath'),
    hasRole(actor, 'employer') && actor.orgType === 'employer'
      ? { employerId: actor.organizationId, status: { $in: [...EMPLOYER_VISIBLE] } }
      : NOTHING,
  );
}

/** The reviewer queue's scope: the partnership scope only (admins: all). */
export function queueScope(actor: Actor): ScopeFilter {
  if (hasRole(actor, 'admin')) return EVERYTHING;
  return hasRole(actor, 'reviewer')
    ? regionScopeFilter(partnershipScope(actor), 'profileRegionPath')
    : NOTHING;
}
