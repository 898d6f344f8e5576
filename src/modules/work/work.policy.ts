import { definePolicy } from '../../lib/auth/policy.js';

/**
 * The signed-in person's own to-do counts. Everyone signed in may ask; each count inside is taken
 * in the scope of the list it links to (the owning module's scope function), never widened here.
 */
export const workPolicy = definePolicy({
  resource: 'work',
  actions: { read: ['admin', 'federation_staff', 'reviewer', 'employer'] },
});
