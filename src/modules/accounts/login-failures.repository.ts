import { createHmac } from 'node:crypto';
import mongoose, { Schema } from 'mongoose';
import { trustedFilter } from '../../lib/db/index.js';

/**
 * Failed logins per (username as typed, client address): the lock-out applies to that pair, so a
 * stranger elsewhere cannot lock staff out, and an unknown username is counted and locked exactly
 * like a known one (nothing tells them apart). The username is kept only as a keyed hash. State
 * lapses `expiresAt` after the last failure or lock; that is judged here in code (the local
 * server does not expire documents), the TTL index lets MongoDB also delete them.
 */
const loginFailureSchema = new Schema(
  {
    _id: String,
    username: { type: String, required: true },
    /** The account the username names, when it names one (for an admin's unlock). */
    accountId: { type: String, default: null },
    source: { type: String, required: true },
    failures: { type: Number, required: true },
    lockedUntil: { type: Date, default: null },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'login_failures', versionKey: false },
);
loginFailureSchema.index({ accountId: 1 });
loginFailureSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

const LoginFailureModel = mongoose.model('LoginFailure', loginFailureSchema);

export interface LoginSource {
  /** Keyed hash of the username as typed (trimmed, lower-cased). */
  username: string;
  source: string;
  accountId: string | null;
}

export function loginSource(
  secret: string,
  username: string,
  ip: string | undefined,
  accountId: string | null,
): LoginSource {
  const name = createHmac('sha256', secret).update(`login:${username.trim().toLowerCase()}`).digest('hex');
  return { username: name, source: ip ?? 'unknown', accountId };
}

const idOf = (s: Pick<LoginSource, 'username' | 'source'>) => `${s.username}/${s.source}`;

/**
 * Counts an attempt from this pair before its password is checked, unless the pair is locked or
 * has used up `maxFailures`: the count with this attempt, or the running lock (`lockedUntil`, or
 * null when the attempts are used up by guesses still being checked). One conditional `$inc`,
 * so parallel guesses get at most `maxFailures` password checks between them.
 */
export async function reserveSourceAttempt(
  s: LoginSource,
  maxFailures: number,
  windowMs: number,
  now: Date,
): Promise<{ failures: number } | { locked: Date | null }> {
  const _id = idOf(s);
  const expiresAt = new Date(now.getTime() + windowMs);
  // Lapsed state starts over; conditional on having lapsed, so a fresh count is never wiped.
  await LoginFailureModel.updateOne(trustedFilter({ _id, expiresAt: { $lte: now } }), {
    $set: { failures: 0, lockedUntil: null, expiresAt },
  });
  await LoginFailureModel.updateOne(
    { _id },
    { $setOnInsert: { ...s, failures: 0, lockedUntil: null, expiresAt } },
    { upsert: true },
  );
  const doc = await LoginFailureModel.findOneAndUpdate(
    trustedFilter({
      _id,
      failures: { $lt: maxFailures },
      $or: [{ lockedUntil: null }, { lockedUntil: { $lte: now } }],
    }),
    { $inc: { failures: 1 }, $set: { expiresAt } },
    { returnDocument: 'after', projection: { failures: 1 } },
  ).lean();
  if (doc) return { failures: doc.failures };
  return { locked: await sourceLockedUntil(s, now) };
}

/** The lock running on the pair, if any (read only). */
export async function sourceLockedUntil(s: LoginSource, now: Date): Promise<Date | null> {
  const doc = await LoginFailureModel.findById(idOf(s), { lockedUntil: 1 }).lean();
  const until = doc?.lockedUntil ?? null;
  return until && until.getTime() > now.getTime() ? until : null;
}

/** Locks the pair unless a lock is already running (the first of parallel failures sets it). */
export async function lockSource(s: LoginSource, until: Date, now: Date): Promise<boolean> {
  const res = await LoginFailureModel.updateOne(
    trustedFilter({ _id: idOf(s), $or: [{ lockedUntil: null }, { lockedUntil: { $lte: now } }] }),
    { $set: { lockedUntil: until, expiresAt: until } },
  );
  return res.modifiedCount === 1;
}

/** A successful login from this pair starts it over (and drops lapsed state of anyone). */
export async function clearSource(s: LoginSource, now: Date): Promise<void> {
  await LoginFailureModel.deleteOne({ _id: idOf(s) });
  await LoginFailureModel.deleteMany(trustedFilter({ expiresAt: { $lte: now } }));
}

/** An admin's unlock or password reset: every source of the account starts over. */
export async function clearAccount(accountId: string): Promise<void> {
  await LoginFailureModel.deleteMany({ accountId });
}

export function loginFailuresCollection() {
  return LoginFailureModel.collection;
}
