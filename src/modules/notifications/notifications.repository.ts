import mongoose, { Schema, Types } from 'mongoose';
import { isDuplicateKey, trustedFilter } from '../../lib/db/index.js';
import { type Page, paginate } from '../../lib/http/pagination.js';
import type { Language } from '../accounts/users.repository.js';
import type { WebhookKind } from './webhook-url.js';

/**
 * Notifications persist in five collections, models private to this file:
 * - `notifications`: one per (event occurrence, user) — the inbox; unique `key`.
 * - `notification_items`: collapsible events waiting to be summarised per target (user or
 *   webhook); `_id` is the deterministic key, so the same event twice is one item.
 * - `notification_deliveries`: one per (notification, email) or (event, webhook): per-channel state,
 *   attempts, last error; unique `key`.
 * - `notification_preferences`: per user (`_id` = user id).
 * - `notification_webhooks`: per organisation; URL and secret encrypted at rest.
 */

const oid = (id: string) => new Types.ObjectId(id);
type Doc = Record<string, unknown> & { _id: unknown };

/** Documents whose `field` equals one of `values`: one `$in` query (`field` is indexed). */
async function findByField(
  // biome-ignore lint/suspicious/noExplicitAny: any model
  model: mongoose.Model<any>,
  field: string,
  values: unknown[],
  projection?: Record<string, 0 | 1>,
): Promise<Doc[]> {
  if (!values.length) return [];
  return model.find(trustedFilter({ [field]: { $in: [...new Set(values)] } }), projection).lean<Doc[]>();
}

// ---------------------------------------------------------------- notifications (inbox)

const notificationSchema = new Schema(
  {
    key: { type: String, required: true },
    userId: { type: Schema.Types.ObjectId, required: true },
    organizationId: { type: Schema.Types.ObjectId, required: true },
    type: { type: String, required: true },
    data: { type: Schema.Types.Mixed, required: true },
    /** False when the user turned in-app off for this event (the record still backs email). */
    inbox: { type: Boolean, required: true },
    createdAt: { type: Date, required: true },
    readAt: { type: Date, default: null },
  },
  { collection: 'notifications', versionKey: false, minimize: false },
);
notificationSchema.index({ key: 1 }, { unique: true });
notificationSchema.index({ userId: 1, inbox: 1, createdAt: -1, _id: -1 });
notificationSchema.index({ userId: 1, inbox: 1, readAt: 1 });
const NotificationModel = mongoose.model('Notification', notificationSchema);

export interface NotificationRecord {
  id: string;
  key: string;
  userId: string;
  organizationId: string;
  type: string;
  data: Record<string, unknown>;
  inbox: boolean;
  createdAt: Date;
  readAt: Date | null;
}

function toNotification(doc: Doc): NotificationRecord {
  const { _id, userId, organizationId, ...rest } = doc;
  return {
    id: String(_id),
    userId: String(userId),
    organizationId: String(organizationId),
    ...rest,
  } as NotificationRecord;
}

export type NewNotification = Omit<NotificationRecord, 'id' | 'readAt'> & { id: string };

/**
 * Inserts what is new, skipping keys that exist (the unique index decides, atomically). Returns
 * the ids of every key, existing or new.
 */
