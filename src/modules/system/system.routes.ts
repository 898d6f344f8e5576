import type { AppDeps } from '../../deps.js';
import { actorOf } from '../../lib/auth/actor.js';
import { access } from '../../lib/auth/policy.js';
import { defineRoute, type RouteDef } from '../../lib/http/route.js';
import { z } from '../../lib/zod.js';
import { issueQueueDashboardTicket } from './queue-dashboard.js';
import { systemPolicy } from './system.policy.js';
import { healthSchema, queueDashboardTicketSchema, readinessSchema } from './system.schemas.js';
import { readiness } from './system.service.js';

export function systemRoutes(deps: AppDeps): RouteDef[] {
  return [
    defineRoute({
      method: 'get',
      path: '/healthz',
      operationId: 'getHealth',
      summary: 'Liveness: the process is running',
      tags: ['system'],
      access: { public: true, why: 'orchestrator liveness probe' },
      responses: { 200: { description: 'Alive', schema: healthSchema } },
      handler: ({ res }) => {
        res.json({ status: 'ok', uptimeSeconds: Math.round(process.uptime()) });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/readyz',
      operationId: 'getReadiness',
      summary: 'Readiness: MongoDB, Redis and the search engine answer',
      tags: ['system'],
      access: { public: true, why: 'orchestrator readiness probe; reveals no data' },
      responses: {
        200: { description: 'All dependencies up', schema: readinessSchema },
        503: { description: 'Some dependency is down; `down` names it', schema: readinessSchema },
      },
      handler: async ({ res }) => {
        const result = await readiness(deps);
        res.status(result.down.length ? 503 : 200).json(result);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/metrics',
      operationId: 'getMetrics',
      summary: 'Prometheus metrics (admins; or without auth on the internal METRICS_PORT)',
      tags: ['system'],
      access: access(systemPolicy, 'metrics'),
      responses: {
        200: { description: 'Prometheus text format', schema: z.string(), contentType: 'text/plain' },
      },
      handler: async ({ res }) => {
        res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/system/queue-dashboard/tickets',
      operationId: 'createQueueDashboardTicket',
      summary:
        'A one-time ticket (60 s) to open the queue dashboard at /admin/queues: POST it as the form field `ticket` to `action` (admins)',
      tags: ['system'],
      access: access(systemPolicy, 'queue_dashboard'),
      responses: { 201: { description: 'Ticket issued', schema: queueDashboardTicketSchema } },
      handler: async ({ res }) => {
        res.setHeader('Cache-Control', 'no-store');
        const session = res.locals.session as { id: string };
        res.status(201).json(await issueQueueDashboardTicket(deps, actorOf(res), session.id));
      },
    }),
  ];
}
