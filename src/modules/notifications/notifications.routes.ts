import type { AppDeps } from '../../deps.js';
import { actorOf } from '../../lib/auth/actor.js';
import { access } from '../../lib/auth/policy.js';
import { requireIfMatch, setVersionEtag } from '../../lib/http/etag.js';
import { defineRoute, problemResponse, type RouteDef } from '../../lib/http/route.js';
import { idParams } from '../../lib/ids.js';
import { listDeliveries, retryDelivery } from './deliveries.service.js';
import { listMyNotifications, markAllMyNotificationsRead, markMyNotificationRead } from './inbox.service.js';
import { deliveriesPolicy, notificationsPolicy, webhooksPolicy } from './notifications.policy.js';
import {
  createWebhookSchema,
  deliveryPageSchema,
  deliverySchema,
  listDeliveriesQuery,
  listNotificationsQuery,
  markAllReadSchema,
  notificationPageSchema,
  notificationSchema,
  preferencesSchema,
  updatePreferencesSchema,
  updateWebhookSchema,
  webhookListSchema,
  webhookSchema,
  webhookWithSecretSchema,
} from './notifications.schemas.js';
import { getMyPreferences, updateMyPreferences } from './preferences.service.js';
import {
  createWebhook,
  getWebhook,
  listOrganizationWebhooks,
  presentWebhook,
  removeWebhook,
  rotateWebhookSecret,
  updateWebhook,
} from './webhooks.service.js';

const etag = { ETag: { description: 'The version, to send back in If-Match' } };

