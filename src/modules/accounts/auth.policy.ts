import { definePolicy } from '../../lib/auth/policy.js';
import { ROLES, type Role } from '../../lib/http/route.js';

const everyRole = (fields: readonly string[]) =>
  Object.fromEntries(ROLES.map((r) => [r, fields])) as Record<Role, readonly string[]>;

/**
 * The caller's own session and account. Every signed-in user may act on these, and only on their
 * own: the record is the session itself, so there is no scope to get wrong. Roles, organisation
 * and lock state are never self-service.
 */
export const sessionPolicy = definePolicy({
  resource: 'session',
  actions: {
    logout: ROLES,
    me: ROLES,
    update_me: ROLES,
    change_password: ROLES,
  },
  writable: {
    update_me: everyRole(['displayName', 'language']),
    change_password: everyRole(['currentPassword', 'newPassword']),
  },
});
