import { definePolicy } from '../../lib/auth/policy.js';
import { openingsPolicy } from '../openings/openings.policy.js';

/**
 * Accommodation and training advice (issue 21): counts of people, never anyone's data, masked
 * from 1 to 4. An opening's advice follows the opening's own read scope (its employer, reviewers
 * and federation staff who may read it, admins; 404 otherwise), a draft's is for whoever may
 * create openings.
 */
export const advicePolicy = definePolicy({
  resource: 'advice',
  actions: {
    opening: ['employer', 'federation_staff', 'reviewer', 'admin'],
    draft: ['employer', 'admin'],
    training: ['federation_staff', 'reviewer', 'admin'],
  },
  // A draft body is a new opening's body: the same fields as creating one.
  writable: { draft: openingsPolicy.writable?.create ?? {} },
});
