import { definePolicy } from '../../lib/auth/policy.js';

/**
 * Reference data is read publicly (no personal data); partnerships are changed by admins only. A
 * partnership edit widens or narrows what reviewers and supporting federations see, so each one
 * is audited as a permission-relevant change.
 */
export const referencePolicy = definePolicy({
  resource: 'partnerships',
  actions: { create: ['admin'], update: ['admin'], delete: ['admin'] },
  writable: {
    create: { admin: ['supportingCode', 'receivingCode', 'from', 'to', 'note'] },
    update: { admin: ['supportingCode', 'receivingCode', 'from', 'to', 'note'] },
  },
});
