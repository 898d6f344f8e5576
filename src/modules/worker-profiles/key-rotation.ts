import mongoose from 'mongoose';
import type { FieldCipher } from '../../lib/crypto/field-encryption.js';
import { consentCollection } from './consents.repository.js';
import { importFileCollection } from './imports.repository.js';
import { profileCollection } from './worker-profiles.repository.js';

/**
 * Re-encryption of every stored personal value under the current key (`npm run rotate-key`).
 * Collections are walked in `_id` order in batches; a checkpoint (collection, last id, key id)
 * after each batch lets an interrupted run resume where it stopped. Each document is rewritten
 * only if its encrypted values are still the ones read (a concurrent edit wins, and its values are
 * under the current key already), and no `version` changes: the content is the same.
 */

/** One encrypted value of a document: where it is, and what it is bound to. */
interface Slot {
  path: string;
  field: string;
  value: string;
}

type Raw = mongoose.mongo.Document;
type RawCollection = mongoose.mongo.Collection<Raw>;

interface Target {
  name: string;
  collection: () => RawCollection;
  /** The document's record id for the AAD (the profile id, the consent id, the import id). */
  recordId: (doc: Raw) => string;
  slots: (doc: Raw) => Slot[];
}

function str(v: unknown): v is string {
  return typeof v === 'string' && v !== '';
}

const TARGETS: Target[] = [
  {
    name: 'worker_profiles',
    collection: profileCollection as unknown as () => RawCollection,
    recordId: (d) => String(d._id),
    slots: (d) => {
      const out: Slot[] = [];
      for (const f of ['name', 'idNumber', 'certificateNumber', 'phone'])
        if (str(d.identity?.[f]))
          out.push({ path: `identity.${f}`, field: `identity.${f}`, value: d.identity[f] });
      for (const f of ['name', 'phone'])
        if (str(d.guardian?.[f]))
          out.push({ path: `guardian.${f}`, field: `guardian.${f}`, value: d.guardian[f] });
      (d.training ?? []).forEach((t: { id: string; certificateNumber?: string }, i: number) => {
        if (str(t.certificateNumber))
          out.push({
            path: `training.${i}.certificateNumber`,
            field: `training.${t.id}.certificateNumber`,
            value: t.certificateNumber,
          });
      });
      return out;
    },
  },
  {
    name: 'consents',
    collection: consentCollection as unknown as () => RawCollection,
    recordId: (d) => String(d._id),
    slots: (d) =>
      str(d.representative?.name)
        ? [{ path: 'representative.name', field: 'representative.name', value: d.representative.name }]
        : [],
  },
  {
    name: 'worker_profile_import_files',
    collection: importFileCollection as unknown as () => RawCollection,
    recordId: (d) => d.importId,
    slots: (d) => (str(d.data) ? [{ path: 'data', field: `file.${d.n}`, value: d.data }] : []),
  },
];

export interface RotationProgress {
  collection: string;
  scanned: number;
  reencrypted: number;
  total: number;
}

function checkpoints() {
  return mongoose.connection.db!.collection<{ _id: string; keyId: string; lastId: unknown; at: Date }>(
    'maintenance_checkpoints',
  );
}

/**
 * Re-encrypts what is not under `cipher.currentKeyId`. Returns per-collection counts. With
 * `maxBatches` it stops early (as a crash would), leaving its checkpoint for the next run.
 */
export async function rotateKeys(
  cipher: FieldCipher,
  options: { batchSize?: number; maxBatches?: number; onProgress?: (p: RotationProgress) => void } = {},
): Promise<{ complete: boolean; results: RotationProgress[] }> {
  const batchSize = options.batchSize ?? 500;
  let batches = 0;
  const results: RotationProgress[] = [];
  for (const target of TARGETS) {
    const col = target.collection();
    const key = `rotate-key/${target.name}`;
    const saved = await checkpoints().findOne({ _id: key });
    // A checkpoint of a rotation to another key is stale: start over.
    let lastId: unknown = saved?.keyId === cipher.currentKeyId ? saved.lastId : undefined;
    const progress: RotationProgress = {
      collection: target.name,
      scanned: 0,
      reencrypted: 0,
      total: await col.countDocuments({}),
    };
    for (;;) {
      if (options.maxBatches !== undefined && batches >= options.maxBatches) {
        results.push(progress);
        return { complete: false, results };
      }
      // _id is an ObjectId or a string depending on the collection; order is by its own type.
      const filter: mongoose.mongo.Filter<Raw> =
        lastId === undefined ? {} : { _id: { $gt: lastId as never } };
      const docs = await col.find(filter).sort({ _id: 1 }).limit(batchSize).toArray();
      if (docs.length === 0) break;
      for (const doc of docs) {
        const slots = target.slots(doc).filter((s) => cipher.needsReencryption(s.value));
        if (slots.length === 0) continue;
        const recordId = target.recordId(doc);
        const $set = Object.fromEntries(
          slots.map((s) => [s.path, cipher.reencrypt(s.value, { field: s.field, recordId })]),
        );
        const unchanged = Object.fromEntries(slots.map((s) => [s.path, s.value]));
        const res = await col.updateOne({ _id: doc._id, ...unchanged }, { $set });
        if (res.matchedCount === 1) progress.reencrypted++;
      }
      progress.scanned += docs.length;
      lastId = docs.at(-1)!._id;
      await checkpoints().updateOne(
        { _id: key },
        { $set: { keyId: cipher.currentKeyId, lastId, at: new Date() } },
        { upsert: true },
      );
      batches++;
      options.onProgress?.({ ...progress });
    }
    await checkpoints().deleteOne({ _id: key });
    results.push(progress);
  }
  return { complete: true, results };
}

/** Values still under another key (for a check after rotation). */
export async function countStaleValues(cipher: FieldCipher): Promise<number> {
  let stale = 0;
  for (const target of TARGETS)
    for await (const doc of target.collection().find({}))
      stale += target.slots(doc).filter((s) => cipher.needsReencryption(s.value)).length;
  return stale;
}
