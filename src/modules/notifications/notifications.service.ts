import type { Redis } from 'ioredis';
import type { Config } from '../../config.js';
import { JOBS, type JobName, jobId } from '../../jobs/catalogue.js';
import { enqueue, type Queues } from '../../jobs/queues.js';
import type { Actor } from '../../lib/auth/actor.js';
import { createFieldCipher, type FieldCipher } from '../../lib/crypto/field-encryption.js';
import { AppError } from '../../lib/errors.js';
import type { Role } from '../../lib/http/route.js';
import type { Logger } from '../../lib/logger.js';
import { findActiveUsers, findUserById, type User } from '../accounts/accounts.service.js';
import type { Language } from '../accounts/users.repository.js';
import { audit } from '../audit/audit.service.js';
import { findOrganizationById } from '../orgs/orgs.service.js';
import {
  EVENTS,
  type EventSpec,
  type EventType,
  eventKey,
  type NotifyEvent,
  parseEvent,
  type SuggestionSummary,
  summarizeSuggestions,
} from './events.js';
import { webhookScope } from './notifications.policy.js';
import {
  activeWebhooksFor,
  countDeliveries,
  countUnread,
  type DeliveryChannel,
  type DeliveryRecord,
  type DeliveryState,
  deleteWebhook as deleteWebhookRecord,
  findDelivery,
  findPreferences,
  findWebhook,
  findWebhookInScope,
  insertDeliveries,
  insertItems,
  insertNotifications,
  insertWebhook,
  listDeliveries as listDeliveryRecords,
  listInbox,
  listWebhooksOf,
  markAllRead,
  markDigested,
  markRead,
  type NewDelivery,
  type NotificationRecord,
  newObjectId,
  type PreferenceRecord,
  pendingDigestItems,
  requeueFailedDelivery,
  savePreference,
  takeBatch,
  updateWebhookIfVersion,
  type WebhookRecord,
} from './notifications.repository.js';
import { newWebhookSecret } from './signing.js';
import { renderMessage } from './templates.js';
import { maskWebhookUrl, URL_PROBLEM_TEXT, type WebhookKind, webhookUrlProblem } from './webhook-url.js';

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
  const prefs = await findPreferences(users.map((u) => u.id));
  const wanted = users
    .map((user) => ({ user, pref: prefs.get(user.id)!, channels: channelsFor(prefs.get(user.id)!, ev.type) }))
    .filter((x) => x.channels.inApp || x.channels.email);
  const webhooks = await activeWebhooksFor([...orgIds], ev.type);
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

