import { ORG_TYPES } from '../../lib/auth/actor.js';
import { ROLES } from '../../lib/http/route.js';
import { objectIdSchema } from '../../lib/ids.js';
import { z } from '../../lib/zod.js';
import { LANGUAGES } from './language.js';

export const roleSchema = z.enum(ROLES);
export const languageSchema = z.enum(LANGUAGES);

export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._@-]{2,63}$/, '3–64 characters: a-z, 0-9, . _ @ -')
  .openapi({ example: 'ganzi.staff' });

/** Strength is checked by the service (it needs the username); here only the size. */
const password = z.string().min(1).max(1024);

const displayName = z.string().trim().min(1).max(100);

const rolesSchema = z
  .array(roleSchema)
  .min(1)
  .max(ROLES.length)
  .refine((r) => new Set(r).size === r.length, 'each role once');

export const loginSchema = z
  .object({ username: z.string().trim().toLowerCase().min(1).max(100), password })
  .strict()
  .openapi('LoginRequest');

export const userSchema = z
  .object({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    organizationId: z.string(),
    roles: z.array(roleSchema),
    language: languageSchema,
    disabled: z.boolean(),
    locked: z.boolean(),
    lockedUntil: z.iso.datetime().nullable(),
    failedLogins: z.number().int(),
    lastLoginAt: z.iso.datetime().nullable(),
    passwordChangedAt: z.iso.datetime(),
    version: z.number().int(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi('User');

export const meSchema = z
  .object({
    user: z.object({
      id: z.string(),
      username: z.string(),
      displayName: z.string(),
      roles: z.array(roleSchema),
      language: languageSchema,
    }),
    organization: z.object({
      id: z.string(),
      type: z.enum(ORG_TYPES),
      name: z.string(),
      jurisdictionCode: z.string().nullable(),
    }),
    scope: z.object({
      jurisdictionCode: z.string().nullable(),
      partnershipScope: z.array(z.string()).nullable(),
    }),
    session: z.object({ expiresAt: z.iso.datetime() }),
  })
  .openapi('Me');

export const loginResponseSchema = z
  .object({
    token: z.string().openapi({ description: 'Send as `Authorization: Bearer <token>`' }),
    tokenType: z.literal('Bearer'),
    expiresAt: z.iso.datetime(),
    me: meSchema,
  })
  .openapi('LoginResponse');

export const updateMeSchema = z
  .object({ displayName: displayName.optional(), language: languageSchema.optional() })
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'nothing to change')
  .openapi('UpdateMe');

export const changePasswordSchema = z
  .object({ currentPassword: password, newPassword: password })
  .strict()
  .openapi('ChangePassword');

export const createUserSchema = z
  .object({
    username: usernameSchema,
    displayName,
    organizationId: objectIdSchema,
    roles: rolesSchema,
    language: languageSchema.default('zh-CN'),
    password,
  })
  .strict()
  .openapi('UserCreate');

export const updateUserSchema = z
  .object({
    displayName: displayName.optional(),
    roles: rolesSchema.optional(),
    language: languageSchema.optional(),
    disabled: z.boolean().optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'nothing to change')
  .openapi('UserUpdate');

export const resetPasswordSchema = z.object({ password }).strict().openapi('PasswordReset');

export const listUsersQuery = z
  .object({
    organizationId: objectIdSchema.optional(),
    role: roleSchema.optional(),
    locked: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional(),
    cursor: objectIdSchema.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

export const userPageSchema = z
  .object({ items: z.array(userSchema), nextCursor: z.string().nullable() })
  .openapi('UserPage');

export type LoginInput = z.infer<typeof loginSchema>;
export type CreateUserInput = z.infer<typeof createUserSchema>;
export type UpdateUserInput = z.infer<typeof updateUserSchema>;
export type UpdateMeInput = z.infer<typeof updateMeSchema>;
export type ListUsersQuery = z.infer<typeof listUsersQuery>;
