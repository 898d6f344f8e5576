import { definePolicy } from '../../lib/auth/policy.js';
import { ROLES } from '../../lib/http/route.js';

/**
 * Search. Who may search an index; what each caller finds is the owning module's read scope
 * (openings: `openingSearchScope`; worker profiles: `profileSearchScope`), applied inside the engine query and checked again against
 * MongoDB for the page returned. Nothing here is written.
 */
export const searchPolicy = definePolicy({
  resource: 'search',
  actions: {
    openings: ROLES,
    // De-identified profiles, for staff who place people; employers never search people.
    worker_profiles: ['federation_staff', 'reviewer', 'admin'],
  },
});
