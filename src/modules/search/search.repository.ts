import mongoose, { Schema } from 'mongoose';

/**
 * Where the worker's search sweep got to, per index (Meilisearch mode). The versions themselves
 * are not recorded here: every indexed document carries the `version` it was projected from, and
 * the engine shows a document only after it confirmed the write, so the index is its own record
 * of what it holds (and stays right when the index is rebuilt, restored or wiped).
 */
const sweepSchema = new Schema(
  {
    /** The index uid (prefix included). */
    _id: { type: String, required: true },
    /** Every change made before this time has been checked against the index. */
    sweptTo: { type: Date, required: true },
    /** When document counts were last compared (a mismatch makes the next sweep a full one). */
    countedAt: { type: Date, required: true },
  },
  { collection: 'search_state', versionKey: false },
);

const SweepModel = mongoose.model('SearchSweep', sweepSchema);

export interface SweepState {
  sweptTo: Date;
  countedAt: Date;
}

export async function findSweepState(indexUid: string): Promise<SweepState | null> {
  const doc = await SweepModel.findById(indexUid).lean();
  return doc ? { sweptTo: doc.sweptTo, countedAt: doc.countedAt } : null;
}

/** Sweeps may overlap in time (a slow one and the next); the later `sweptTo` wins. */
export async function saveSweepState(indexUid: string, state: SweepState): Promise<void> {
  const current = await findSweepState(indexUid);
  if (current && current.sweptTo >= state.sweptTo) return;
  await SweepModel.updateOne({ _id: indexUid }, { $set: state }, { upsert: true });
}

export async function deleteSweepState(indexUid: string): Promise<void> {
  await SweepModel.deleteOne({ _id: indexUid });
}
