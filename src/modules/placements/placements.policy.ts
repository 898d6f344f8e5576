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
import { isWithin } from '../../lib/regions.js';
import { federationScope } from '../matches/matches.policy.js';

/**
 * Placements, follow-ups, transfer batches and quota credit.
 * - Placements: federations (the job seeker's, and the supporting city of the workplace), reviewers in
 *   partnership scope, the employer of the placement, admins. Ending one: the job seeker's federation,
 *   the employer, admins.
 * - Follow-ups are the federations' tasks.
 * - Transfer batches: recipient federations organise the travel of their people (write), the
 *   supporting federation of the destination city reads them; admins all.
 * - Quota: the employer itself, the supporting federation of its city, a recipient federation
 *   whose people it employs, and admins; the paper
 *   employment flag is shown to federations and admins only.
 */
const FOLLOW_UP_FIELDS = [
  'visitedOn',
  'stillEmployed',
  'wagePaidOnTime',
  'accommodationWorking',
  'dormitory',
  'riskFlags',
  'notes',
] as const;
const BATCH_FIELDS = [
  'originCode',
  'employerId',
  'destinationCode',
  'travelDate',
  'transport',
  'escorts',
  'groupLeader',
  'placementIds',
  'matchIds',
  'note',
] as const;

export const placementsPolicy = definePolicy({
  resource: 'placements',
  actions: {
    list: ['federation_staff', 'reviewer', 'employer', 'admin'],
    read: ['federation_staff', 'reviewer', 'employer', 'admin'],
    end: ['federation_staff', 'employer', 'admin'],
    list_follow_ups: ['federation_staff', 'admin'],
    record_follow_up: ['federation_staff', 'admin'],
    quota: ['employer', 'federation_staff', 'admin'],
  },
  writable: {
    end: {
      federation_staff: ['endedOn', 'reasonCode', 'note'],
      employer: ['endedOn', 'reasonCode', 'note'],
      admin: ['endedOn', 'reasonCode', 'note'],
    },
    record_follow_up: { federation_staff: FOLLOW_UP_FIELDS, admin: FOLLOW_UP_FIELDS },
  },
});

export const transferBatchesPolicy = definePolicy({
  resource: 'transfer_batches',
  actions: {
    list: ['federation_staff', 'admin'],
    read: ['federation_staff', 'admin'],
    roster: ['federation_staff', 'admin'],
    candidates: ['federation_staff', 'admin'],
    create: ['federation_staff', 'admin'],
    update: ['federation_staff', 'admin'],
    delete: ['federation_staff', 'admin'],
  },
  writable: {
    create: { federation_staff: BATCH_FIELDS, admin: BATCH_FIELDS },
    update: {
      federation_staff: BATCH_FIELDS.filter((f) => f !== 'originCode' && f !== 'employerId'),
      admin: BATCH_FIELDS.filter((f) => f !== 'originCode' && f !== 'employerId'),
    },
  },
});

export function placementScope(actor: Actor): ScopeFilter {
  if (hasRole(actor, 'admin')) return EVERYTHING;
  return anyOf(
    hasRole(actor, 'reviewer') ? regionScopeFilter(partnershipScope(actor), 'profileRegionPath') : NOTHING,
    federationScope(actor, 'profileRegionPath', 'openingRegionPath'),
    hasRole(actor, 'employer') && actor.orgType === 'employer'
      ? { employerId: actor.organizationId }
      : NOTHING,
  );
}

/** Follow-up tasks: the federations' part of the placement scope. */
export function followUpScope(actor: Actor): ScopeFilter {
  if (hasRole(actor, 'admin')) return EVERYTHING;
  return federationScope(actor, 'profileRegionPath', 'openingRegionPath');
}

/** Ending a placement: the job seeker's (recipient) federation, the employer, admins. */
export function placementEndScope(actor: Actor): ScopeFilter {
  if (hasRole(actor, 'admin')) return EVERYTHING;
  return anyOf(
    hasRole(actor, 'federation_staff') && actor.orgType === 'recipient_federation'
      ? regionScopeFilter(jurisdictionScope(actor), 'profileRegionPath')
      : NOTHING,
    hasRole(actor, 'employer') && actor.orgType === 'employer'
      ? { employerId: actor.organizationId }
      : NOTHING,
  );
}

export function batchReadScope(actor: Actor): ScopeFilter {
  if (hasRole(actor, 'admin')) return EVERYTHING;
  return federationScope(actor, 'originPath', 'destinationPath');
}

export function batchWriteScope(actor: Actor): ScopeFilter {
  if (hasRole(actor, 'admin')) return EVERYTHING;
  if (!hasRole(actor, 'federation_staff') || actor.orgType !== 'recipient_federation') return NOTHING;
  return regionScopeFilter(jurisdictionScope(actor), 'originPath');
}

/**
 * Whether `actor` may see the quota of an employer (pure; `placesFromJurisdiction`: whether the
 * employer holds a placement of a person from the actor's recipient jurisdiction).
 */
export function mayReadQuota(
  actor: Actor,
  employer: { id: string; locationCode?: string },
  placesFromJurisdiction: boolean,
): boolean {
  if (hasRole(actor, 'admin')) return true;
  if (hasRole(actor, 'employer') && actor.orgType === 'employer' && actor.organizationId === employer.id)
    return true;
  if (!hasRole(actor, 'federation_staff') || !actor.jurisdictionCode) return false;
  if (actor.orgType === 'supporting_federation')
    return !!employer.locationCode && isWithin(employer.locationCode, actor.jurisdictionCode);
  return actor.orgType === 'recipient_federation' && placesFromJurisdiction;
}

/** The paper-employment flag is for federations and admins, not for the employer itself. */
export function seesPaperEmployment(actor: Actor): boolean {
  return hasRole(actor, 'admin', 'federation_staff');
}
