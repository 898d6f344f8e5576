import type { Redis } from 'ioredis';
import type { Config } from '../../config.js';
import { JOBS, type JobName, jobId } from '../../jobs/catalogue.js';
import { enqueue, type Queues } from '../../jobs/queues.js';
import type { Role } from '../../lib/http/route.js';
import type { Logger } from '../../lib/logger.js';
import { findActiveUsers, type User } from '../accounts/accounts.service.js';
import type { Language } from '../accounts/language.js';
import {
  type DeliveryChannel,
  type DeliveryRecord,
  insertDeliveries,
  type NewDelivery,
} from './deliveries.repository.js';
import { EVENTS, type EventSpec, type EventType, eventKey, type NotifyEvent, parseEvent } from './events.js';
import { insertItems, takeBatch } from './items.repository.js';
import { insertNotifications } from './notifications.repository.js';
import { findPreferences, type PreferenceRecord } from './preferences.repository.js';
import { activeWebhooksFor, findWebhook, newObjectId, type WebhookRecord } from './webhooks.repository.js';

export { EVENT_TYPES, EVENTS, type EventType, type NotifyEvent } from './events.js';
export { setLabelResolver } from './templates.js';

/** What notify() and the processors need from their process. */
export interface NotifyContext {
  config: Config;
  logger: Logger;
  queues: Queues;
  /** Workers only: per-robot rate windows. */
  redis?: Redis;
}

/** Users by id, or every active user of an organisation holding a role. */
export type Recipient = { userId: string } | { organizationId: string; role: Role };

export interface NotifyResult {
  /** Users addressed after resolving roles (disabled users and users who turned the event off excluded). */
  recipients: number;
  /** New inbox notifications (0 when the event was notified before, or when it waits to be collapsed). */
  notifications: number;
  /** Collapsible events recorded for a later summary. */
  collapsing: number;
  /** Delivery jobs put on the channel queues (0 when Redis is down: the sweeper enqueues them later). */
  queued: number;
}

export interface UserChannels {
  inApp: boolean;
  email: boolean;
}

/** The channels a user wants for an event type: their override, else in-app and email. */
export function channelsFor(pref: PreferenceRecord, type: string): UserChannels {
  const o = pref.events.find((e) => e.type === type);
  return { inApp: o?.inApp ?? true, email: o?.email ?? true };
}

export function languageOf(user: Pick<User, 'language'>, pref: PreferenceRecord): Language {
  return pref.language ?? user.language;
}

async function resolveRecipients(recipients: Recipient[]): Promise<{ users: User[]; orgIds: Set<string> }> {
  const ids = recipients.filter((r): r is { userId: string } => 'userId' in r).map((r) => r.userId);
  const byRole = recipients.filter((r): r is { organizationId: string; role: Role } => 'organizationId' in r);
  const found = new Map<string, User>();
  if (ids.length) for (const u of await findActiveUsers({ ids })) found.set(u.id, u);
  for (const r of byRole)
    for (const u of await findActiveUsers({ organizationId: r.organizationId, role: r.role }))
      found.set(u.id, u);
  const orgIds = new Set([...found.values()].map((u) => u.organizationId));
  for (const r of byRole) orgIds.add(r.organizationId);
  return { users: [...found.values()], orgIds };
}

/**
 * The one entry point for the rest of the code: notify the users (by id, or by organisation and
 * role) of an event from the catalogue (`events.ts`). Idempotent: the same event (same type and
 * key fields) notified again creates nothing new and enqueues no new job. Organisations of the
 * recipients get it on their webhooks subscribed to the type — and only those organisations.
 *
 * Writes the notifications and deliveries first, then enqueues one job per delivery. With Redis
 * down the writes stand, the call still succeeds, and the sweeper enqueues the deliveries later.
 */
