import mongoose, { Schema } from 'mongoose';
import { trustedFilter } from './db.js';

/**
 * Claims: the one concurrency primitive that holds on FerretDB v1 as well as on MongoDB.
 *
 * FerretDB v1 applies a conditional update (`updateOne({_id, version: 3}, …)`) as read-then-write
 * without a row lock: measured here, of 7 concurrent updates conditional on the same version, 2–3
 * "won", and concurrent `$inc`s lost increments. Inserting a document whose `_id` already exists,
 * however, fails atomically (a PostgreSQL unique index underneath). So every state change that
 * must have exactly one winner first inserts a claim with a deterministic id; the inserter owns
 * the change. On MongoDB the claim is redundant but harmless, so the code runs unchanged there.
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

function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: number }).code === 11000;
}

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

/** The claim key of the transition of document `id` in `collection` away from `version`. */
export function versionClaimKey(collection: string, id: string, version: number): string {
  return `v/${collection}/${id}/${version}`;
}

/**
 * Runs `apply` at most once per (document, version) across every process: the optimistic
 * concurrency check behind If-Match and the review state machine. Returns null when the document
 * is no longer at `expectedVersion` or another writer owns that transition, else what `apply`
 * returned (null too when `apply` itself matched nothing).
 *
 * `apply` must itself be conditional on the version and bump it (`updateOne({_id, version},
 * {$inc: {version: 1}, …})`), so that it is correct on MongoDB without the claim too.
 */
export async function withVersionClaim<T>(
  collection: string,
  id: string,
  expectedVersion: number,
  currentVersion: () => Promise<number | null | undefined>,
  apply: () => Promise<T | null>,
  by?: string,
): Promise<T | null> {
  if ((await currentVersion()) !== expectedVersion) return null;
  const key = versionClaimKey(collection, id, expectedVersion);
  // A writer that crashed after claiming leaves the document at `expectedVersion`; after 30 s the
  // next writer may take the transition over.
  const owned = await claimOrTakeOver(
    key,
    30_000,
    async () => (await currentVersion()) === expectedVersion,
    by,
  );
  if (!owned) return null;
  return apply();
}

/**
 * One of `capacity` numbered slots of `scope` (e.g. an opening's headcount): the slot number taken,
 * or undefined when all are taken. Exact under any concurrency, unlike a counter on FerretDB.
 */
export async function claimSlot(scope: string, capacity: number, by?: string): Promise<number | undefined> {
  for (let n = 1; n <= capacity; n++) if (await claim(`slot/${scope}/${n}`, by)) return n;
  return undefined;
}

export async function releaseSlot(scope: string, n: number): Promise<void> {
  await release(`slot/${scope}/${n}`);
}

export async function countSlots(scope: string): Promise<number> {
  const prefix = `slot/${scope}/`;
  // A range on the string _id instead of a regex: index-friendly, and no operator to sanitise.
  return Claim.countDocuments(trustedFilter({ _id: { $gte: prefix, $lt: `${prefix}\uffff` } }));
}

/**
 * Version claims only matter while their version is current (a few seconds of racing writers);
 * kept for a day, then swept. Slot claims are permanent records and are never swept.
 */
export async function sweepVersionClaims(olderThanMs = 24 * 3600_000): Promise<number> {
  const res = await Claim.deleteMany(
    trustedFilter({ _id: { $gte: 'v/', $lt: 'v/\uffff' }, at: { $lt: new Date(Date.now() - olderThanMs) } }),
  );
  return res.deletedCount;
}
