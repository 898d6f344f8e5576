import { definePolicy } from '../../lib/auth/policy.js';

/** Operational endpoints. Health and readiness are public; metrics are for admins. */
export const systemPolicy = definePolicy({
  resource: 'system',
  actions: { metrics: ['admin'] },
});