export async function insertNotifications(all: NewNotification[]): Promise<Map<string, string>> {
  // Known keys are looked up first (one `$in` on the unique `key` index): re-notifying an event is
  // common (retries, sweeps), and those then skip the insert. A race between two first inserts is
  // still settled by the unique index below.
  const known = new Map<string, string>();
  if (all.length) {
    const found = await findByField(
      NotificationModel,
      'key',
      all.map((d) => d.key),
      { key: 1 },
    );
    for (const e of found) known.set(e.key as string, String(e._id));
  }
  const docs = all.filter((d) => !known.has(d.key));
  const inserted = await insertIgnoringDuplicates(
    NotificationModel,
    docs.map((d) => ({
      _id: oid(d.id),
      key: d.key,
      userId: oid(d.userId),
      organizationId: oid(d.organizationId),
      type: d.type,
      data: d.data,
      inbox: d.inbox,
      createdAt: d.createdAt,
      readAt: null,
    })),
  );
  const ids = new Map([...known, ...docs.filter((_, i) => inserted[i]).map((d) => [d.key, d.id] as const)]);
  const missing = docs.filter((_, i) => !inserted[i]).map((d) => d.key);
  if (missing.length) {
    const existing = await NotificationModel.find(trustedFilter({ key: { $in: missing } }), {
      key: 1,
    }).lean();
    for (const e of existing) ids.set(e.key, String(e._id));
  }
  return ids;
}

/**
 * Unordered bulk insert through the driver (no per-document hydration); `true` per document that
 * was inserted, `false` where its unique key already existed. Other errors are thrown.
 */
async function insertIgnoringDuplicates(
  // biome-ignore lint/suspicious/noExplicitAny: any model's collection
  model: mongoose.Model<any>,
  docs: Record<string, unknown>[],
): Promise<boolean[]> {
  const ok = docs.map(() => true);
  for (let start = 0; start < docs.length; start += 1000) {
    const chunk = docs.slice(start, start + 1000);
    try {
      await model.collection.insertMany(chunk, { ordered: false });
    } catch (err) {
      const writeErrors = (
        err as { writeErrors?: { index: number; code: number }[] | { index: number; code: number } }
      ).writeErrors;
      const list = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
      if (!list.length && !isDuplicateKey(err)) throw err;
      if (!list.every(isDuplicateKey)) throw err;
      if (!list.length) {
        // A single-document failure without writeErrors: only that one.
        if (chunk.length === 1) ok[start] = false;
        else throw err;
      }
      for (const e of list) ok[start + e.index] = false;
    }
  }
  return ok;
}

export async function findNotification(id: string): Promise<NotificationRecord | null> {
  if (!Types.ObjectId.isValid(id)) return null;
  const doc = await NotificationModel.findById(id).lean();
  return doc ? toNotification(doc as Doc) : null;
}

export async function findNotificationsByKeys(keys: string[]): Promise<NotificationRecord[]> {
  return (await findByField(NotificationModel, 'key', keys)).map(toNotification);
}

/** The user's own inbox: the filter is built from the user id alone. */
export async function listInbox(
  userId: string,
  opts: { unread?: boolean; cursor?: string; limit: number },
): Promise<Page<NotificationRecord>> {
  const filter: Record<string, unknown> = { userId: oid(userId), inbox: true };
  if (opts.unread) filter.readAt = null;
  return paginate(
    NotificationModel,
    filter,
    { sort: '-createdAt', cursor: opts.cursor, limit: opts.limit },
    (d) => toNotification(d as Doc),
  );
}

export async function countUnread(userId: string): Promise<number> {
  return NotificationModel.countDocuments({ userId: oid(userId), inbox: true, readAt: null });
}

/** Marks one of the user's own notifications read; null when it is not theirs (or does not exist). */
export async function markRead(userId: string, id: string, now: Date): Promise<NotificationRecord | null> {
  const own = { _id: oid(id), userId: oid(userId), inbox: true };
  // Idempotent: an already-read notification keeps its first readAt.
  await NotificationModel.updateOne({ ...own, readAt: null }, { $set: { readAt: now } });
  const doc = await NotificationModel.findOne(own).lean();
  return doc ? toNotification(doc as Doc) : null;
}

export async function markAllRead(userId: string, now: Date): Promise<number> {
  const res = await NotificationModel.updateMany(
    { userId: oid(userId), inbox: true, readAt: null },
    { $set: { readAt: now } },
  );
  return res.modifiedCount;
}

// ---------------------------------------------------------------- items (collapse + digest)

