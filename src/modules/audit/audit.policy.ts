import type { Actor } from '../../lib/auth/actor.js';
import { definePolicy } from '../../lib/auth/policy.js';
import { EVERYTHING, NOTHING, type ScopeFilter } from '../../lib/auth/scope.js';

/** Only admins read the audit trail; nobody changes it (there is no action for that). */
export const auditPolicy = definePolicy({
  resource: 'audit',
  actions: { list: ['admin'] },
});

export function auditScope(actor: Actor): ScopeFilter {
  return actor.roles.includes('admin') ? EVERYTHING : NOTHING;
}