export async function notify<T extends EventType>(
  event: NotifyEvent<T>,
  recipients: Recipient | Recipient[],
  ctx: NotifyContext,
): Promise<NotifyResult> {
  const ev = parseEvent(event);
  const key = eventKey(ev);
  const spec = EVENTS[ev.type] as EventSpec;
  const { users, orgIds } = await resolveRecipients(Array.isArray(recipients) ? recipients : [recipients]);
  // Independent reads: one round trip's wait instead of two.
  const [prefs, webhooks] = await Promise.all([
    findPreferences(users.map((u) => u.id)),
    activeWebhooksFor([...orgIds], ev.type),
  ]);
  const wanted = users
    .map((user) => ({ user, pref: prefs.get(user.id)!, channels: channelsFor(prefs.get(user.id)!, ev.type) }))
    .filter((x) => x.channels.inApp || x.channels.email);
  const now = new Date();
  const data = ev.data as Record<string, unknown>;

  if (spec.collapse && ctx.config.notifications.collapseWindowMs > 0) {
    const targets = [...wanted.map((x) => `u/${x.user.id}`), ...webhooks.map((w) => `w/${w.id}`)];
    const collapsing = await insertItems(
      targets.map((target) => ({ id: `${target}|${key}`, target, type: ev.type, data, createdAt: now })),
    );
    await enqueueCollapses(ctx, targets, ev.type);
    return { recipients: wanted.length, notifications: 0, collapsing, queued: 0 };
  }
  const payload = spec.collapse ? spec.collapse.summarize([data]) : data;
  return createAndDeliver(ctx, { type: ev.type, key, data: payload, users: wanted, webhooks, now });
}

interface Addressed {
  user: User;
  pref: PreferenceRecord;
  channels: UserChannels;
}

async function createAndDeliver(
  ctx: NotifyContext,
  input: {
    type: EventType;
    key: string;
    data: Record<string, unknown>;
    users: Addressed[];
    webhooks: WebhookRecord[];
    now: Date;
  },
): Promise<NotifyResult> {
  const { type, key, data, users, webhooks, now } = input;
  const spec = EVENTS[type] as EventSpec;
  const docs = users.map((x) => ({
    id: newObjectId(),
    key: `${key}@${x.user.id}`,
    userId: x.user.id,
    organizationId: x.user.organizationId,
    type,
    data,
    inbox: x.channels.inApp,
    createdAt: now,
  }));
  const ids = await insertNotifications(docs);
  const deliveries: NewDelivery[] = [];
  for (const [i, x] of users.entries()) {
    // Reviewers who chose the digest get these by email once a day instead.
    const deferred = spec.digest && x.pref.digest;
    if (!x.channels.email || !x.pref.email || deferred) continue;
    const notificationKey = docs[i]!.key;
    deliveries.push({
      id: newObjectId(),
      key: `${notificationKey}/email`,
      channel: 'email',
      type,
      data,
      organizationId: x.user.organizationId,
      notificationId: ids.get(notificationKey)!,
      userId: x.user.id,
      webhookId: null,
    });
  }
  for (const w of webhooks)
    deliveries.push({
      id: newObjectId(),
      key: `${key}@w/${w.id}`,
      channel: w.kind === 'wecom' ? 'wecom' : 'webhook',
      type,
      data,
      organizationId: w.organizationId,
      notificationId: null,
      userId: null,
      webhookId: w.id,
    });
  const pending = deliveries.length ? await insertDeliveries(deliveries, now) : [];
  const queued = await enqueueDeliveries(ctx, pending);
  return {
    recipients: users.length,
    notifications: docs.filter((d) => ids.get(d.key) === d.id).length,
    collapsing: 0,
    queued,
  };
}

export const CHANNEL_JOB: Record<DeliveryChannel, JobName> = {
  email: 'notify.email',
  webhook: 'notify.webhook',
  wecom: 'notify.wecom',
  sms: 'notify.sms',
};

/** The job of a channel (the sweeper re-enqueues lost deliveries with it). */
export function channelJob(channel: DeliveryChannel): JobName {
  return CHANNEL_JOB[channel];
}

/** The deterministic job id of a delivery's current generation: enqueuing it twice adds one job. */
export function deliveryJobId(d: Pick<DeliveryRecord, 'id' | 'channel' | 'generation'>): string {
  return jobId('notify', d.channel, d.id, `g${d.generation}`);
}

