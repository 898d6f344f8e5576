import type { Actor } from '../../lib/auth/actor.js';
import { definePolicy } from '../../lib/auth/policy.js';
import { EVERYTHING, type ScopeFilter } from '../../lib/auth/scope.js';
import { ROLES } from '../../lib/http/route.js';

/**
 * Organisations: admins manage them all; every other user sees only their own organisation
 * (another organisation's id answers 404, so ids do not reveal which organisations exist).
 */
export const organizationsPolicy = definePolicy({
  resource: 'organizations',
  actions: {
    list: ROLES,
    read: ROLES,
    create: ['admin'],
    update: ['admin'],
  },
  writable: {
    create: {
      admin: [
        'type',
        'name',
        'nameEn',
        'jurisdictionCode',
        'creditCode',
        'locationCode',
        'industryCode',
        'staffCount',
      ],
    },
    // `type` is fixed at creation: changing it would change which users and rules apply.
    update: {
      admin: [
        'name',
        'nameEn',
        'jurisdictionCode',
        'creditCode',
        'locationCode',
        'industryCode',
        'staffCount',
      ],
    },
  },
});

export function organizationScope(actor: Actor): ScopeFilter {
  if (actor.roles.includes('admin')) return EVERYTHING;
  return { _id: actor.organizationId };
}
