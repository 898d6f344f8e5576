import type { Actor } from '../../lib/auth/actor.js';
import { definePolicy } from '../../lib/auth/policy.js';
import { EVERYTHING, type ScopeFilter } from '../../lib/auth/scope.js';
import { ROLES } from '../../lib/http/route.js';

/**
 * Every user has an inbox and preferences of their own; the scope is the user id from the session
 * (another user's notification answers 404).
 */
export const notificationsPolicy = definePolicy({
  resource: 'notifications',
  actions: {
    list: ROLES,
    mark_read: ROLES,
    mark_all_read: ROLES,
    read_preferences: ROLES,
    update_preferences: ROLES,
  },
  writable: {
    update_preferences: Object.fromEntries(ROLES.map((r) => [r, ['email', 'language', 'digest', 'events']])),
  },
});

/**
 * An organisation's webhooks are managed by platform admins and by the organisation's own
 * managing role — federation staff in a federation, the employer's users in an employer (there is
 * no separate "organisation admin" role). Reviewers do not manage channels.
 */
const WEBHOOK_MANAGERS = ['admin', 'federation_staff', 'employer'] as const;
const WEBHOOK_FIELDS = ['kind', 'name', 'url', 'events', 'language', 'enabled'];

export const webhooksPolicy = definePolicy({
  resource: 'webhooks',
  actions: {
    list: WEBHOOK_MANAGERS,
    create: WEBHOOK_MANAGERS,
    read: WEBHOOK_MANAGERS,
    update: WEBHOOK_MANAGERS,
    delete: WEBHOOK_MANAGERS,
    rotate_secret: WEBHOOK_MANAGERS,
  },
  writable: {
    create: Object.fromEntries(WEBHOOK_MANAGERS.map((r) => [r, WEBHOOK_FIELDS])),
    // The kind is fixed: a robot URL and a signed endpoint are different things.
    update: Object.fromEntries(WEBHOOK_MANAGERS.map((r) => [r, WEBHOOK_FIELDS.filter((f) => f !== 'kind')])),
  },
});

export function webhookScope(actor: Actor): ScopeFilter {
  if (actor.roles.includes('admin')) return EVERYTHING;
  return { organizationId: actor.organizationId };
}

/** Delivery states and the last error of every channel, and the manual retry: admins only. */
export const deliveriesPolicy = definePolicy({
  resource: 'notification_deliveries',
  actions: { list: ['admin'], retry: ['admin'] },
});
