import mongoose, { Schema } from 'mongoose';
import { isDuplicateKey, writeErrorsOf } from './db/index.js';

/**
 * Claims: records of an outside effect under way or done (a notification delivery handed to a
 * channel, see notifications/delivery.ts). Whoever inserts the claim with a deterministic `_id`
 * (a unique key: a duplicate fails with 11000) owns sending it; the claim stays as the record
 * that it may have been sent, which no database update can take back.
 *
 * Changes to a document are not claims: they are single updates conditional on what was read
 * (`updateOne({_id, version}, {…, $inc: {version: 1}})`), atomic on MongoDB.
 */
const claimSchema = new Schema(
  {
    _id: { type: String, required: true },
    at: { type: Date, required: true },
    /** Who holds it (a request id or job id), for diagnosis only. */
    by: { type: String },
  },
  { collection: 'claims', versionKey: false },
);
const Claim = mongoose.model('Claim', claimSchema);

/** True when this caller inserted the claim `key`; false when someone already holds it. */
export async function claim(key: string, by?: string): Promise<boolean> {
  try {
    await Claim.create({ _id: key, at: new Date(), by });
    return true;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}

/**
 * Several claims in one unordered insert, each still its own atomic insert. Per claim: true when
 * this caller inserted it, false when someone already holds it, an Error when its insert failed
 * otherwise. An error that names no write (the connection dropped) is thrown: nothing tells which
 * claims were inserted, and a caller retrying finds them held.
 */
export async function claimAll(claims: { key: string; by?: string }[]): Promise<(boolean | Error)[]> {
  const results: (boolean | Error)[] = claims.map(() => true);
  if (!claims.length) return results;
  const at = new Date();
  try {
    await Claim.collection.insertMany(
      claims.map((c) => ({ _id: c.key as never, at, ...(c.by ? { by: c.by } : {}) })),
      { ordered: false },
    );
  } catch (err) {
    const failed = writeErrorsOf(err);
    if (!failed.length) throw err;
    for (const e of failed)
      results[e.index] = isDuplicateKey(e) ? false : new Error(e.errmsg ?? 'claim failed');
  }
  return results;
}

/** When the claim `key` was taken, or null when nobody holds it. */
export async function claimHeldSince(key: string): Promise<Date | null> {
  const doc = await Claim.findById(key).lean();
  return doc?.at ?? null;
}

export async function release(key: string): Promise<void> {
  await Claim.deleteOne({ _id: key });
}

/**
 * Takes over a claim left by a process that died between claiming and finishing: only when it is
 * older than `staleMs` and `stillPending()` confirms the change it guarded never happened. Two
 * callers may both delete it; only one re-inserts it.
 */
export async function claimOrTakeOver(
  key: string,
  staleMs: number,
  stillPending: () => Promise<boolean>,
  by?: string,
): Promise<boolean> {
  if (await claim(key, by)) return true;
  const existing = await Claim.findById(key).lean();
  if (!existing) return claim(key, by);
  if (Date.now() - existing.at.getTime() < staleMs || !(await stillPending())) return false;
  await Claim.deleteOne({ _id: key, at: existing.at });
  return claim(key, by);
}
