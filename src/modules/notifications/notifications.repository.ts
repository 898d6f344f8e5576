import mongoose, { Schema, Types } from 'mongoose';
import { trustedFilter } from '../../lib/db/index.js';
import { type Page, paginate } from '../../lib/http/pagination.js';
import { type Doc, findByField, insertIgnoringDuplicates, oid } from './repository-support.js';

/** The inbox: `notifications`, one per (event occurrence, user); unique `key`. Model private to this file. */

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
