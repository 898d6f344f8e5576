import { type Actor, hasRole } from '../../lib/auth/actor.js';
import { definePolicy } from '../../lib/auth/policy.js';
import {
  anyOf,
  inRegionScope,
  jurisdictionScope,
  NOTHING,
  partnershipScope,
  type RegionScope,
  regionScopeFilter,
  type ScopeFilter,
} from '../../lib/auth/scope.js';
import type { SearchFilter } from '../../lib/search/port.js';
import type { ProfileView } from './present.js';

/**
 * Worker profiles: recipient federations register and edit the people of their jurisdiction (a
 * county federation its county, a prefecture federation its prefecture and counties); reviewers
 * read, masked and without contact details, within their partnership scope; admins see all.
 * Employers never reach a profile here (they get anonymised views through proposals). A profile
 * outside the caller's scope answers 404, like one that does not exist.
 */
const CONTENT_FIELDS = [
  'name',
  'idNumber',
  'certificateNumber',
  'phone',
  'sex',
  'birthDate',
  'disabilityCategory',
  'disabilityLevel',
  'originCode',
  'functionalLimitations',
  'assistiveDevices',
  'accommodationsNeeded',
  'skills',
  'education',
  'languages',
  'experience',
  'preferences',
  'guardian',
] as const;

const TRAINING_FIELDS = [
  'programmeCode',
  'providerName',
  'providerOrganizationId',
  'startDate',
  'endDate',
  'hours',
  'certificateNumber',
  'certificateLevel',
] as const;

export const workerProfilesPolicy = definePolicy({
  resource: 'worker_profiles',
  actions: {
    // Only a recipient federation registers people: the profile belongs to its jurisdiction.
    create: ['federation_staff'],
    list: ['federation_staff', 'reviewer', 'admin'],
    read: ['federation_staff', 'reviewer', 'admin'],
    update: ['federation_staff', 'admin'],
    change_status: ['federation_staff', 'admin'],
    reveal: ['federation_staff', 'admin'],
    erase: ['federation_staff', 'admin'],
    export: ['federation_staff', 'reviewer', 'admin'],
    // Federation staff of either side: a supporting federation records training it delivered.
    add_training: ['federation_staff', 'admin'],
    import: ['federation_staff'],
    read_import: ['federation_staff', 'admin'],
    template: ['federation_staff', 'admin'],
  },
  writable: {
    create: { federation_staff: [...CONTENT_FIELDS, 'processingConsent'] },
    update: { federation_staff: CONTENT_FIELDS, admin: CONTENT_FIELDS },
    change_status: { federation_staff: ['action', 'reason'], admin: ['action', 'reason'] },
    reveal: { federation_staff: ['reason', 'fields'], admin: ['reason', 'fields'] },
    erase: { federation_staff: ['reason'], admin: ['reason'] },
    add_training: { federation_staff: TRAINING_FIELDS, admin: TRAINING_FIELDS },
  },
});

const CONSENT_FIELDS = [
  'purpose',
  'textVersion',
  'channel',
  'givenAt',
  'givenBy',
  'representative',
  'assistedByStaff',
  'employerId',
  'openingId',
  'dataCategories',
] as const;

/** Consents are recorded and withdrawn by the federation that holds the profile (or an admin). */
export const consentsPolicy = definePolicy({
  resource: 'consents',
  actions: {
    record: ['federation_staff', 'admin'],
    list: ['federation_staff', 'admin'],
    withdraw: ['federation_staff', 'admin'],
  },
  writable: {
    record: { federation_staff: CONSENT_FIELDS, admin: CONSENT_FIELDS },
    withdraw: { federation_staff: ['reason', 'channel'], admin: ['reason', 'channel'] },
  },
});

/** Profiles the caller may edit: their federation's jurisdiction (staff), everything (admins). */
export function profileWriteScope(actor: Actor): ScopeFilter {
  if (!hasRole(actor, 'federation_staff', 'admin')) return NOTHING;
  return regionScopeFilter(jurisdictionScope(actor));
}

/** Profiles the caller may read: the write scope, plus the partnership scope of a reviewer. */
export function profileReadScope(actor: Actor): ScopeFilter {
  return anyOf(
    profileWriteScope(actor),
    hasRole(actor, 'reviewer') ? regionScopeFilter(partnershipScope(actor)) : NOTHING,
  );
}

/**
 * The read scope as one set of regions (pure): the jurisdiction of staff and admins joined with
 * the partnership scope of reviewers — what `profileReadScope` filters `regionPath` by.
 */
export function profileReadRegions(actor: Actor): RegionScope {
  const scopes: RegionScope[] = [];
  if (hasRole(actor, 'federation_staff', 'admin')) scopes.push(jurisdictionScope(actor));
  if (hasRole(actor, 'reviewer')) scopes.push(partnershipScope(actor));
  if (scopes.some((s) => s.kind === 'all')) return { kind: 'all' };
  const codes = [...new Set(scopes.flatMap((s) => (s.kind === 'regions' ? s.codes : [])))].sort();
  return codes.length ? { kind: 'regions', codes } : { kind: 'none' };
}

/**
 * The same scope as a search filter over the `worker_profiles` index, whose `jurisdictionCodes`
 * hold the profile's `regionPath`: `true` = everything, `false` = nothing.
 */
export function profileSearchScope(actor: Actor): SearchFilter<'jurisdictionCodes'> | boolean {
  const regions = profileReadRegions(actor);
  if (regions.kind === 'all') return true;
  if (regions.kind === 'none') return false;
  return { field: 'jurisdictionCodes', op: 'in', value: regions.codes };
}

/** The same rule for a profile already loaded (erased remains are never visible). */
export function profileVisibleTo(
  actor: Actor,
  p: { regionPath: readonly string[]; erased: boolean },
): boolean {
  if (p.erased) return false;
  const regions = profileReadRegions(actor);
  if (regions.kind === 'all') return true;
  if (regions.kind === 'none') return false;
  return p.regionPath.some((c) => regions.codes.includes(c));
}

/**
 * Profiles a caller may add a training record to: its own jurisdiction, or for a supporting
 * federation the receiving regions of its partnerships (training it delivered).
 */
export function trainingScope(actor: Actor): ScopeFilter {
  const supporting =
    hasRole(actor, 'federation_staff') && actor.orgType === 'supporting_federation'
      ? regionScopeFilter(partnershipScope(actor))
      : NOTHING;
  return anyOf(profileWriteScope(actor), supporting);
}

/** Staff of the person's jurisdiction (and admins) see the staff view; reviewers see less. */
export function viewOf(actor: Actor, profile: { originCode: string }): ProfileView {
  if (hasRole(actor, 'admin')) return 'staff';
  if (hasRole(actor, 'federation_staff') && inRegionScope(jurisdictionScope(actor), profile.originCode))
    return 'staff';
  return 'reviewer';
}

/** Imports belong to the federation that uploaded them; admins see all. */
export function importScope(actor: Actor): ScopeFilter {
  if (hasRole(actor, 'admin')) return {};
  return { organizationId: actor.organizationId };
}
