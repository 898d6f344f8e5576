import { definePolicy } from '../../lib/auth/policy.js';

/** Operational endpoints. Health and readiness are public; metrics and the queue dashboard are for admins. */
export const systemPolicy = definePolicy({
  resource: 'system',
  actions: { metrics: ['admin'], queue_dashboard: ['admin'] },
});