const itemSchema = new Schema(
  {
    _id: { type: String, required: true },
    /** `u/<userId>` or `w/<webhookId>`. */
    target: { type: String, required: true },
    type: { type: String, required: true },
    data: { type: Schema.Types.Mixed, required: true },
    createdAt: { type: Date, required: true },
    /** The collapse run that summarised it; null while pending. */
    batchId: { type: String, default: null },
    /** When a daily digest covered it (users who chose the digest). */
    digestedAt: { type: Date, default: null },
  },
  { collection: 'notification_items', versionKey: false, minimize: false },
);
itemSchema.index({ target: 1, type: 1, batchId: 1, createdAt: 1 });
itemSchema.index({ target: 1, type: 1, digestedAt: 1, createdAt: 1 });
itemSchema.index({ batchId: 1, createdAt: 1 });
const ItemModel = mongoose.model('NotificationItem', itemSchema);

export interface ItemRecord {
  id: string;
  target: string;
  type: string;
  data: Record<string, unknown>;
  createdAt: Date;
  batchId: string | null;
  digestedAt: Date | null;
}

function toItem(doc: Doc): ItemRecord {
  const { _id, ...rest } = doc;
  return { id: String(_id), ...rest } as ItemRecord;
}

export async function insertItems(items: Omit<ItemRecord, 'batchId' | 'digestedAt'>[]): Promise<number> {
  const ok = await insertIgnoringDuplicates(
    ItemModel,
    items.map((i) => ({
      _id: i.id,
      target: i.target,
      type: i.type,
      data: i.data,
      createdAt: i.createdAt,
      batchId: null,
      digestedAt: null,
    })),
  );
  return ok.filter(Boolean).length;
}

/**
 * Assigns every pending item of (target, type) to `batchId` and returns the batch. One collapse
 * job runs per (target, type) at a time (BullMQ deduplication), so this multi-document update
 * (atomic per document only) cannot interleave with another batch; a re-run of the same job finds
 * its own batch.
 */
export async function takeBatch(target: string, type: string, batchId: string): Promise<ItemRecord[]> {
  await ItemModel.updateMany({ target, type, batchId: null }, { $set: { batchId } });
  const docs = await ItemModel.find({ batchId }).sort({ createdAt: 1 }).lean();
  return docs.map((d) => toItem(d as Doc));
}

/** Items not digested yet for a user (the default digest source). */
export async function pendingDigestItems(target: string, type: string, upTo: Date): Promise<ItemRecord[]> {
  const docs = await ItemModel.find(
    trustedFilter({ target, type, digestedAt: null, createdAt: { $lte: upTo } }),
  )
    .sort({ createdAt: 1 })
    .limit(100_000)
    .lean();
  return docs.map((d) => toItem(d as Doc));
}

export async function markDigested(target: string, type: string, upTo: Date, now: Date): Promise<void> {
  await ItemModel.updateMany(trustedFilter({ target, type, digestedAt: null, createdAt: { $lte: upTo } }), {
    $set: { digestedAt: now },
  });
}

/** Targets with items still pending collapse since before `before` (the sweeper re-enqueues them). */
export async function laggingCollapseTargets(
  before: Date,
  limit: number,
): Promise<{ target: string; type: string }[]> {
  const docs = await ItemModel.find(trustedFilter({ batchId: null, createdAt: { $lt: before } }), {
    target: 1,
    type: 1,
  })
    .limit(limit)
    .lean();
  const seen = new Map<string, { target: string; type: string }>();
  for (const d of docs) seen.set(`${d.target}|${d.type}`, { target: d.target, type: d.type });
  return [...seen.values()];
}

export async function purgeItems(before: Date): Promise<number> {
  const res = await ItemModel.deleteMany(
    trustedFilter({ createdAt: { $lt: before }, batchId: { $ne: null } }),
  );
  return res.deletedCount;
}

// ---------------------------------------------------------------- deliveries

