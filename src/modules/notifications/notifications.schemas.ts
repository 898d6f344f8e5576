import { objectIdSchema } from '../../lib/ids.js';
import { z } from '../../lib/zod.js';
import { LANGUAGES } from '../accounts/language.js';
import { DELIVERY_CHANNELS, DELIVERY_STATES } from './deliveries.repository.js';
import { eventTypeSchema, WEBHOOK_EVENT_TYPES } from './events.js';

const iso = z.iso.datetime();
const languageSchema = z.enum(LANGUAGES);

export const notificationSchema = z
  .object({
    id: z.string(),
    type: z.string(),
    title: z.string(),
    body: z.string().openapi({ description: 'Markdown, rendered in your language when read' }),
    link: z.string().nullable(),
    data: z.record(z.string(), z.unknown()).openapi({ description: 'Ids and counts only' }),
    createdAt: iso,
    readAt: iso.nullable(),
  })
  .openapi('Notification');

export const notificationPageSchema = z
  .object({
    items: z.array(notificationSchema),
    nextCursor: z.string().nullable(),
    total: z.number().int(),
    unreadCount: z.number().int(),
  })
  .openapi('NotificationPage');

export const listNotificationsQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().max(500).optional(),
    unread: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional(),
  })
  .strict();

export const markAllReadSchema = z
  .object({ updated: z.number().int(), unreadCount: z.number().int() })
  .openapi('NotificationsMarkedRead');

const eventChannels = z.object({ type: eventTypeSchema, inApp: z.boolean(), email: z.boolean() }).strict();

export const preferencesSchema = z
  .object({
    email: z.string().nullable(),
    language: languageSchema.nullable(),
    digest: z.boolean(),
    events: z.array(eventChannels),
    updatedAt: iso.nullable(),
  })
  .openapi('NotificationPreferences');

export const updatePreferencesSchema = z
  .object({
    email: z.email().max(254).nullable().optional(),
    language: languageSchema.nullable().optional(),
    digest: z.boolean().optional().openapi({
      description: 'Reviewers: new suggestions by email once a day instead of immediately',
    }),
    events: z
      .array(eventChannels)
      .max(50)
      .refine((a) => new Set(a.map((e) => e.type)).size === a.length, 'each event type at most once')
      .optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'nothing to change')
  .openapi('NotificationPreferencesUpdate');

const webhookEventsSchema = z
  .array(z.enum(WEBHOOK_EVENT_TYPES as [string, ...string[]]))
  .max(50)
  .openapi({ description: 'Event types to receive; empty = every event your organisation’s users receive' });

export const webhookSchema = z
  .object({
    id: z.string(),
    organizationId: z.string(),
    kind: z.enum(['generic', 'wecom']),
    name: z.string(),
    url: z.string().openapi({ description: 'Masked: query values are never shown' }),
    events: z.array(z.string()),
    language: languageSchema,
    enabled: z.boolean(),
    version: z.number().int(),
    createdAt: iso,
    updatedAt: iso,
  })
  .openapi('Webhook');

export const webhookWithSecretSchema = webhookSchema
  .extend({
    secret: z
      .string()
      .nullable()
      .openapi({ description: 'Signing secret of a generic webhook: shown only in this response' }),
  })
  .openapi('WebhookWithSecret');

const name = z.string().trim().min(1).max(100);
const url = z.string().max(2000);

export const createWebhookSchema = z
  .object({
    kind: z.enum(['generic', 'wecom']),
    name,
    url,
    events: webhookEventsSchema.optional(),
    language: languageSchema.optional(),
    enabled: z.boolean().optional(),
  })
  .strict()
  .openapi('WebhookCreate');

export const updateWebhookSchema = z
  .object({
    name: name.optional(),
    url: url.optional(),
    events: webhookEventsSchema.optional(),
    language: languageSchema.optional(),
    enabled: z.boolean().optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'nothing to change')
  .openapi('WebhookUpdate');

export const webhookListSchema = z.object({ items: z.array(webhookSchema) }).openapi('WebhookList');

export const deliverySchema = z
  .object({
    id: z.string(),
    channel: z.enum(DELIVERY_CHANNELS),
    type: z.string(),
    state: z.enum(DELIVERY_STATES),
    organizationId: z.string(),
    notificationId: z.string().nullable(),
    userId: z.string().nullable(),
    webhookId: z.string().nullable(),
    /** SMS: the job seeker addressed (never their number). */
    profileId: z.string().nullable(),
    attempts: z.number().int(),
    generation: z.number().int(),
    interruptedSends: z.number().int(),
    lastError: z.string().nullable(),
    lastAttemptAt: iso.nullable(),
    sentAt: iso.nullable(),
    version: z.number().int(),
    createdAt: iso,
    updatedAt: iso,
  })
  .openapi('NotificationDelivery');

export const deliveryPageSchema = z
  .object({ items: z.array(deliverySchema), nextCursor: z.string().nullable(), total: z.number().int() })
  .openapi('NotificationDeliveryPage');

export const listDeliveriesQuery = z
  .object({
    state: z.enum(DELIVERY_STATES).optional(),
    channel: z.enum(DELIVERY_CHANNELS).optional(),
    organizationId: objectIdSchema.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(500).optional(),
  })
  .strict();