export function notificationsRoutes(deps: AppDeps): RouteDef[] {
  const { config } = deps;
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/notifications',
      operationId: 'listNotifications',
      summary: 'Your notifications, newest first, with the unread count',
      tags: ['notifications'],
      access: access(notificationsPolicy, 'list'),
      request: { query: listNotificationsQuery },
      responses: { 200: { description: 'One page', schema: notificationPageSchema } },
      handler: async ({ query, res }) => {
        res.json(await listMyNotifications(config, actorOf(res), query));
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/notifications/read-all',
      operationId: 'markAllNotificationsRead',
      summary: 'Mark all your notifications read',
      tags: ['notifications'],
      access: access(notificationsPolicy, 'mark_all_read'),
      responses: { 200: { description: 'Done', schema: markAllReadSchema } },
      handler: async ({ res }) => {
        res.json(await markAllMyNotificationsRead(actorOf(res)));
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/notifications/:id/read',
      operationId: 'markNotificationRead',
      summary: 'Mark one of your notifications read (another user’s: 404)',
      tags: ['notifications'],
      access: access(notificationsPolicy, 'mark_read'),
      request: { params: idParams },
      responses: { 200: { description: 'The notification', schema: notificationSchema } },
      handler: async ({ params, res }) => {
        res.json(await markMyNotificationRead(config, actorOf(res), params.id));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/notification-preferences',
      operationId: 'getNotificationPreferences',
      summary: 'Your notification preferences (email address, language, digest, channels per event)',
      tags: ['notifications'],
      access: access(notificationsPolicy, 'read_preferences'),
      responses: { 200: { description: 'Your preferences', schema: preferencesSchema } },
      handler: async ({ res }) => {
        res.json(await getMyPreferences(actorOf(res)));
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/api/v1/notification-preferences',
      operationId: 'updateNotificationPreferences',
      summary: 'Change your notification preferences (fields given are replaced)',
      tags: ['notifications'],
      access: access(notificationsPolicy, 'update_preferences'),
      request: { body: updatePreferencesSchema },
      responses: { 200: { description: 'Your preferences', schema: preferencesSchema } },
      handler: async ({ body, res }) => {
        res.json(await updateMyPreferences(actorOf(res), body));
      },
    }),

    defineRoute({
      method: 'get',
      path: '/api/v1/organizations/:id/webhooks',
      operationId: 'listWebhooks',
      summary: 'An organisation’s webhooks (URLs masked)',
      tags: ['webhooks'],
      access: access(webhooksPolicy, 'list'),
      request: { params: idParams },
      responses: { 200: { description: 'The webhooks', schema: webhookListSchema } },
      handler: async ({ params, res }) => {
        res.json({ items: await listOrganizationWebhooks(actorOf(res), params.id) });
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/organizations/:id/webhooks',
      operationId: 'createWebhook',
      summary: 'Add a signed JSON webhook or a WeCom group robot; a generic one’s secret is shown once',
      tags: ['webhooks'],
      access: access(webhooksPolicy, 'create'),
      request: { params: idParams, body: createWebhookSchema },
      responses: { 201: { description: 'Created', schema: webhookWithSecretSchema, headers: etag } },
      handler: async ({ params, body, res }) => {
        const created = await createWebhook(config, actorOf(res), params.id, body);
        setVersionEtag(res, created.version);
        res.status(201).location(`/api/v1/webhooks/${created.id}`).json(created);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/webhooks/:id',
      operationId: 'getWebhook',
      summary: 'One webhook (URL masked)',
      tags: ['webhooks'],
      access: access(webhooksPolicy, 'read'),
      request: { params: idParams },
      responses: { 200: { description: 'The webhook', schema: webhookSchema, headers: etag } },
      handler: async ({ params, res }) => {
        const w = await getWebhook(actorOf(res), params.id);
        setVersionEtag(res, w.version);
        res.json(presentWebhook(w));
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/api/v1/webhooks/:id',
      operationId: 'updateWebhook',
      summary: 'Change a webhook (name, URL, events, language, enabled); If-Match',
      tags: ['webhooks'],
      access: access(webhooksPolicy, 'update'),
      request: { params: idParams, body: updateWebhookSchema },
      responses: {
        200: { description: 'Updated', schema: webhookSchema, headers: etag },
        412: problemResponse('Changed by someone else since you read it'),
        428: problemResponse('If-Match missing'),
      },
      handler: async ({ params, body, req, res }) => {
        const w = await updateWebhook(config, actorOf(res), params.id, requireIfMatch(req), body);
        setVersionEtag(res, w.version);
        res.json(presentWebhook(w));
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/api/v1/webhooks/:id',
      operationId: 'deleteWebhook',
      summary: 'Remove a webhook',
      tags: ['webhooks'],
      access: access(webhooksPolicy, 'delete'),
      request: { params: idParams },
      responses: { 204: { description: 'Removed' } },
      handler: async ({ params, res }) => {
        await removeWebhook(actorOf(res), params.id);
        res.status(204).end();
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/webhooks/:id/secret',
      operationId: 'rotateWebhookSecret',
      summary: 'Replace a generic webhook’s signing secret (shown once)',
      tags: ['webhooks'],
      access: access(webhooksPolicy, 'rotate_secret'),
      request: { params: idParams },
      responses: { 200: { description: 'The new secret', schema: webhookWithSecretSchema } },
      handler: async ({ params, res }) => {
        res.json(await rotateWebhookSecret(config, actorOf(res), params.id));
      },
    }),

    defineRoute({
      method: 'get',
      path: '/api/v1/notification-deliveries',
      operationId: 'listNotificationDeliveries',
      summary: 'Deliveries by state and channel, with attempts and the last error (admins)',
      tags: ['notifications'],
      access: access(deliveriesPolicy, 'list'),
      request: { query: listDeliveriesQuery },
      responses: { 200: { description: 'One page', schema: deliveryPageSchema } },
      handler: async ({ query, res }) => {
        res.json(await listDeliveries(query));
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/notification-deliveries/:id/retry',
      operationId: 'retryNotificationDelivery',
      summary: 'Send a permanently failed delivery again (admins)',
      tags: ['notifications'],
      access: access(deliveriesPolicy, 'retry'),
      request: { params: idParams },
      responses: {
        202: { description: 'Queued again', schema: deliverySchema },
        409: problemResponse('The delivery has not failed'),
      },
      handler: async ({ params, res }) => {
        res.status(202).json(await retryDelivery(deps, params.id));
      },
    }),
  ];
}
