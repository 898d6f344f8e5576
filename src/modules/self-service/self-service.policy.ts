import { definePolicy } from '../../lib/auth/policy.js';

/**
 * Personal access links are issued, listed and revoked by the staff of the federation holding the
 * person's profile (its jurisdiction, as for consents); what the person did on their own page is
 * read by the same staff and by admins. The person's own routes (`/api/v1/me/…`) are not guarded
 * by a role: they take the person's session only (see person-session.ts).
 */
export const accessLinksPolicy = definePolicy({
  resource: 'access_links',
  actions: {
    issue: ['federation_staff'],
    list: ['federation_staff'],
    revoke: ['federation_staff'],
    history: ['federation_staff', 'admin'],
  },
  writable: {
    issue: { federation_staff: ['validDays', 'sendSms'] },
  },
});