export const DELIVERY_CHANNELS = ['email', 'webhook', 'wecom', 'sms'] as const;
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];
export const DELIVERY_STATES = ['pending', 'sent', 'failed', 'skipped'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

const deliverySchema = new Schema(
  {
    key: { type: String, required: true },
    channel: { type: String, enum: DELIVERY_CHANNELS, required: true },
    type: { type: String, required: true },
    data: { type: Schema.Types.Mixed, required: true },
    organizationId: { type: Schema.Types.ObjectId, required: true },
    notificationId: { type: Schema.Types.ObjectId, default: null },
    userId: { type: Schema.Types.ObjectId, default: null },
    webhookId: { type: Schema.Types.ObjectId, default: null },
    /** SMS: the job seeker addressed (their phone is read from the profile at send time). */
    profileId: { type: Schema.Types.ObjectId, default: null },
    state: { type: String, enum: DELIVERY_STATES, required: true },
    /** Bumped by a manual retry: a new send claim and a new job id. */
    generation: { type: Number, required: true, default: 0 },
    attempts: { type: Number, required: true, default: 0 },
    /** Sends repeated because an earlier attempt died between sending and recording (at-least-once). */
    interruptedSends: { type: Number, required: true, default: 0 },
    lastError: { type: String, default: null },
    lastAttemptAt: { type: Date, default: null },
    sentAt: { type: Date, default: null },
    version: { type: Number, required: true, default: 1 },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'notification_deliveries', versionKey: false, minimize: false },
);
deliverySchema.index({ key: 1 }, { unique: true });
deliverySchema.index({ state: 1, updatedAt: 1 });
deliverySchema.index({ state: 1, createdAt: -1, _id: -1 });
deliverySchema.index({ organizationId: 1, createdAt: -1 });
const DeliveryModel = mongoose.model('NotificationDelivery', deliverySchema);

export interface DeliveryRecord {
  id: string;
  key: string;
  channel: DeliveryChannel;
  type: string;
  data: Record<string, unknown>;
  organizationId: string;
  notificationId: string | null;
  userId: string | null;
  webhookId: string | null;
  profileId: string | null;
  state: DeliveryState;
  generation: number;
  attempts: number;
  interruptedSends: number;
  lastError: string | null;
  lastAttemptAt: Date | null;
  sentAt: Date | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

const idOrNull = (v: unknown) => (v ? String(v) : null);

function toDelivery(doc: Doc): DeliveryRecord {
  const { _id, organizationId, notificationId, userId, webhookId, profileId, ...rest } = doc;
  return {
    id: String(_id),
    organizationId: String(organizationId),
    notificationId: idOrNull(notificationId),
    userId: idOrNull(userId),
    webhookId: idOrNull(webhookId),
    profileId: idOrNull(profileId),
    ...rest,
  } as DeliveryRecord;
}

export type NewDelivery = Pick<
  DeliveryRecord,
  'id' | 'key' | 'channel' | 'type' | 'data' | 'organizationId' | 'notificationId' | 'userId' | 'webhookId'
> & { profileId?: string | null };

/** Inserts new deliveries (existing keys skipped) and returns every one of the keys still pending. */
export async function insertDeliveries(all: NewDelivery[], now: Date): Promise<DeliveryRecord[]> {
  const known = (
    await findByField(
      DeliveryModel,
      'key',
      all.map((d) => d.key),
    )
  ).map(toDelivery);
  const knownKeys = new Set(known.map((d) => d.key));
  const docs = all.filter((d) => !knownKeys.has(d.key));
  const rows = docs.map((d) => ({
    _id: oid(d.id),
    key: d.key,
    channel: d.channel,
    type: d.type,
    data: d.data,
    organizationId: oid(d.organizationId),
    notificationId: d.notificationId ? oid(d.notificationId) : null,
    userId: d.userId ? oid(d.userId) : null,
    webhookId: d.webhookId ? oid(d.webhookId) : null,
    profileId: d.profileId ? oid(d.profileId) : null,
    state: 'pending' as const,
    generation: 0,
    attempts: 0,
    interruptedSends: 0,
    lastError: null,
    lastAttemptAt: null,
    sentAt: null,
    version: 1,
    createdAt: now,
    updatedAt: now,
  }));
  const inserted = await insertIgnoringDuplicates(DeliveryModel, rows);
  const fresh = rows.filter((_, i) => inserted[i]).map((r) => toDelivery(r as unknown as Doc));
  const existingKeys = docs.filter((_, i) => !inserted[i]).map((d) => d.key);
  const pendingKnown = known.filter((d) => d.state === 'pending');
  if (!existingKeys.length) return [...pendingKnown, ...fresh];
  const existing = (await findByField(DeliveryModel, 'key', existingKeys))
    .map(toDelivery)
    .filter((d) => d.state === 'pending');
  return [...pendingKnown, ...fresh, ...existing];
}

export async function findDelivery(id: string): Promise<DeliveryRecord | null> {
  if (!Types.ObjectId.isValid(id)) return null;
  const doc = await DeliveryModel.findById(id).lean();
  return doc ? toDelivery(doc as Doc) : null;
}

export async function findDeliveriesByKeys(keys: string[]): Promise<DeliveryRecord[]> {
  return (await findByField(DeliveryModel, 'key', keys)).map(toDelivery);
}

/**
 * Updates written only by the holder of the delivery's send claim (one at a time), so a plain
 * update is enough; `version` is bumped for the manual-retry endpoint's If-Match-like claim.
 */
export async function updateDelivery(
  id: string,
  set: Partial<Pick<DeliveryRecord, 'state' | 'lastError' | 'lastAttemptAt' | 'sentAt'>>,
  inc: Partial<Record<'attempts' | 'interruptedSends', number>> = {},
  now = new Date(),
): Promise<void> {
  await DeliveryModel.updateOne(
    { _id: oid(id) },
    { $set: { ...set, updatedAt: now }, $inc: { ...inc, version: 1 } },
  );
}

/** failed → pending with the next generation, conditional on the version read (claimed by the caller). */
export async function requeueFailedDelivery(
  id: string,
  version: number,
  now: Date,
): Promise<DeliveryRecord | null> {
  const doc = await DeliveryModel.findOneAndUpdate(
    { _id: oid(id), version, state: 'failed' },
    { $set: { state: 'pending', updatedAt: now }, $inc: { version: 1, generation: 1 } },
    { returnDocument: 'after' },
  ).lean();
  return doc ? toDelivery(doc as Doc) : null;
}

export async function listDeliveries(
  filter: { state?: DeliveryState; channel?: DeliveryChannel; organizationId?: string },
  opts: { cursor?: string; limit: number },
): Promise<Page<DeliveryRecord>> {
  const f: Record<string, unknown> = {};
  if (filter.state) f.state = filter.state;
  if (filter.channel) f.channel = filter.channel;
  if (filter.organizationId) f.organizationId = oid(filter.organizationId);
  return paginate(DeliveryModel, f, { sort: '-createdAt', cursor: opts.cursor, limit: opts.limit }, (d) =>
    toDelivery(d as Doc),
  );
}

/** Pending deliveries not touched since `before`: their job may have been lost (Redis was down). */
export async function laggingDeliveries(before: Date, limit: number): Promise<DeliveryRecord[]> {
  const docs = await DeliveryModel.find(trustedFilter({ state: 'pending', updatedAt: { $lt: before } }))
    .sort({ updatedAt: 1 })
    .limit(limit)
    .lean();
  return docs.map((d) => toDelivery(d as Doc));
}

export async function countDeliveries(filter: {
  state?: DeliveryState;
  channel?: DeliveryChannel;
}): Promise<number> {
  return DeliveryModel.countDocuments(filter);
}

// ---------------------------------------------------------------- preferences

const preferenceSchema = new Schema(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    email: { type: String, default: null },
    language: { type: String, enum: ['zh-CN', 'en', null], default: null },
    digest: { type: Boolean, required: true, default: false },
    /** Per event type; an event not listed gets the defaults (in-app and email on). */
    events: {
      type: [{ _id: false, type: { type: String, required: true }, inApp: Boolean, email: Boolean }],
      default: [],
    },
    version: { type: Number, required: true, default: 1 },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'notification_preferences', versionKey: false },
);
preferenceSchema.index({ digest: 1, _id: 1 });
const PreferenceModel = mongoose.model('NotificationPreference', preferenceSchema);

export interface EventChannels {
  type: string;
  inApp: boolean;
  email: boolean;
}

export interface PreferenceRecord {
  userId: string;
  email: string | null;
  language: Language | null;
  digest: boolean;
  events: EventChannels[];
  version: number;
  updatedAt: Date | null;
}

function toPreference(doc: Doc): PreferenceRecord {
  const { _id, ...rest } = doc as Doc & Omit<PreferenceRecord, 'userId'>;
  return {
    userId: String(_id),
    email: rest.email ?? null,
    language: rest.language ?? null,
    digest: rest.digest ?? false,
    events: (rest.events ?? []).map((e) => ({
      type: e.type,
      inApp: e.inApp !== false,
      email: e.email !== false,
    })),
    version: rest.version ?? 1,
    updatedAt: rest.updatedAt ?? null,
  };
}

export function defaultPreference(userId: string): PreferenceRecord {
  return { userId, email: null, language: null, digest: false, events: [], version: 0, updatedAt: null };
}

export async function findPreferences(userIds: string[]): Promise<Map<string, PreferenceRecord>> {
  const docs = await findByField(PreferenceModel, '_id', userIds.map(oid));
  const map = new Map(docs.map((d) => [String(d._id), toPreference(d)]));
  for (const id of userIds) if (!map.has(id)) map.set(id, defaultPreference(id));
  return map;
}

export async function savePreference(
  userId: string,
  set: Partial<Pick<PreferenceRecord, 'email' | 'language' | 'digest' | 'events'>>,
  now = new Date(),
): Promise<PreferenceRecord> {
  const doc = await PreferenceModel.findOneAndUpdate(
    { _id: oid(userId) },
    { $set: { ...set, updatedAt: now }, $inc: { version: 1 } },
    { returnDocument: 'after', upsert: true },
  ).lean();
  return toPreference(doc as Doc);
}

export async function usersWithDigest(after: string | null, limit: number): Promise<string[]> {
  const filter: Record<string, unknown> = { digest: true };
  if (after) filter._id = { $gt: oid(after) };
  const docs = await PreferenceModel.find(trustedFilter(filter), { _id: 1 })
    .sort({ _id: 1 })
    .limit(limit)
    .lean();
  return docs.map((d) => String(d._id));
}

// ---------------------------------------------------------------- webhooks

const webhookSchema = new Schema(
  {
    organizationId: { type: Schema.Types.ObjectId, required: true },
    kind: { type: String, enum: ['generic', 'wecom'], required: true },
    name: { type: String, required: true },
    /** Encrypted (field cipher, bound to this id): the URL may carry a robot key. */
    url: { type: String, required: true },
    urlMasked: { type: String, required: true },
    /** Encrypted signing secret (generic webhooks). */
    secret: { type: String, default: null },
    /** Subscribed event types; empty = every event the organisation's users receive. */
    events: { type: [String], default: [] },
    language: { type: String, enum: ['zh-CN', 'en'], required: true, default: 'zh-CN' },
    enabled: { type: Boolean, required: true, default: true },
    version: { type: Number, required: true, default: 1 },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'notification_webhooks', versionKey: false },
);
webhookSchema.index({ organizationId: 1, enabled: 1 });
const WebhookModel = mongoose.model('NotificationWebhook', webhookSchema);

export interface WebhookRecord {
  id: string;
  organizationId: string;
  kind: WebhookKind;
  name: string;
  /** Encrypted forms: decrypt only to send. */
  urlEncrypted: string;
  urlMasked: string;
  secretEncrypted: string | null;
  events: string[];
  language: Language;
  enabled: boolean;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

function toWebhook(doc: Doc): WebhookRecord {
  const { _id, organizationId, url, secret, ...rest } = doc;
  return {
    id: String(_id),
    organizationId: String(organizationId),
    urlEncrypted: url as string,
    secretEncrypted: (secret as string | null) ?? null,
    ...rest,
  } as WebhookRecord;
}

export function newObjectId(): string {
  return new Types.ObjectId().toHexString();
}

export async function insertWebhook(
  w: Omit<WebhookRecord, 'version' | 'createdAt' | 'updatedAt'>,
  now = new Date(),
): Promise<WebhookRecord> {
  const doc = await WebhookModel.create({
    _id: oid(w.id),
    organizationId: oid(w.organizationId),
    kind: w.kind,
    name: w.name,
    url: w.urlEncrypted,
    urlMasked: w.urlMasked,
    secret: w.secretEncrypted,
    events: w.events,
    language: w.language,
    enabled: w.enabled,
    version: 1,
    createdAt: now,
    updatedAt: now,
  });
  return toWebhook(doc.toObject() as Doc);
}

export async function findWebhookInScope(
  id: string,
  scope: Record<string, unknown>,
): Promise<WebhookRecord | null> {
  if (!Types.ObjectId.isValid(id)) return null;
  const doc = await WebhookModel.findOne(trustedFilter({ $and: [{ _id: oid(id) }, scope] })).lean();
  return doc ? toWebhook(doc as Doc) : null;
}

export async function findWebhook(id: string): Promise<WebhookRecord | null> {
  return findWebhookInScope(id, {});
}

export async function listWebhooksOf(organizationId: string): Promise<WebhookRecord[]> {
  const docs = await WebhookModel.find({ organizationId: oid(organizationId) })
    .sort({ _id: 1 })
    .limit(200)
    .lean();
  return docs.map((d) => toWebhook(d as Doc));
}

/** Enabled webhooks of these organisations subscribed to `type` (empty subscription = all). */
export async function activeWebhooksFor(organizationIds: string[], type: string): Promise<WebhookRecord[]> {
  if (!organizationIds.length) return [];
  const docs = await WebhookModel.find(
    trustedFilter({ organizationId: { $in: organizationIds.map(oid) }, enabled: true }),
  ).lean();
  return docs.map((d) => toWebhook(d as Doc)).filter((w) => w.events.length === 0 || w.events.includes(type));
}

export async function updateWebhookIfVersion(
  id: string,
  version: number,
  set: Partial<
    Pick<
      WebhookRecord,
      'name' | 'urlEncrypted' | 'urlMasked' | 'secretEncrypted' | 'events' | 'language' | 'enabled'
    >
  >,
  now = new Date(),
): Promise<WebhookRecord | null> {
  const { urlEncrypted, secretEncrypted, ...rest } = set;
  const $set: Record<string, unknown> = { ...rest, updatedAt: now };
  if (urlEncrypted !== undefined) $set.url = urlEncrypted;
  if (secretEncrypted !== undefined) $set.secret = secretEncrypted;
  const doc = await WebhookModel.findOneAndUpdate(
    { _id: oid(id), version },
    { $set, $inc: { version: 1 } },
    { returnDocument: 'after' },
  ).lean();
  return doc ? toWebhook(doc as Doc) : null;
}

export async function deleteWebhook(id: string): Promise<boolean> {
  const res = await WebhookModel.deleteOne({ _id: oid(id) });
  return res.deletedCount === 1;
}
