import mongoose, { Schema, Types } from 'mongoose';
import { trustedFilter, writeErrorsOf } from '../../lib/db/index.js';
import { type Page, paginate } from '../../lib/http/pagination.js';
import { type Doc, findByField, insertIgnoringDuplicates, oid } from './repository-support.js';

/**
 * `notification_deliveries`: one per (notification, email) or (event, webhook): per-channel state,
 * attempts, last error; unique `key`. Model private to this file.
 */

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

/** The deliveries of these ids (one `$in` on `_id`), in the order asked; null where none. */
export async function findDeliveries(ids: string[]): Promise<(DeliveryRecord | null)[]> {
  const valid = ids.filter((id) => Types.ObjectId.isValid(id));
  const byId = new Map(
    (await findByField(DeliveryModel, '_id', valid.map(oid))).map((d) => [String(d._id), toDelivery(d)]),
  );
  return ids.map((id) => byId.get(id) ?? null);
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

export interface DeliveryUpdate {
  id: string;
  set: Partial<Pick<DeliveryRecord, 'state' | 'lastError' | 'lastAttemptAt' | 'sentAt'>>;
  inc?: Partial<Record<'attempts' | 'interruptedSends', number>>;
}

/**
 * Several `updateDelivery`s in one unordered bulk write, each keyed on its `_id`: the same
 * single-document updates, one round trip. Per update: undefined when written, else its Error.
 */
export async function updateDeliveries(
  updates: DeliveryUpdate[],
  now = new Date(),
): Promise<(Error | undefined)[]> {
  if (!updates.length) return [];
  const results: (Error | undefined)[] = updates.map(() => undefined);
  try {
    await DeliveryModel.collection.bulkWrite(
      updates.map((u) => ({
        updateOne: {
          filter: { _id: oid(u.id) },
          update: { $set: { ...u.set, updatedAt: now }, $inc: { ...u.inc, version: 1 } },
        },
      })),
      { ordered: false },
    );
  } catch (err) {
    const list = writeErrorsOf(err);
    // Without per-write errors nothing tells which updates were written: all count as failed.
    if (!list.length) throw err;
    for (const e of list) results[e.index] = new Error(e.errmsg ?? 'delivery update failed');
  }
  return results;
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