/**
 * One job per delivery, added in bulk per channel queue with deterministic ids. Returns how many
 * were handed to Redis (existing ids are no-ops there); 0 with Redis down (logged, swept later).
 */
export async function enqueueDeliveries(
  ctx: Pick<NotifyContext, 'queues' | 'logger'>,
  deliveries: Pick<DeliveryRecord, 'id' | 'channel' | 'generation'>[],
): Promise<number> {
  let n = 0;
  for (const channel of ['email', 'webhook', 'wecom', 'sms'] as const) {
    const name = CHANNEL_JOB[channel];
    const spec = JOBS[name];
    const list = deliveries.filter((d) => d.channel === channel);
    const queue = ctx.queues[spec.queue];
    const options = 'options' in spec ? spec.options : {};
    const chunks: (typeof list)[] = [];
    for (let start = 0; start < list.length; start += 1000) chunks.push(list.slice(start, start + 1000));
    // Chunks go out together: Redis runs them one after another, but no round trip waits on another.
    await Promise.all(
      chunks.map(async (chunk) => {
        try {
          await queue.addBulk(
            chunk.map((d) => ({
              name,
              data: spec.payload.parse({ deliveryId: d.id }),
              opts: { ...options, jobId: deliveryJobId(d) },
            })),
          );
          n += chunk.length;
        } catch (err) {
          ctx.logger.warn(
            { channel, deliveries: chunk.length, err: (err as Error).message },
            'deliveries not enqueued; the sweeper will catch up',
          );
        }
      }),
    );
  }
  return n;
}

async function enqueueCollapses(ctx: NotifyContext, targets: string[], type: EventType): Promise<void> {
  for (const target of targets) {
    try {
      await enqueue(
        ctx.queues,
        'notify.collapse',
        { target, type },
        {
          delay: ctx.config.notifications.collapseWindowMs,
          // Debounce per recipient: the first event of a burst schedules the summary, the rest
          // are absorbed; one arriving while the summary runs schedules the next one.
          deduplication: { id: jobId('collapse', target, type), keepLastIfActive: true },
        },
      );
    } catch (err) {
      ctx.logger.warn(
        { type, err: (err as Error).message },
        'collapse not enqueued; the sweeper will catch up',
      );
    }
  }
}

/**
 * Summarises the pending collapsible events of one target into one notification (a user) or one
 * delivery (a webhook). `batchId` is stable for one job, so a re-run after a crash finishes the
 * same batch under the same keys instead of creating a second notification.
 */
export async function collapse(
  ctx: NotifyContext,
  target: string,
  type: string,
  batchId: string,
): Promise<{ skipped: string } | { items: number; notifications: number; queued: number }> {
  const spec = EVENTS[type as EventType] as EventSpec | undefined;
  if (!spec?.collapse) return { skipped: 'not_collapsible' };
  const items = await takeBatch(target, type, batchId);
  if (!items.length) return { skipped: 'nothing_pending' };
  const summary = spec.collapse.summary.parse(spec.collapse.summarize(items.map((i) => i.data))) as Record<
    string,
    unknown
  >;
  const key = `${type}/batch/${batchId}`;
  const now = new Date();
  const [kind, id] = target.split('/') as ['u' | 'w', string];
  if (kind === 'u') {
    const [user] = await findActiveUsers({ ids: [id] });
    if (!user) return { skipped: 'user_gone' };
    const pref = (await findPreferences([user.id])).get(user.id)!;
    const channels = channelsFor(pref, type);
    const r = await createAndDeliver(ctx, {
      type: type as EventType,
      key,
      data: summary,
      users: channels.inApp || channels.email ? [{ user, pref, channels }] : [],
      webhooks: [],
      now,
    });
    return { items: items.length, notifications: r.notifications, queued: r.queued };
  }
  const webhook = await findWebhook(id);
  if (!webhook?.enabled) return { skipped: 'webhook_gone' };
  const r = await createAndDeliver(ctx, {
    type: type as EventType,
    key,
    data: summary,
    users: [],
    webhooks: [webhook],
    now,
  });
  return { items: items.length, notifications: 0, queued: r.queued };
}
