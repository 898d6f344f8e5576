import type { Role } from './api/client.js';

export const ALL_ROLES: readonly Role[] = ['admin', 'federation_staff', 'reviewer', 'employer'];
