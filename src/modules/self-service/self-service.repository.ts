import mongoose, { Schema, Types } from 'mongoose';
import { trustedFilter } from '../../lib/db/index.js';

/**
 * Personal access links, the short sessions opened with them, and what the person did on their own
 * page. Tokens are kept only as SHA-256 hashes: a database copy does not let anyone in.
 */
const linkSchema = new Schema(
  {
    profileId: { type: String, required: true },
    organizationId: { type: String, required: true },
    createdBy: { type: String, required: true },
    tokenHash: { type: String, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    revokedAt: Date,
    revokedBy: String,
    failures: { type: Number, default: 0 },
    lockedUntil: Date,
    lastOpenedAt: Date,
  },
  { collection: 'access_links', versionKey: false },
);
linkSchema.index({ tokenHash: 1 }, { unique: true });
linkSchema.index({ profileId: 1, createdAt: -1 });
const LinkModel = mongoose.model('AccessLink', linkSchema);

const sessionSchema = new Schema(
  {
    sessionHash: { type: String, required: true },
    profileId: { type: String, required: true },
    linkId: { type: String, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'person_sessions', versionKey: false },
);
sessionSchema.index({ sessionHash: 1 }, { unique: true });
sessionSchema.index({ linkId: 1 });
const SessionModel = mongoose.model('PersonSession', sessionSchema);

const actionSchema = new Schema(
  {
    profileId: { type: String, required: true },
    linkId: { type: String, required: true },
    kind: { type: String, required: true },
    actedBy: { type: String, required: true },
    at: { type: Date, required: true },
    matchId: String,
    openingId: String,
    consentId: String,
    answer: String,
    reasonCode: String,
    topic: String,
  },
  { collection: 'self_service_actions', versionKey: false },
);
actionSchema.index({ profileId: 1, at: -1 });
const ActionModel = mongoose.model('SelfServiceAction', actionSchema);

export interface AccessLink {
  id: string;
  profileId: string;
  organizationId: string;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  failures: number;
  lockedUntil: Date | null;
  lastOpenedAt: Date | null;
}

export interface PersonSession {
  profileId: string;
  linkId: string;
  expiresAt: Date;
}

export type ActedBy = 'self' | 'guardian' | 'supporter';

export interface SelfServiceAction {
  id: string;
  profileId: string;
  linkId: string;
  kind: string;
  actedBy: ActedBy;
  at: Date;
  matchId: string | null;
  openingId: string | null;
  consentId: string | null;
  answer: string | null;
  reasonCode: string | null;
  topic: string | null;
}

const oid = (id: string) =>
  Types.ObjectId.isValid(id) && /^[0-9a-f]{24}$/.test(id) ? new Types.ObjectId(id) : null;

// biome-ignore lint/suspicious/noExplicitAny: lean documents of the private models
function toLink(d: any): AccessLink {
  return {
    id: String(d._id),
    profileId: d.profileId,
    organizationId: d.organizationId,
    createdBy: d.createdBy,
    createdAt: d.createdAt,
    expiresAt: d.expiresAt,
    revokedAt: d.revokedAt ?? null,
    failures: d.failures ?? 0,
    lockedUntil: d.lockedUntil ?? null,
    lastOpenedAt: d.lastOpenedAt ?? null,
  };
}

export async function insertLink(l: {
  profileId: string;
  organizationId: string;
  createdBy: string;
  tokenHash: string;
  expiresAt: Date;
}): Promise<AccessLink> {
  const doc = await LinkModel.create({ ...l, createdAt: new Date(), failures: 0 });
  return toLink(doc.toObject());
}

export async function listLinks(profileId: string): Promise<AccessLink[]> {
  const docs = await LinkModel.find({ profileId }).sort({ createdAt: -1 }).limit(100).lean();
  return docs.map(toLink);
}

export async function findLink(profileId: string, linkId: string): Promise<AccessLink | null> {
  const _id = oid(linkId);
  if (!_id) return null;
  const doc = await LinkModel.findOne({ _id, profileId }).lean();
  return doc ? toLink(doc) : null;
}

export async function findLinkById(linkId: string): Promise<AccessLink | null> {
  const _id = oid(linkId);
  if (!_id) return null;
  const doc = await LinkModel.findOne({ _id }).lean();
  return doc ? toLink(doc) : null;
}

export async function findLinkByHash(tokenHash: string): Promise<AccessLink | null> {
  const doc = await LinkModel.findOne({ tokenHash }).lean();
  return doc ? toLink(doc) : null;
}

/** Revokes a link (once) and ends every session opened with it. */
export async function revokeLink(linkId: string, by: string, at: Date): Promise<boolean> {
  const r = await LinkModel.updateOne(trustedFilter({ _id: oid(linkId), revokedAt: { $exists: false } }), {
    $set: { revokedAt: at, revokedBy: by },
  });
  await SessionModel.deleteMany({ linkId });
  return r.modifiedCount === 1;
}

/**
 * Counts a wrong second factor atomically (two guesses at once both count) and locks the link
 * when the count reaches `max`. A lock that has run out starts the count over.
 */
export async function recordFailure(
  linkId: string,
  now: Date,
  max: number,
  lockMs: number,
): Promise<AccessLink> {
  const _id = oid(linkId);
  await LinkModel.updateOne(trustedFilter({ _id, lockedUntil: { $lte: now } }), {
    $set: { failures: 0 },
    $unset: { lockedUntil: 1 },
  });
  const doc = await LinkModel.findOneAndUpdate(
    { _id },
    { $inc: { failures: 1 } },
    { returnDocument: 'after' },
  ).lean();
  const link = toLink(doc);
  if (link.failures >= max && !link.lockedUntil) {
    const lockedUntil = new Date(now.getTime() + lockMs);
    await LinkModel.updateOne({ _id }, { $set: { lockedUntil } });
    return { ...link, lockedUntil };
  }
  return link;
}

export async function recordOpened(linkId: string, at: Date): Promise<void> {
  await LinkModel.updateOne(
    { _id: oid(linkId) },
    { $set: { failures: 0, lastOpenedAt: at }, $unset: { lockedUntil: 1 } },
  );
}

export async function insertSession(s: PersonSession & { sessionHash: string }): Promise<void> {
  await SessionModel.create({ ...s, createdAt: new Date() });
}

export async function findSession(sessionHash: string): Promise<PersonSession | null> {
  const doc = await SessionModel.findOne({ sessionHash }).lean();
  return doc ? { profileId: doc.profileId, linkId: doc.linkId, expiresAt: doc.expiresAt } : null;
}

export async function deleteSession(sessionHash: string): Promise<void> {
  await SessionModel.deleteOne({ sessionHash });
}

/** No TTL index on the local server (src/lib/db): expired sessions are deleted here. */
export async function purgeExpiredPersonSessions(now: Date): Promise<number> {
  const r = await SessionModel.deleteMany(trustedFilter({ expiresAt: { $lte: now } }));
  return r.deletedCount;
}

export async function insertAction(
  a: Omit<SelfServiceAction, 'id' | 'at'> & { at?: Date },
): Promise<SelfServiceAction> {
  const doc = await ActionModel.create({ ...a, at: a.at ?? new Date() });
  return toAction(doc.toObject());
}

export async function listActions(profileId: string, limit = 200): Promise<SelfServiceAction[]> {
  const docs = await ActionModel.find({ profileId }).sort({ at: -1, _id: -1 }).limit(limit).lean();
  return docs.map(toAction);
}

// biome-ignore lint/suspicious/noExplicitAny: lean documents of the private models
function toAction(d: any): SelfServiceAction {
  return {
    id: String(d._id),
    profileId: d.profileId,
    linkId: d.linkId,
    kind: d.kind,
    actedBy: d.actedBy,
    at: d.at,
    matchId: d.matchId ?? null,
    openingId: d.openingId ?? null,
    consentId: d.consentId ?? null,
    answer: d.answer ?? null,
    reasonCode: d.reasonCode ?? null,
    topic: d.topic ?? null,
  };
}
