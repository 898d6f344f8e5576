import mongoose, { Schema, Types } from 'mongoose';
import { trustedFilter } from '../../lib/db/index.js';

/**
 * Server-side sessions. `_id` is a keyed hash of the bearer token: the token itself is never
 * stored, so a copy of this collection opens no session. Expired sessions are purged by
 * `purgeExpiredSessions` (called at each login), not by a TTL index (see src/lib/db).
 */
const sessionSchema = new Schema(
  {
    _id: { type: String },
    userId: { type: Schema.Types.ObjectId, required: true },
    organizationId: { type: Schema.Types.ObjectId, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    revokedAt: { type: Date, default: null },
    revokedReason: { type: String },
  },
  { collection: 'sessions', versionKey: false },
);
sessionSchema.index({ userId: 1 });
sessionSchema.index({ expiresAt: 1 });

const SessionModel = mongoose.model('Session', sessionSchema);

export interface Session {
  id: string;
  userId: string;
  organizationId: string;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
}

type Doc = Record<string, unknown> & { _id: unknown };

function toSession(doc: Doc): Session {
  return {
    id: String(doc._id),
    userId: String(doc.userId),
    organizationId: String(doc.organizationId),
    createdAt: doc.createdAt as Date,
    expiresAt: doc.expiresAt as Date,
    revokedAt: (doc.revokedAt as Date | null) ?? null,
  };
}

export async function insertSession(s: Omit<Session, 'revokedAt'>): Promise<void> {
  await SessionModel.create({
    _id: s.id,
    userId: new Types.ObjectId(s.userId),
    organizationId: new Types.ObjectId(s.organizationId),
    createdAt: s.createdAt,
    expiresAt: s.expiresAt,
  });
}

export async function findSession(id: string): Promise<Session | null> {
  const doc = await SessionModel.findById(id).lean();
  return doc ? toSession(doc as Doc) : null;
}

export async function revokeSession(id: string, reason: string, now = new Date()): Promise<boolean> {
  const res = await SessionModel.updateOne(
    { _id: id, revokedAt: null },
    { $set: { revokedAt: now, revokedReason: reason } },
  );
  return res.modifiedCount === 1;
}

/** Revokes every live session of a user, optionally sparing one (the caller's own). */
export async function revokeUserSessions(
  userId: string,
  reason: string,
  exceptId?: string,
  now = new Date(),
): Promise<number> {
  const filter: Record<string, unknown> = { userId: new Types.ObjectId(userId), revokedAt: null };
  if (exceptId) filter._id = { $ne: exceptId };
  const res = await SessionModel.updateMany(trustedFilter(filter), {
    $set: { revokedAt: now, revokedReason: reason },
  });
  return res.modifiedCount;
}

/** Drops sessions that expired more than `graceMs` ago (kept meanwhile to answer `session_expired`). */
export async function purgeExpiredSessions(now: Date, graceMs: number): Promise<number> {
  const res = await SessionModel.deleteMany(
    trustedFilter({ expiresAt: { $lt: new Date(now.getTime() - graceMs) } }),
  );
  return res.deletedCount;
}
