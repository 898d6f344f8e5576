import type { Actor, OrgType } from '../../lib/auth/actor.js';
import { definePolicy } from '../../lib/auth/policy.js';
import { EVERYTHING, type ScopeFilter } from '../../lib/auth/scope.js';
import type { Role } from '../../lib/http/route.js';

/** Which roles a user of each organisation type may hold. */
export const ROLES_BY_ORG_TYPE: Record<OrgType, readonly Role[]> = {
  platform: ['admin'],
  recipient_federation: ['federation_staff', 'reviewer'],
  supporting_federation: ['federation_staff', 'reviewer'],
  employer: ['employer'],
};

/** Roles that do not fit the organisation type (pure). */
export function rolesNotFitting(orgType: OrgType, roles: readonly Role[]): Role[] {
  return roles.filter((r) => !ROLES_BY_ORG_TYPE[orgType].includes(r));
}

/** User accounts are managed by admins only; a user sees their own account through /auth/me. */
export const usersPolicy = definePolicy({
  resource: 'users',
  actions: {
    list: ['admin'],
    read: ['admin'],
    create: ['admin'],
    update: ['admin'],
    reset_password: ['admin'],
    unlock: ['admin'],
  },
  writable: {
    create: { admin: ['username', 'displayName', 'organizationId', 'roles', 'language', 'password'] },
    // The organisation and username are fixed: moving a user is creating another account.
    update: { admin: ['displayName', 'roles', 'language', 'disabled'] },
    reset_password: { admin: ['password'] },
  },
});

export function userScope(actor: Actor): ScopeFilter {
  if (actor.roles.includes('admin')) return EVERYTHING;
  return { _id: actor.userId };
}
