import mongoose, { Schema } from 'mongoose';
import { trustedFilter } from '../../lib/db/index.js';
import type { Doc } from './repository-support.js';
import { insertIgnoringDuplicates } from './repository-support.js';

/**
 * `notification_items`: collapsible events waiting to be summarised per target (user or webhook);
 * `_id` is the deterministic key, so the same event twice is one item. Model private to this file.
 */

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
