import { z } from '../../lib/zod.js';

export const healthSchema = z
  .object({ status: z.literal('ok'), uptimeSeconds: z.number() })
  .openapi('Health');

export const dependencyState = z.object({
  status: z.enum(['up', 'down']),
  latencyMs: z.number(),
  error: z.string().optional(),
});

export const readinessSchema = z
  .object({
    status: z.enum(['ready', 'unavailable']),
    checks: z.object({ mongodb: dependencyState, redis: dependencyState, search: dependencyState }),
    down: z.array(z.string()),
  })
  .openapi('Readiness');

export const queueDashboardTicketSchema = z
  .object({
    ticket: z.string().openapi({ description: 'One-time, 60 s; send as the form field `ticket`' }),
    action: z.string().openapi({ description: 'Where to POST it (application/x-www-form-urlencoded)' }),
    expiresAt: z.iso.datetime(),
  })
  .openapi('QueueDashboardTicket');
