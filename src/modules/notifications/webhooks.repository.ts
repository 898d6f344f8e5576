import mongoose, { Schema, Types } from 'mongoose';
import { trustedFilter } from '../../lib/db/index.js';
import type { Language } from '../accounts/language.js';
import { type Doc, oid } from './repository-support.js';
import type { WebhookKind } from './webhook-url.js';

/** `notification_webhooks`: per organisation; URL and secret encrypted at rest. Model private to this file. */

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