const CHANNEL_JOB: Record<DeliveryChannel, JobName> = {
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

// ---------------------------------------------------------------- daily digest

export interface DigestSummary extends SuggestionSummary {
  /** When the oldest pending item started waiting. */
  oldestWaitingSince: Date | null;
}

/**
 * Where the daily digest gets "pending suggestions in scope" from. The matching module replaces
 * the default with its own (pending matches in the reviewer's partnership scope); the default
 * summarises the `match.suggested` events notified to the user since the last digest.
 */
export interface DigestSource {
  pendingFor(userId: string, upTo: Date): Promise<DigestSummary | null>;
  /** Called once the digest is recorded, so the next digest starts after `upTo`. */
  markDigested(userId: string, upTo: Date): Promise<void>;
}

export const notifiedSuggestionsDigest: DigestSource = {
  async pendingFor(userId, upTo) {
    const items = await pendingDigestItems(`u/${userId}`, 'match.suggested', upTo);
    if (!items.length) return null;
    return {
      ...summarizeSuggestions(items.map((i) => i.data as { openingId: string })),
      oldestWaitingSince: items[0]!.createdAt,
    };
  },
  async markDigested(userId, upTo) {
    await markDigested(`u/${userId}`, 'match.suggested', upTo, new Date());
  },
};

let digestSource: DigestSource = notifiedSuggestionsDigest;

/** The hook the matching module fills: `setDigestSource({ pendingFor, markDigested })`. */
export function setDigestSource(source: DigestSource | undefined): void {
  digestSource = source ?? notifiedSuggestionsDigest;
}

/** The calendar day of `at` in the digest's time zone, `YYYY-MM-DD`. */
export function digestDay(at: Date, tz: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}

export async function sendDigest(
  ctx: NotifyContext,
  userId: string,
  day: string,
  now = new Date(),
): Promise<{ skipped: string } | NotifyResult> {
  const summary = await digestSource.pendingFor(userId, now);
  if (!summary || summary.count === 0) return { skipped: 'nothing_pending' };
  const result = await notify(
    {
      type: 'digest.daily',
      data: {
        day,
        count: summary.count,
        oldestWaitingSince: summary.oldestWaitingSince?.toISOString() ?? null,
        openings: summary.openings,
        moreOpenings: summary.moreOpenings,
      },
    },
    { userId },
    ctx,
  );
  // After the digest is recorded (idempotent per day): a crash before this line re-runs both.
  await digestSource.markDigested(userId, now);
  return result;
}

// ---------------------------------------------------------------- inbox

export async function presentNotification(n: NotificationRecord, lang: Language, publicUrl: string) {
  const message = await renderMessage(
    { type: n.type as EventType, data: n.data, lang, publicUrl },
    'markdown',
  );
  const spec = EVENTS[n.type as EventType] as EventSpec | undefined;
  return {
    id: n.id,
    type: n.type,
    title: message.title,
    body: message.body,
    link: spec ? `${publicUrl.replace(/\/$/, '')}${spec.link(n.data)}` : null,
    data: n.data,
    createdAt: n.createdAt.toISOString(),
    readAt: n.readAt?.toISOString() ?? null,
  };
}

async function languageOfUser(userId: string): Promise<Language> {
  const [user, prefs] = await Promise.all([findUserById(userId), findPreferences([userId])]);
  return prefs.get(userId)?.language ?? user?.language ?? 'zh-CN';
}

export async function listMyNotifications(
  config: Config,
  actor: Actor,
  q: { unread?: boolean; cursor?: string; limit: number },
) {
  const [page, unread, lang] = await Promise.all([
    listInbox(actor.userId, q),
    countUnread(actor.userId),
    languageOfUser(actor.userId),
  ]);
  const items = await Promise.all(page.items.map((n) => presentNotification(n, lang, config.http.publicUrl)));
  return { items, nextCursor: page.nextCursor, total: page.total, unreadCount: unread };
}

const notificationNotFound = () =>
  new AppError('not_found', { detail: '通知不存在', detailEn: 'No such notification' });

export async function markMyNotificationRead(config: Config, actor: Actor, id: string) {
  const n = await markRead(actor.userId, id, new Date());
  if (!n) throw notificationNotFound();
  return presentNotification(n, await languageOfUser(actor.userId), config.http.publicUrl);
}

export async function markAllMyNotificationsRead(actor: Actor) {
  const updated = await markAllRead(actor.userId, new Date());
  return { updated, unreadCount: await countUnread(actor.userId) };
}

// ---------------------------------------------------------------- preferences

export function presentPreferences(p: PreferenceRecord) {
  return {
    email: p.email,
    language: p.language,
    digest: p.digest,
    events: p.events,
    updatedAt: p.updatedAt?.toISOString() ?? null,
  };
}

export async function getMyPreferences(actor: Actor) {
  return presentPreferences((await findPreferences([actor.userId])).get(actor.userId)!);
}

export async function updateMyPreferences(
  actor: Actor,
  input: Partial<Pick<PreferenceRecord, 'email' | 'language' | 'digest' | 'events'>>,
) {
  const saved = await savePreference(actor.userId, input);
  await audit.record({
    action: 'notification_preferences.update',
    resource: { type: 'user', id: actor.userId },
    fields: Object.keys(input),
  });
  return presentPreferences(saved);
}

// ---------------------------------------------------------------- webhooks

let cipherCache: { config: Config; cipher: FieldCipher } | undefined;

export function webhookCipher(config: Config): FieldCipher {
  if (cipherCache?.config !== config) cipherCache = { config, cipher: createFieldCipher(config.security) };
  return cipherCache.cipher;
}

export function presentWebhook(w: WebhookRecord) {
  return {
    id: w.id,
    organizationId: w.organizationId,
    kind: w.kind,
    name: w.name,
    url: w.urlMasked,
    events: w.events,
    language: w.language,
    enabled: w.enabled,
    version: w.version,
    createdAt: w.createdAt.toISOString(),
    updatedAt: w.updatedAt.toISOString(),
  };
}

const webhookNotFound = () =>
  new AppError('not_found', { detail: 'Webhook 不存在', detailEn: 'No such webhook' });

function assertUrl(config: Config, url: string, kind: WebhookKind): void {
  const problem = webhookUrlProblem(url, kind, { allowPrivate: config.notifications.allowPrivateWebhooks });
  if (problem)
    throw new AppError('validation_failed', {
      detail: `url：${URL_PROBLEM_TEXT[problem].zh}`,
      detailEn: `url: ${URL_PROBLEM_TEXT[problem].en}`,
      issues: [{ path: 'body.url', code: `webhook_url.${problem}`, message: URL_PROBLEM_TEXT[problem].en }],
    });
}

/** The organisation named in the path, if the actor may manage its webhooks (else 404). */
async function managedOrganization(actor: Actor, organizationId: string): Promise<string> {
  const scope = webhookScope(actor);
  const allowed = Object.keys(scope).length === 0 || actor.organizationId === organizationId;
  if (!allowed || !(await findOrganizationById(organizationId)))
    throw new AppError('not_found', { detail: '机构不存在', detailEn: 'No such organisation' });
  return organizationId;
}

export async function listOrganizationWebhooks(actor: Actor, organizationId: string) {
  await managedOrganization(actor, organizationId);
  return (await listWebhooksOf(organizationId)).map(presentWebhook);
}

export interface WebhookInput {
  kind: WebhookKind;
  name: string;
  url: string;
  events?: string[];
  language?: Language;
  enabled?: boolean;
}

export async function createWebhook(
  config: Config,
  actor: Actor,
  organizationId: string,
  input: WebhookInput,
) {
  await managedOrganization(actor, organizationId);
  assertUrl(config, input.url, input.kind);
  const id = newObjectId();
  const cipher = webhookCipher(config);
  const secret = input.kind === 'generic' ? newWebhookSecret() : null;
  const webhook = await insertWebhook({
    id,
    organizationId,
    kind: input.kind,
    name: input.name,
    urlEncrypted: cipher.encrypt(input.url, { field: 'url', recordId: id }),
    urlMasked: maskWebhookUrl(input.url),
    secretEncrypted: secret ? cipher.encrypt(secret, { field: 'secret', recordId: id }) : null,
    events: input.events ?? [],
    language: input.language ?? 'zh-CN',
    enabled: input.enabled ?? true,
  });
  await audit.record({
    action: 'webhook.create',
    resource: { type: 'webhook', id },
    fields: Object.keys(input),
  });
  // The secret is shown once, here; afterwards only rotation reveals a new one.
  return { ...presentWebhook(webhook), secret };
}

async function webhookInScope(actor: Actor, id: string): Promise<WebhookRecord> {
  const w = await findWebhookInScope(id, webhookScope(actor));
  if (!w) throw webhookNotFound();
  return w;
}

export async function getWebhook(actor: Actor, id: string) {
  return webhookInScope(actor, id);
}

export async function updateWebhook(
  config: Config,
  actor: Actor,
  id: string,
  version: number,
  input: Partial<Omit<WebhookInput, 'kind'>>,
) {
  const current = await webhookInScope(actor, id);
  const set: Parameters<typeof updateWebhookIfVersion>[2] = {};
  if (input.name !== undefined) set.name = input.name;
  if (input.events !== undefined) set.events = input.events;
  if (input.language !== undefined) set.language = input.language;
  if (input.enabled !== undefined) set.enabled = input.enabled;
  if (input.url !== undefined) {
    assertUrl(config, input.url, current.kind);
    set.urlEncrypted = webhookCipher(config).encrypt(input.url, { field: 'url', recordId: id });
    set.urlMasked = maskWebhookUrl(input.url);
  }
  const updated = await updateWebhookIfVersion(id, version, set);
  if (!updated) throw new AppError('precondition_failed', { extra: { currentVersion: current.version } });
  await audit.record({
    action: 'webhook.update',
    resource: { type: 'webhook', id },
    fields: Object.keys(input),
  });
  return updated;
}

export async function rotateWebhookSecret(config: Config, actor: Actor, id: string) {
  const current = await webhookInScope(actor, id);
  if (current.kind !== 'generic')
    throw new AppError('conflict', {
      detail: '企业微信群机器人没有签名密钥',
      detailEn: 'WeCom group robots have no signing secret',
    });
  const secret = newWebhookSecret();
  const updated = await updateWebhookIfVersion(id, current.version, {
    secretEncrypted: webhookCipher(config).encrypt(secret, { field: 'secret', recordId: id }),
  });
  if (!updated) throw new AppError('conflict');
  await audit.record({
    action: 'webhook.rotate_secret',
    resource: { type: 'webhook', id },
    fields: ['secret'],
  });
  return { ...presentWebhook(updated), secret };
}

export async function removeWebhook(actor: Actor, id: string): Promise<void> {
  await webhookInScope(actor, id);
  await deleteWebhookRecord(id);
  await audit.record({ action: 'webhook.delete', resource: { type: 'webhook', id } });
}

// ---------------------------------------------------------------- deliveries (admins)

export function presentDelivery(d: DeliveryRecord) {
  return {
    id: d.id,
    channel: d.channel,
    type: d.type,
    state: d.state,
    organizationId: d.organizationId,
    notificationId: d.notificationId,
    userId: d.userId,
    webhookId: d.webhookId,
    profileId: d.profileId,
    attempts: d.attempts,
    generation: d.generation,
    interruptedSends: d.interruptedSends,
    lastError: d.lastError,
    lastAttemptAt: d.lastAttemptAt?.toISOString() ?? null,
    sentAt: d.sentAt?.toISOString() ?? null,
    version: d.version,
    createdAt: d.createdAt.toISOString(),
    updatedAt: d.updatedAt.toISOString(),
  };
}

export async function listDeliveries(q: {
  state?: DeliveryState;
  channel?: DeliveryChannel;
  organizationId?: string;
  cursor?: string;
  limit: number;
}) {
  const page = await listDeliveryRecords(q, q);
  return { items: page.items.map(presentDelivery), nextCursor: page.nextCursor, total: page.total };
}

/** Deliveries that failed for good (every attempt spent): each waits for an admin's retry. */
export async function failedDeliveryCount(): Promise<number> {
  return countDeliveries({ state: 'failed' });
}

/** A permanently failed delivery goes back to the queue under a new generation (a new send claim). */
export async function retryDelivery(ctx: Pick<NotifyContext, 'queues' | 'logger'>, id: string) {
  const current = await findDelivery(id);
  if (!current) throw new AppError('not_found', { detail: '投递记录不存在', detailEn: 'No such delivery' });
  if (current.state !== 'failed')
    throw new AppError('illegal_transition', {
      detail: '只有失败的投递可以重试',
      detailEn: 'Only a failed delivery can be retried',
      extra: { currentState: current.state },
    });
  const updated = await requeueFailedDelivery(id, current.version, new Date());
  if (!updated)
    throw new AppError('conflict', { detail: '投递记录已被他人修改', detailEn: 'Changed meanwhile' });
  await enqueue(ctx.queues, CHANNEL_JOB[updated.channel], { deliveryId: id } as never, {
    jobId: deliveryJobId(updated),
  });
  await audit.record({
    action: 'notification_delivery.retry',
    resource: { type: 'notification_delivery', id },
  });
  return presentDelivery(updated);
}
