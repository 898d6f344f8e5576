import { objectIdSchema } from '../../lib/ids.js';
import { z } from '../../lib/zod.js';

/** Dotted lower-case names such as `auth.login`: codes, never free text that could carry data. */
export const AUDIT_ACTION = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;
export const AUDIT_TOKEN = /^[a-z][a-z0-9_-]{0,63}$/;
/** Field names only (`identity.name`), never values. */
export const AUDIT_FIELD = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$/;

export const auditOutcomeSchema = z.enum(['success', 'failure', 'denied']);

export const auditEntrySchema = z
  .object({
    id: z.string(),
    at: z.iso.datetime(),
    actor: z.object({
      userId: z.string().nullable(),
      organizationId: z.string().nullable(),
      roles: z.array(z.string()),
    }),
    action: z.string(),
    resource: z.object({ type: z.string().nullable(), id: z.string().nullable() }),
    fields: z.array(z.string()),
    outcome: auditOutcomeSchema,
    reason: z.string().nullable(),
    requestId: z.string().nullable(),
    ip: z.string().nullable(),
  })
  .openapi('AuditEntry');

export const auditPageSchema = z
  .object({ items: z.array(auditEntrySchema), nextCursor: z.string().nullable() })
  .openapi('AuditPage');

export const auditQuerySchema = z
  .object({
    actor: objectIdSchema.optional().openapi({ description: 'User id of the actor' }),
    organization: objectIdSchema.optional().openapi({ description: "Actor's organisation id" }),
    action: z.string().regex(AUDIT_ACTION).optional().openapi({ example: 'auth.login' }),
    resourceType: z.string().regex(AUDIT_TOKEN).optional(),
    resourceId: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/)
      .optional(),
    outcome: auditOutcomeSchema.optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    cursor: objectIdSchema.optional().openapi({ description: '`nextCursor` of the previous page' }),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

export type AuditQueryInput = z.infer<typeof auditQuerySchema>;
