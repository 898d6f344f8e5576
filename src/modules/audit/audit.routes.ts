import type { AppDeps } from '../../deps.js';
import { actorOf } from '../../lib/auth/actor.js';
import { access } from '../../lib/auth/policy.js';
import { defineRoute, type RouteDef } from '../../lib/http/route.js';
import { auditPolicy } from './audit.policy.js';
import { auditPageSchema, auditQuerySchema } from './audit.schemas.js';
import { listAudit } from './audit.service.js';

/** Read-only on purpose: no route updates or deletes an audit entry. */
export function auditRoutes(_deps: AppDeps): RouteDef[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/audit',
      operationId: 'listAuditEntries',
      summary: 'Audit trail, newest first, filtered and paginated by cursor (admins)',
      tags: ['audit'],
      access: access(auditPolicy, 'list'),
      request: { query: auditQuerySchema },
      responses: { 200: { description: 'One page of entries', schema: auditPageSchema } },
      handler: async ({ query, res }) => {
        res.json(await listAudit(actorOf(res), query));
      },
    }),
  ];
}
