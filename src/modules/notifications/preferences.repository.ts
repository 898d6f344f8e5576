import mongoose, { Schema } from 'mongoose';
import { trustedFilter } from '../../lib/db/index.js';
import type { Language } from '../accounts/language.js';
import { type Doc, findByField, oid } from './repository-support.js';

/** `notification_preferences`: per user (`_id` = user id). Model private to this file. */

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
