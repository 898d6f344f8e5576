import type mongoose from 'mongoose';
import { Types } from 'mongoose';
import { duplicateKeyWrites, isDuplicateKey, trustedFilter } from '../../lib/db/index.js';

/**
 * Helpers shared by the notification repositories. Notifications persist in five collections, one
 * repository each, every model private to its file: notifications (the inbox), items (collapse and
 * digest), deliveries, preferences, webhooks.
 */

export const oid = (id: string) => new Types.ObjectId(id);
export type Doc = Record<string, unknown> & { _id: unknown };

/** Documents whose `field` equals one of `values`: one `$in` query (`field` is indexed). */
export async function findByField(
  // biome-ignore lint/suspicious/noExplicitAny: any model
  model: mongoose.Model<any>,
  field: string,
  values: unknown[],
  projection?: Record<string, 0 | 1>,
): Promise<Doc[]> {
  if (!values.length) return [];
  return model.find(trustedFilter({ [field]: { $in: [...new Set(values)] } }), projection).lean<Doc[]>();
}

/**
 * Unordered bulk insert through the driver (no per-document hydration); `true` per document that
 * was inserted, `false` where its unique key already existed. Other errors are thrown.
 */
export async function insertIgnoringDuplicates(
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
      const refused = duplicateKeyWrites(err);
      if (refused) for (const e of refused) ok[start + e.index] = false;
      // A single-document failure without writeErrors: only that one.
      else if (chunk.length === 1 && isDuplicateKey(err)) ok[start] = false;
      else throw err;
    }
  }
  return ok;
}
